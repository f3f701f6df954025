// SPDX-License-Identifier: MIT
//
// <scx/result.hpp> - errors as values.
//
// libscx never throws across its API and never prints: a fallible function
// returns Result<T>, which holds either a value or an Error. An Error carries
// an exit-status class (the sysexits-style codes every scxkit tool uses) and a
// human-readable message that main() prints once.

#ifndef SCX_RESULT_HPP
#define SCX_RESULT_HPP

#include <string>
#include <utility>
#include <variant>

namespace scx {

// Exit statuses shared by all tools (see scxkit(7), EXIT STATUS).
enum class Exit : int {
    ok = 0,
    failure = 1,       // the thing itself failed: build errors, regression, ejection
    usage = 64,        // bad command line
    data = 65,         // bad input data: malformed JSON, no policy in the source
    no_input = 66,     // an input file does not exist or cannot be read
    unavailable = 69,  // a needed service is missing: sched_ext, BPF, LLM provider
    software = 70,     // internal error
    io = 74,           // output cannot be written
    temp_fail = 75,    // temporary failure, try again later (rate limited, ...)
    no_perm = 77,      // permission denied (needs root)
    interrupted = 130, // stopped by SIGINT
};

// Short stable name of an exit class ("usage", "data", ...), used in JSON errors.
const char *exit_name(Exit e);

struct Error {
    Exit exit = Exit::software;
    std::string message;

    Error() = default;
    Error(Exit e, std::string msg) : exit(e), message(std::move(msg)) {}

    // Prefix the message with context: "reading x.json: <message>".
    Error &&wrap(const std::string &context) &&
    {
        message = context + ": " + message;
        return std::move(*this);
    }
};

// Build an Error from errno: "<what>: <strerror(errnum)>".
Error errno_error(Exit e, const std::string &what, int errnum);

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(v_); }
    const T &value() const & { return std::get<0>(v_); }
    T &&value() && { return std::get<0>(std::move(v_)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const & { return std::get<1>(v_); }
    Error &&error() && { return std::get<1>(std::move(v_)); }

private:
    std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : err_(std::move(error)), failed_(true) {}

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error &error() const & { return err_; }
    Error &&error() && { return std::move(err_); }

private:
    Error err_;
    bool failed_ = false;
};

} // namespace scx

#endif // SCX_RESULT_HPP
