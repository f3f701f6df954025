// SPDX-License-Identifier: MIT
//
// base/process.hpp - child processes: the one place the library forks.
//
// Subprocess starts a program (exec) or a function (fork) in a child with
// chosen standard streams, resource limits, optionally in a process group
// of its own and bound to the caller's life, and owns it: a Subprocess that
// goes away kills what is still running and reaps it. run_process() runs a
// program to completion with its output captured, a timeout and a cancel
// flag.

#ifndef SCX_BASE_PROCESS_HPP
#define SCX_BASE_PROCESS_HPP

#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/fd.hpp"
#include "scx/result.hpp"

namespace scx {

// Resource limits set in a child before it runs anything; 0 leaves one as
// inherited.
struct Limits {
    std::uint64_t address_space = 0; // RLIMIT_AS, bytes: allocations past it fail
    std::uint64_t cpu_s = 0;         // RLIMIT_CPU, seconds: SIGXCPU, then SIGKILL
    std::uint64_t open_files = 0;    // RLIMIT_NOFILE: highest descriptor + 1
    bool no_core = false;            // RLIMIT_CORE 0: a crash leaves no core file
    bool no_processes = false;       // RLIMIT_NPROC 0 (counts the user's processes; root is exempt)
};
// Apply `l` to the calling process. Exit::software with the limit named.
Result<void> apply_limits(const Limits &l);

struct SpawnOptions {
    // The child leads a new process group: signal() and the destructor then
    // reach everything it started.
    bool own_group = false;
    // Sent to the child when the caller dies (PR_SET_PDEATHSIG); 0: none.
    int death_signal = 0;
    // Standard input, output and error of the child; -1 keeps the caller's.
    int in = -1, out = -1, err = -1;
    Limits limits;
    // exec(): "NAME=VALUE" entries that the program gets in its environment
    // on top of the caller's (replacing NAME's value there).
    std::vector<std::string> env;
};

struct ExitStatus {
    int code = -1;      // exit status; -1 when killed by a signal
    int signal = 0;     // the signal that killed it, 0 if it exited
    double user_s = 0, system_s = 0; // CPU time of it and the descendants it reaped
};

class Subprocess {
public:
    Subprocess() = default;
    ~Subprocess();
    Subprocess(Subprocess &&o) noexcept;
    Subprocess &operator=(Subprocess &&o) noexcept;
    Subprocess(const Subprocess &) = delete;
    Subprocess &operator=(const Subprocess &) = delete;

    // Run argv[0] (searched in PATH). Exit::unavailable when it cannot be
    // run (reported by the child through a close-on-exec pipe), Exit::
    // software when no process can be created.
    static Result<Subprocess> exec(const std::vector<std::string> &argv, const SpawnOptions &opts = {});
    // Run body() in a forked child, which exits with its return value (124
    // if it throws). Signal dispositions and the mask are reset first.
    static Result<Subprocess> fork(const std::function<int()> &body, const SpawnOptions &opts = {});

    pid_t pid() const { return pid_; }
    // Still running? Reaps it when it has exited.
    bool running();
    // Send a signal to the child, or to its process group when it leads one.
    void signal(int sig);
    // Let the child go on by itself: it is neither killed nor reaped here.
    void release() { reaped_ = true; }
    // Wait until it exits or timeout_ns passes (< 0: for ever); true once it
    // has exited.
    bool wait_for(long long timeout_ns);
    // After it has exited.
    const ExitStatus &status() const { return status_; }
    // Readable once the child has exited (a pidfd, opened on first use);
    // -1 when the kernel has none.
    int exit_fd();

private:
    pid_t pid_ = -1;
    bool group_ = false;
    bool reaped_ = true;
    ExitStatus status_;
    UniqueFd pidfd_;
    static Result<Subprocess> start(const std::function<void()> &child, const SpawnOptions &opts);
    bool reap(bool block);
    void kill_and_reap();
};

// "Segmentation fault (SIGSEGV)"
std::string describe_signal(int sig);

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
    Limits limits;
    // "NAME=VALUE" entries added to the child's environment (SpawnOptions).
    std::vector<std::string> env;
};

// Run argv[0] (searched in PATH) with the given arguments and standard input
// from /dev/null; capture stdout and stderr. Fails only when the program
// cannot be started (Exit::unavailable).
Result<ProcessResult> run_process(const std::vector<std::string> &argv, const ProcessOptions &opt = {});

// Split "cc -O2" into words (no quoting rules beyond whitespace).
std::vector<std::string> split_words(const std::string &s);

} // namespace scx

#endif // SCX_BASE_PROCESS_HPP
