// SPDX-License-Identifier: MIT
#include "native/task.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>

namespace scx::native {

namespace {

struct SchedStat {
    std::uint64_t cpu_ns = 0, wait_ns = 0, timeslices = 0;
    bool ok = false;
};

// The thread's time on a CPU, time waiting on a run queue and number of
// times it ran, as the kernel's scheduler statistics count them.
SchedStat read_schedstat()
{
    SchedStat s;
    auto text = read_file("/proc/thread-self/schedstat");
    if (text) {
        unsigned long long a, b, c;
        if (std::sscanf(text->c_str(), "%llu %llu %llu", &a, &b, &c) == 3) {
            s = {a, b, c, true};
            return s;
        }
    }
    s.cpu_ns = thread_cpu_ns();
    return s;
}

constexpr std::uint64_t READY_POLL_NS = 100'000'000;

} // namespace

Task::Task(Board &b, std::uint32_t index, const Spinner &spinner, std::uint64_t seed)
    : b_(b), rec_(b.tasks()[index]), spinner_(spinner), rng_(seed * 0x9e3779b97f4a7c15ULL + index)
{
}

bool Task::past_deadline() const { return monotonic_ns() >= deadline(); }

void Task::begin()
{
    rec_.pid = static_cast<std::int32_t>(::getpid());
    rec_.tid = static_cast<std::int32_t>(::gettid());
    errno = 0;
    if (const int nice = ::getpriority(PRIO_PROCESS, 0); errno == 0)
        rec_.nice = nice;
    const SchedStat s = read_schedstat();
    cpu0_ = s.cpu_ns;
    wait0_ = s.wait_ns;
    slices0_ = s.timeslices;
    rec_.schedstat = s.ok;
}

bool Task::ready()
{
    // The nice value asked for (cpu's nice parameter), whatever the one
    // inherited: per thread on Linux, this task only. Raising it needs no
    // privilege; lowering it below the inherited value does (CAP_SYS_NICE or
    // RLIMIT_NICE). Other workloads have no nice value and keep the one
    // inherited. The record keeps the value the task really has.
    errno = 0;
    const int inherited = ::getpriority(PRIO_PROCESS, 0);
    if (rec_.set_nice && errno == 0 && inherited != rec_.nice && ::setpriority(PRIO_PROCESS, 0, rec_.nice) != 0) {
        const int e = errno;
        fail(("setting nice " + std::to_string(rec_.nice) + " (inherited " + std::to_string(inherited) + ")").c_str(), e);
        b_.ready.fetch_add(1);
        futex_wake(b_.ready, 1, true);
        return false;
    }
    // Measured from here: the wait between the start signal and first
    // running is run delay, as a task the simulator starts waits for a CPU.
    begin();
    rec_.state.store(TASK_READY, std::memory_order_release);
    b_.ready.fetch_add(1, std::memory_order_acq_rel);
    futex_wake(b_.ready, 1, true);
    std::uint32_t g;
    while ((g = b_.go.load(std::memory_order_acquire)) == GO_WAIT)
        futex_wait(b_.go, GO_WAIT, true);
    return g == GO_START;
}

bool Task::sleep_until(std::uint64_t due)
{
    const std::uint64_t end = deadline();
    const bool counted = due < end;
    const std::uint64_t until = counted ? due : end;
    struct timespec ts {};
    ts.tv_sec = static_cast<time_t>(until / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(until % 1'000'000'000);
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
    if (counted) {
        const std::uint64_t now = monotonic_ns();
        woke(now > due ? now - due : 0);
    }
    return counted;
}

void Task::woke(std::uint64_t latency_ns)
{
    b_.all.add(latency_ns);
    if (rec_.role >= 0 && rec_.role < MAX_ROLES)
        b_.roles[rec_.role].add(latency_ns);
    rec_.wakeups++;
}

std::uint64_t Task::uniform(std::uint64_t lo, std::uint64_t hi)
{
    return hi > lo ? lo + rng_.below(hi - lo + 1) : lo;
}

std::uint64_t Task::exponential(std::uint64_t mean)
{
    // 53 random bits in (0, 1]: -ln u is exponential with mean 1.
    const double u = static_cast<double>((rng_.next() >> 11) + 1) / 9007199254740992.0;
    return static_cast<std::uint64_t>(-std::log(u) * static_cast<double>(mean));
}

void Task::finish()
{
    const SchedStat s = read_schedstat();
    rec_.cpu_ns = s.cpu_ns - cpu0_;
    rec_.wait_ns = s.ok && rec_.schedstat ? s.wait_ns - wait0_ : 0;
    rec_.timeslices = s.ok && rec_.schedstat ? s.timeslices - slices0_ : 0;
    rec_.schedstat = s.ok && rec_.schedstat;
    rec_.end_ns = monotonic_ns();
    rec_.state.store(TASK_DONE, std::memory_order_release);
}

int Task::fail(const char *what, int err)
{
    std::snprintf(rec_.what, sizeof rec_.what, "%s", what);
    rec_.error = err;
    rec_.state.store(TASK_FAILED, std::memory_order_release);
    return 1;
}

Result<Stage> Stage::make(std::uint32_t nr_tasks)
{
    auto mem = SharedMemory::make(sizeof(Board) + static_cast<std::size_t>(nr_tasks) * sizeof(TaskRecord));
    if (!mem)
        return std::move(mem).error();
    Stage s;
    s.board_ = new (mem->get()) Board();
    for (std::uint32_t i = 0; i < nr_tasks; i++)
        new (&s.board_->tasks()[i]) TaskRecord();
    s.board_->nr_tasks = nr_tasks;
    s.mem_ = std::move(*mem);
    return s;
}

Result<void> Stage::process(const std::function<int()> &body)
{
    SpawnOptions o;
    o.death_signal = SIGKILL; // no task outlives the run
    auto p = Subprocess::fork(body, o);
    if (!p)
        return Error(Exit::temp_fail, "starting a workload process: " + p.error().message);
    procs_.push_back(std::move(*p));
    return {};
}

Result<void> Stage::start(std::uint32_t n, std::uint64_t duration_ns)
{
    Board &b = *board_;
    for (;;) {
        const std::uint32_t r = b.ready.load(std::memory_order_acquire);
        if (r >= n)
            break;
        futex_wait(b.ready, r, true, READY_POLL_NS);
        for (Subprocess &p : procs_)
            if (!p.running()) {
                b.go.store(GO_ABORT, std::memory_order_release);
                futex_wake(b.go, INT_MAX, true);
                (void)reap();
                return failure();
            }
    }
    // A task that failed before it was ready (nice) counted itself ready.
    for (std::uint32_t i = 0; i < b.nr_tasks; i++)
        if (record(i).state.load(std::memory_order_acquire) == TASK_FAILED) {
            b.go.store(GO_ABORT, std::memory_order_release);
            futex_wake(b.go, INT_MAX, true);
            (void)reap();
            return failure();
        }
    const std::uint64_t start = monotonic_ns();
    b.start_ns.store(start, std::memory_order_relaxed);
    b.deadline_ns.store(duration_ns ? start + duration_ns : UINT64_MAX, std::memory_order_relaxed);
    b.go.store(GO_START, std::memory_order_release);
    futex_wake(b.go, INT_MAX, true);
    return {};
}

Result<void> Stage::reap()
{
    bool failed = false;
    for (Subprocess &p : procs_) {
        p.wait_for(-1);
        failed = failed || p.status().code != 0;
    }
    if (failed)
        return failure();
    return {};
}

Error Stage::failure() const
{
    for (std::uint32_t i = 0; i < board_->nr_tasks; i++) {
        const TaskRecord &r = record(i);
        if (r.state.load(std::memory_order_acquire) != TASK_FAILED)
            continue;
        const bool perm = r.error == EPERM || r.error == EACCES;
        Error e = errno_error(perm ? Exit::no_perm : r.error == EAGAIN || r.error == ENOMEM ? Exit::temp_fail
                                                                                            : Exit::failure,
                              r.what, r.error);
        if (perm && std::strncmp(r.what, "setting nice", 12) == 0)
            e.message += " (a nice value below the inherited one needs CAP_SYS_NICE or RLIMIT_NICE)";
        return e;
    }
    int failed = 0;
    ExitStatus first;
    for (const Subprocess &p : procs_)
        if (p.status().code != 0 && !failed++)
            first = p.status();
    return Error(Exit::failure, std::to_string(failed) + " workload process(es) failed (first: " +
                                    (first.signal ? "killed by " + describe_signal(first.signal)
                                                  : "exit status " + std::to_string(first.code)) +
                                    ")");
}

} // namespace scx::native
