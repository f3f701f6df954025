// SPDX-License-Identifier: MIT
//
// base/fd.hpp - an owning file descriptor.
//
// UniqueFd closes what it holds when it goes away, is moved but never
// copied, and is the only place in the library that calls close(): every
// descriptor the library opens lives in one from the moment it exists, so
// no error path can leak it.

#ifndef SCX_BASE_FD_HPP
#define SCX_BASE_FD_HPP

#include <vector>

#include <scx/result.hpp>

namespace scx {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd &&o) noexcept : fd_(o.release()) {}
    UniqueFd &operator=(UniqueFd &&o) noexcept
    {
        if (this != &o)
            reset(o.release());
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    // Give up ownership without closing.
    int release() noexcept
    {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    // Close what it holds (errors ignored) and hold `fd` instead.
    void reset(int fd = -1) noexcept;
    // Close now and say whether close() failed (a file being written may
    // report a delayed write error only here): "<what>: <reason>".
    Result<void> close(const std::string &what);

private:
    int fd_ = -1;
};

// Close every descriptor of the process but 0, 1, 2 and `keep` (a child
// about to run untrusted code lets go of what it inherited).
Result<void> close_all_but(std::vector<int> keep);

// The descriptors open in this process, in increasing order.
std::vector<int> open_fds();

// Both ends of a pipe, close-on-exec.
struct Pipe {
    UniqueFd read, write;
};
Result<Pipe> make_pipe();

} // namespace scx

#endif // SCX_BASE_FD_HPP
