// SPDX-License-Identifier: MIT
// The worker: lock memory, contain itself, load the policy and run the
// scheduling loop.
#include "kernel/worker.hpp"

#include <scx/loader.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <new>

namespace scx::kernel {

namespace {

using contain::Phase;
using contain::Record;

constexpr int IDLE_WAIT_MS = 100;   // wake up this often to notice a stop
constexpr int BACKLOG_WAIT_MS = 1;  // decisions wait for room in the ring

[[noreturn]] void fail_and_exit(Record &r, const Error &e)
{
    contain::fail(r, e);
    ::_exit(2);
}

[[noreturn]] void policy_failed(Record &r, const Error &e)
{
    contain::finish(r, RunExit{ExitKind::error, "policy error", e.message, 0});
    ::_exit(2);
}

void record_faults(Record &r, bool baseline)
{
    struct rusage ru {};
    if (::getrusage(RUSAGE_SELF, &ru) < 0)
        return;
    const auto minflt = static_cast<std::uint64_t>(ru.ru_minflt), majflt = static_cast<std::uint64_t>(ru.ru_majflt);
    if (baseline) {
        r.values[MINFLT_READY] = minflt;
        r.values[MAJFLT_READY] = majflt;
    }
    r.values[MINFLT_NOW] = minflt;
    r.values[MAJFLT_NOW] = majflt;
}

void set_phase(Record &r, Phase p) { r.watch.phase.store(static_cast<std::uint32_t>(p), std::memory_order_relaxed); }

[[noreturn]] void run(Scheduler &sched, const WorkerSetup &setup, Record &rec, int ready_fd)
{
    if (auto r = sandbox::lock_memory(); !r)
        fail_and_exit(rec, r.error());
    auto ctx = sched.make_context();
    if (!ctx)
        fail_and_exit(rec, ctx.error());
    KernelContext &c = **ctx;
    // The BPF counters and exit information become read-only, every BPF
    // descriptor but the task ring's is closed (see Scheduler::enter_worker).
    if (auto r = sched.enter_worker(c, {ready_fd}); !r)
        fail_and_exit(rec, r.error());
    // The memory limit counts what is mapped already (the rings, the
    // libraries); the heap is grown and touched once, then kept.
    if (auto r = contain::confine(setup.confinement, &setup.user); !r)
        fail_and_exit(rec, r.error());
    auto heap = sandbox::prefault_heap(setup.heap_bytes);
    if (!heap)
        fail_and_exit(rec, heap.error());
    rec.values[HEAP_BYTES] = *heap;

    // From here on, nothing runs with privileges, and no policy code runs
    // outside seccomp: the loading filter covers dlopen() (the policy's
    // global constructors and its class constructor), the stricter running
    // filter, stacked on it, covers init() and everything after. A denied
    // call ends this process; the supervisor names it.
    auto lp = contain::load_policy(rec, setup.load_path, setup.policy_path, setup.params);
    if (!lp)
        fail_and_exit(rec, lp.error());
    set_phase(rec, Phase::init);
    if (auto r = lp->init(c); !r)
        policy_failed(rec, r.error());
    record_faults(rec, true);
    rec.state.store(static_cast<std::uint32_t>(contain::State::ready), std::memory_order_release);
    const char byte = 'r';
    if (::write(ready_fd, &byte, 1) != 1)
        ::_exit(1);

    std::uint64_t calls = 0, last_faults = c.now();
    while (!c.exited()) {
        if (c.wait(c.backlog() ? BACKLOG_WAIT_MS : IDLE_WAIT_MS)) {
            c.set_pending(0);
            set_phase(rec, Phase::schedule);
            if (auto r = lp->schedule(c); !r)
                policy_failed(rec, r.error());
            rec.values[SCHEDULE_CALLS].store(++calls, std::memory_order_release);
            rec.values[USER_FAILED].store(c.user_failed(), std::memory_order_release);
            rec.values[USER_CANCELLED].store(c.user_cancelled(), std::memory_order_release);
        }
        c.end_batch();
        if (c.now() - last_faults > NSEC_PER_SEC) {
            record_faults(rec, false);
            last_faults = c.now();
        }
    }
    record_faults(rec, false);
    set_phase(rec, Phase::exit);
    if (auto r = lp->exit(c); !r)
        policy_failed(rec, r.error());
    contain::finish(rec, RunExit{});
    ::_exit(0);
}

} // namespace

void worker_main(Scheduler &sched, const WorkerSetup &setup, Record &rec, int ready_fd, pid_t supervisor)
{
    // Die with the supervisor; leave signals from the terminal to it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != supervisor)
        ::_exit(1);
    ::prctl(PR_SET_NAME, "scx-worker");
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE})
        ::signal(sig, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // Standard output carries the supervisor's JSON: whatever the policy
    // prints goes to standard error.
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    set_phase(rec, Phase::setup);
    try {
        run(sched, setup, rec, ready_fd);
    } catch (const std::bad_alloc &) {
        contain::finish(rec, RunExit{ExitKind::oom, "out of memory", "", 0});
        ::_exit(2);
    }
}

} // namespace scx::kernel
