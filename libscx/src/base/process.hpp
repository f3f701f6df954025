// SPDX-License-Identifier: MIT
//
// <scx/process.hpp> - run child processes: to completion with their output
// captured, or in the background (a scheduler host while a workload runs).

#ifndef SCX_PROCESS_HPP
#define SCX_PROCESS_HPP

#include <sys/types.h>

#include <csignal>
#include <string>
#include <vector>

#include <scx/result.hpp>

namespace scx {

struct ProcessResult {
    int exit_code = -1;    // exit status, or -1 when killed by a signal
    int term_signal = 0;   // signal that killed it, 0 if it exited
    std::string out;       // captured standard output
    std::string err;       // captured standard error
    double seconds = 0.0;  // wall time
    double user_s = 0.0;   // CPU time of the child and the descendants it waited for
    double system_s = 0.0;
    bool timed_out = false; // stopped because ProcessOptions::timeout_ns passed
    bool cancelled = false; // stopped because *ProcessOptions::cancel became non-zero
};

struct ProcessOptions {
    // Stop the child (SIGTERM to its process group, SIGKILL a second later)
    // after this long; 0 waits for ever.
    long long timeout_ns = 0;
    // Checked while waiting (at least every 100 ms); when it becomes non-zero
    // the child is stopped the same way. Meant for a flag set by a SIGINT or
    // SIGTERM handler.
    const volatile std::sig_atomic_t *cancel = nullptr;
    // Run the child in a process group of its own, so that stopping it also
    // stops what it started, and have it receive SIGTERM if the caller dies.
    bool own_group = false;
};

// Run argv[0] (searched in PATH) with the given arguments and standard input
// from /dev/null; capture stdout and stderr. Fails only when the program
// cannot be started (Exit::unavailable).
Result<ProcessResult> run_process(const std::vector<std::string> &argv);
Result<ProcessResult> run_process(const std::vector<std::string> &argv, const ProcessOptions &opt);

// A process running in the background in a process group of its own, its
// standard output and error going to files. It receives SIGTERM if the
// caller dies; the destructor kills (SIGKILL) and reaps it if still running.
class Child {
public:
    Child() = default;
    ~Child();
    Child(Child &&o) noexcept;
    Child &operator=(Child &&o) noexcept;
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

    // argv[0] is searched in PATH; "" for a file discards that stream.
    static Result<Child> spawn(const std::vector<std::string> &argv, const std::string &stdout_path,
                               const std::string &stderr_path);

    pid_t pid() const { return pid_; }
    // Still running? Reaps it when it has exited.
    bool running();
    // Send a signal to the child's process group.
    void signal(int sig);
    // Wait until it exits or timeout_ns passes; true when it has exited.
    bool wait_for(long long timeout_ns);
    // After it has exited: exit status (-1 if killed) and the signal.
    int exit_code() const { return exit_code_; }
    int term_signal() const { return term_signal_; }

private:
    pid_t pid_ = -1;
    bool reaped_ = true;
    int exit_code_ = -1;
    int term_signal_ = 0;
    void reap(int status);
    void kill_and_reap();
};

// Split "cc -O2" into words (no quoting rules beyond whitespace).
std::vector<std::string> split_words(const std::string &s);

} // namespace scx

#endif // SCX_PROCESS_HPP
