// SPDX-License-Identifier: MIT
//
// <scx/isolate.hpp> - run untrusted code in a supervised child process.
//
// A policy is arbitrary native code: it may crash (SIGSEGV, abort) or never
// return. run_isolated() runs a function in a forked child and hands back the
// string it produced, or says plainly how the child died. The child reports
// progress through a ChildWatch in shared memory; when the progress counter
// stops moving for longer than the hang timeout the child is killed, so a
// supervised run never hangs.

#ifndef SCX_ISOLATE_HPP
#define SCX_ISOLATE_HPP

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include <scx/result.hpp>

namespace scx {

// Shared between the child and its parent (lives in a MAP_SHARED page).
struct ChildWatch {
    std::atomic<std::uint64_t> beats{0};    // bumped by the child whenever it makes progress
    std::atomic<std::uint32_t> phase{0};    // what the child is doing (caller-defined codes)
    std::atomic<std::uint64_t> sim_time{0}; // caller-defined position (e.g. simulated ns)
    char label[64] = {};                    // caller-defined name (e.g. the policy name)

    void beat() { beats.fetch_add(1, std::memory_order_relaxed); }
    void set_label(const std::string &s);
};

struct ChildOutcome {
    enum class How { exited, signaled, hung };
    How how = How::exited;
    int code = 0;         // exit status (exited) or signal number (signaled, hung: SIGKILL)
    int pid = 0;          // the child's process id (gone by now)
    std::string output;   // everything the child's function returned
    std::uint32_t phase = 0;
    std::uint64_t sim_time = 0;
    std::string label;
};

// Fork; in the child call body(watch) and send its result to the parent.
// The parent waits, killing the child when watch.beats has not changed for
// hang_timeout_ns of wall-clock time (0 = never). The child dies with its
// parent. Errors: Exit::software when the child cannot be started.
Result<ChildOutcome> run_isolated(const std::function<std::string(ChildWatch &)> &body,
                                  std::uint64_t hang_timeout_ns);

} // namespace scx

#endif // SCX_ISOLATE_HPP
