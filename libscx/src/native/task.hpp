// SPDX-License-Identifier: MIT
//
// native/task.hpp - the tasks of a native workload and what they share.
//
// The parent maps a Board (shared memory) with one TaskRecord per task,
// starts the tasks (processes, or threads inside them), waits until every
// one has said it is ready, takes the start time and releases them all at
// once through a futex; each task runs until the deadline (start +
// duration) and writes what it measured into its record. Wake-up latencies
// go straight into the Board's histograms.

#ifndef SCX_NATIVE_TASK_HPP
#define SCX_NATIVE_TASK_HPP

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "base/process.hpp"
#include "base/stats.hpp"
#include "native/shared.hpp"
#include "native/spin.hpp"

namespace scx::native {

// Roles a workload's tasks play (hog, worker, ...): at most this many.
inline constexpr int MAX_ROLES = 2;

enum TaskState : std::uint32_t { TASK_NEW, TASK_READY, TASK_DONE, TASK_FAILED };

struct TaskRecord {
    std::atomic<std::uint32_t> state;
    std::int32_t role, nice; // nice: the value asked for, then the value the task has
    bool set_nice;           // apply `nice` (cpu); otherwise keep the inherited one
    std::int32_t pid, tid;
    std::int32_t error; // errno of what failed
    char what[112];     // what failed, e.g. "setting nice -5"
    std::uint64_t items, wakeups;
    // Over the run, from /proc/thread-self/schedstat (the CPU clock alone
    // when the kernel has no schedstat: then wait_ns and timeslices are 0).
    std::uint64_t cpu_ns, wait_ns, timeslices;
    std::uint64_t end_ns; // CLOCK_MONOTONIC when it stopped
    bool schedstat;
};

enum Go : std::uint32_t { GO_WAIT, GO_START, GO_ABORT };

struct Board {
    std::atomic<std::uint32_t> ready; // tasks that said they are ready
    std::atomic<std::uint32_t> go;    // Go
    std::atomic<std::uint64_t> start_ns, deadline_ns;
    LatencyHistogram all;              // every wake-up
    LatencyHistogram roles[MAX_ROLES]; // by role
    std::uint32_t nr_tasks;
    TaskRecord *tasks() { return reinterpret_cast<TaskRecord *>(this + 1); }
};

// One task, in the thread that runs it.
class Task {
public:
    Task(Board &b, std::uint32_t index, const Spinner &spinner, std::uint64_t seed);

    TaskRecord &record() { return rec_; }
    std::uint64_t deadline() const { return b_.deadline_ns.load(std::memory_order_acquire); }
    bool past_deadline() const;

    // Apply the record's nice value to this thread if asked, take the first
    // measurement, say ready and wait for the start. False when the run
    // was called off (or nice could not be set: the record says why).
    bool ready();
    // For a task started after the start (a fork job): the first measurement.
    void begin();
    // Use `ns` of CPU time; false when the deadline came first.
    bool spin(std::uint64_t ns) const { return spinner_.spin(ns, deadline()); }
    // Sleep until `due` (CLOCK_MONOTONIC) and count the wake-up, from `due`
    // to running again. False, with no wake-up counted, when `due` is at or
    // past the deadline (then it sleeps until the deadline).
    bool sleep_until(std::uint64_t due);
    // A wake-up that took latency_ns from the waker's call to running.
    void woke(std::uint64_t latency_ns);
    void item() { rec_.items++; }

    // Uniform in [lo, hi]; exponential with the given mean.
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi);
    std::uint64_t exponential(std::uint64_t mean);

    // The last measurement; the record is complete.
    void finish();
    // Record a failure; returns 1, the exit status of a failed task.
    int fail(const char *what, int err);

private:
    Board &b_;
    TaskRecord &rec_;
    const Spinner &spinner_;
    stats::Rng rng_;
    std::uint64_t cpu0_ = 0, wait0_ = 0, slices0_ = 0;
};

// The parent's side: the Board, the processes, the start and the end.
class Stage {
public:
    // A Board for nr_tasks tasks. Exit::temp_fail without memory.
    static Result<Stage> make(std::uint32_t nr_tasks);
    Board &board() const { return *board_; }
    TaskRecord &record(std::uint32_t i) const { return board_->tasks()[i]; }

    // Run body() in a new process (killed if this one dies).
    Result<void> process(const std::function<int()> &body);
    std::vector<Subprocess> &processes() { return procs_; }
    // Wait until `n` tasks are ready, then start them all: the start time
    // and the deadline (start + duration_ns; 0: none) are set. Calls the run
    // off when a process dies first (the error says why).
    Result<void> start(std::uint32_t n, std::uint64_t duration_ns);
    // Wait for every process. The first failure as an error.
    Result<void> reap();
    // Why task processes failed, from their records and exit statuses.
    Error failure() const;

private:
    SharedMemory mem_;
    Board *board_ = nullptr;
    std::vector<Subprocess> procs_;
};

} // namespace scx::native

#endif // SCX_NATIVE_TASK_HPP
