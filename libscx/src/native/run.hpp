// SPDX-License-Identifier: MIT
//
// native/run.hpp - the simulator's cpu, latency, interactive and fork
// workloads run for real (scx-workload(1)), measured as the simulator
// measures them.
//
// Tasks are what the simulator makes them: cpu hogs, interactive tasks and
// fork jobs are processes; a latency group is one process whose message
// thread and workers are threads. CPU work is a busy loop stopped by the
// thread's CPU clock (native/spin.hpp); sleeps are clock_nanosleep() to an
// absolute time with a timer slack of 1 ns; latency's requests and replies
// are futexes, as schbench's, the cheapest wake-up Linux has (what is
// measured is the scheduler, not a pipe), and what the simulator charges
// for them (1 us, "futex wake / wait").
//
// Wake-up latency is what the simulator's metric is: from the moment a
// task is made runnable to it running. Natively, from the waker's
// timestamp taken just before its futex wake (latency's requests and
// replies), from the due time of an absolute sleep (interactive bursts,
// latency's think time, fork's I/O waits) or from a job's last timestamp
// before it exits (fork's make waiting for a job slot), to the woken
// thread's first timestamp once it runs. It therefore also includes the
// futex system calls and the timer interrupt, which the simulator does not
// model. A futex wait counts only when it blocked (as only a task that
// blocked wakes in the simulator); a timed sleep always counts, from its due
// time, even when the task was so late that the sleep returned at once.

#ifndef SCX_NATIVE_RUN_HPP
#define SCX_NATIVE_RUN_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <scx/result.hpp>
#include <scx/run.hpp>

#include "native/spec.hpp"

namespace scx::native {

struct RunOptions {
    std::uint64_t seed = 1;      // random draws (burst, think, period, work lengths)
    bool sched_ext = false;      // every task in the SCHED_EXT class (scx-run --partial)
    double loops_per_us = 0;     // the busy loop's calibration; 0: measure it
};

// The tasks of one role (hog, interactive, worker, message, job, make).
struct RoleReport {
    std::string name;
    std::uint64_t tasks = 0, items = 0, wakeups = 0;
    std::uint64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
    double mean_ns = 0, cpu_s = 0;
};

struct TaskReport {
    std::string role;
    int pid = 0, tid = 0, nice = 0;
    std::uint64_t items = 0, wakeups = 0, timeslices = 0;
    double cpu_s = 0;
    std::optional<double> wait_s; // without schedstat: none
};

struct Report {
    Workload workload;
    unsigned cpus = 0;          // the CPUs the defaults were taken from
    std::uint64_t seed = 0;
    double loops_per_us = 0;
    bool schedstat = false;     // run delay and fairness measured
    std::string tasks_are;      // "processes" or "threads"
    std::uint64_t processes = 0;
    std::vector<RunMetric> metrics; // the simulator's names where they mean the same
    std::vector<RoleReport> roles;
    std::vector<TaskReport> tasks;
};

// Run `w` once. Exit::temp_fail when processes, threads or memory run out,
// Exit::no_perm when a nice value cannot be set, Exit::unavailable without
// SCHED_EXT, Exit::failure when a task fails.
Result<Report> run(const Workload &w, unsigned cpus, const RunOptions &opts);

// The scxkit.native/1 document (scx-json(5)), and a table for a person.
std::string report_json(const Report &r, bool pretty = true);
std::string report_text(const Report &r);

} // namespace scx::native

#endif // SCX_NATIVE_RUN_HPP
