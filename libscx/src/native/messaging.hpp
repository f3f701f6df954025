// SPDX-License-Identifier: MIT
//
// <scx/messaging.hpp> - the `messaging` workload, natively: what
// `perf bench sched messaging` (hackbench) does.
//
// `groups` groups of `fds` senders and `fds` receivers (20 each, as perf).
// Every sender writes `loops` messages of 100 bytes to every receiver of its
// group, through an AF_UNIX stream socket pair (default) or a pipe; every
// receiver reads fds * loops messages. Senders and receivers are threads or
// processes (default). All of them first report ready, then wait for one
// start signal; the time is taken from that signal until the last one has
// been reaped, as perf does.

#ifndef SCX_MESSAGING_HPP
#define SCX_MESSAGING_HPP

#include <cstdint>
#include <string>

#include <scx/result.hpp>

namespace scx::messaging {

inline constexpr unsigned DATASIZE = 100; // bytes per message, as perf
// The ranges validate() accepts (the tool's -g and -l use them too).
inline constexpr unsigned MAX_GROUPS = 10'000;
inline constexpr unsigned MAX_FDS = 1'000;
// Every receiver reads fds * loops messages, counted in 32 bits.
inline constexpr unsigned max_loops(unsigned fds) { return 0xffffffffU / (fds ? fds : 1); }

struct Options {
    unsigned groups = 10;   // perf -g
    unsigned loops = 100;   // perf -l
    unsigned fds = 20;      // senders (and receivers) per group, as perf
    bool pipes = false;     // perf -p: pipes instead of socket pairs
    bool threads = false;   // perf -t: threads instead of processes
    bool sched_ext = false; // put every task in the SCHED_EXT class (for scx-run --partial)
};

struct Report {
    double duration_s = 0;      // start signal to the last task reaped
    std::uint64_t tasks = 0;    // senders + receivers
    std::uint64_t messages = 0; // groups * fds * fds * loops
    std::uint64_t bytes = 0;
    // Context switches of the senders and receivers (getrusage: the reaped
    // processes, or this process's threads), start-up included (a few per
    // task): they blocked (voluntary) or were preempted (involuntary).
    std::uint64_t voluntary_switches = 0;
    std::uint64_t involuntary_switches = 0;
    // Their CPU time, user and system, from the start signal until each
    // has moved its messages (start-up and exit left out).
    double cpu_s = 0;
};

// Check the options (Exit::usage with a message).
scx::Result<void> validate(const Options &opts);

// Run the workload once in this process. Errors: Exit::temp_fail when
// resources run out (file descriptors, processes, threads), Exit::failure
// when a sender or receiver fails.
scx::Result<Report> run(const Options &opts);

// perf's output formats: "default" ("# 20 sender and receiver processes per
// group", "# 10 groups == 400 processes run", " Total time: 0.123 [sec]")
// and "simple" ("0.123"). The time is truncated to milliseconds, as perf.
std::string format_default(const Options &opts, const Report &r);
std::string format_simple(const Report &r);

} // namespace scx::messaging

#endif // SCX_MESSAGING_HPP
