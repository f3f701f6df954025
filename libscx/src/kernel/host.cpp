// SPDX-License-Identifier: MIT
// The supervisor of `scx-run POLICY.so`: load, fork the worker, attach,
// watch, detach.
#include "kernel/host.hpp"

#include "kernel/worker.hpp"

#include "base/clock.hpp"
#include "kernel/sysfs.hpp"
#include "base/fd.hpp"
#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

namespace scx::kernel {

namespace {

constexpr int READY_TIMEOUT_MS = 30'000;   // policy load + init
constexpr int WATCH_MS = 20;               // supervisor poll period
constexpr int WORKER_STOP_MS = 2'000;      // after detach, then SIGKILL
constexpr int DETACH_WAIT_MS = 5'000;      // for the state to leave "enabled"

// SIGINT, SIGTERM, SIGHUP and SIGCHLD through a signalfd; restored on exit.
class Signals {
public:
    Signals()
    {
        sigemptyset(&set_);
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD})
            sigaddset(&set_, s);
        ::sigprocmask(SIG_BLOCK, &set_, &old_);
        fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
    }
    ~Signals()
    {
        fd_.reset();
        ::sigprocmask(SIG_SETMASK, &old_, nullptr);
    }
    int fd() const { return fd_.get(); }
    // Next pending signal, 0 if none.
    int next()
    {
        struct signalfd_siginfo si {};
        if (!fd_ || ::read(fd_.get(), &si, sizeof si) != static_cast<ssize_t>(sizeof si))
            return 0;
        return static_cast<int>(si.ssi_signo);
    }
    bool ok() const { return static_cast<bool>(fd_); }

private:
    sigset_t set_{}, old_{};
    UniqueFd fd_;
};

struct SharedReport {
    WorkerReport *r = nullptr;
    SharedReport()
    {
        void *p = ::mmap(nullptr, sizeof(WorkerReport), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            r = static_cast<WorkerReport *>(p);
    }
    ~SharedReport()
    {
        if (r)
            ::munmap(r, sizeof(WorkerReport));
    }
    SharedReport(const SharedReport &) = delete;
    SharedReport &operator=(const SharedReport &) = delete;
};

// A worker that is still running gets `ms` to leave by itself, then SIGKILL.
void reap(Subprocess &worker, int ms)
{
    if (!worker.wait_for(static_cast<long long>(ms) * 1'000'000LL)) {
        worker.signal(SIGKILL);
        worker.wait_for(-1);
    }
}

HostExit worker_exit(const WorkerReport *r, const ExitStatus &status)
{
    HostExit e;
    if (__atomic_load_n(&r->failed, __ATOMIC_ACQUIRE)) {
        e.kind = r->kind;
        e.code = r->exit_class;
        e.message = r->message;
        e.reason = e.kind == "sandbox" ? "forbidden system call" : e.kind == "policy-error" ? "policy failed" : e.kind;
        return e;
    }
    if (status.signal) {
        e.kind = "crash";
        e.code = status.signal;
        e.reason = "policy process killed by " + describe_signal(status.signal);
        e.message = "the process running the policy died (" + describe_signal(status.signal) +
                    "); the default scheduler was restored";
        return e;
    }
    e.kind = "worker-exit";
    e.code = status.code;
    e.reason = "policy process exited";
    e.message = "the process running the policy exited with status " + std::to_string(e.code);
    return e;
}

void add(Stats &total, const Stats &s)
{
    Counters &t = total.counters;
    const Counters &c = s.counters;
    t.nr_queued = c.nr_queued;
    t.nr_scheduled = c.nr_scheduled;
    t.nr_running = c.nr_running;
    t.nr_online_cpus = c.nr_online_cpus;
    t.nr_user_dispatches += c.nr_user_dispatches;
    t.nr_kernel_dispatches += c.nr_kernel_dispatches;
    t.nr_cancel_dispatches += c.nr_cancel_dispatches;
    t.nr_bounce_dispatches += c.nr_bounce_dispatches;
    t.nr_failed_dispatches += c.nr_failed_dispatches;
    t.nr_congestion += c.nr_congestion;
    total.nr_enqueued += s.nr_enqueued;
    total.nr_sched_dispatches += s.nr_sched_dispatches;
    total.nr_heartbeats += s.nr_heartbeats;
    total.nr_wakeups_sent += s.nr_wakeups_sent;
}

// The BPF counters plus the decisions the worker refused or cancelled
// itself (they never reach BPF).
Stats with_user_side(Stats s, const WorkerReport *r)
{
    s.counters.nr_failed_dispatches += __atomic_load_n(&r->user_failed, __ATOMIC_ACQUIRE);
    s.counters.nr_cancel_dispatches += __atomic_load_n(&r->user_cancelled, __ATOMIC_ACQUIRE);
    return s;
}

// One attach: returns the exit, or an Error before attach.
struct Attempt {
    HostExit exit;
    bool restart = false;
    bool stop_requested = false;
    bool policy_failed = false; // the worker failed while stopping (exit() threw...)
};

} // namespace

Result<RunReport> run_host(const HostOptions &opts, const StatsSink &sink)
{
    RunReport report;
    report.policy_path = opts.policy_path;
    report.policy = opts.sched.bpf_only ? "bpf-fifo" : "";
    struct utsname u {};
    if (::uname(&u) == 0)
        report.kernel = u.release;

    auto user = sandbox::resolve_user(opts.user);
    if (!user)
        return user.error();
    report.user = user->name;
    // The copy the worker loads once unprivileged (read here, as root).
    std::optional<sandbox::StagedPolicy> staged;
    if (!opts.sched.bpf_only) {
        auto st = sandbox::stage_policy(opts.policy_path, *user);
        if (!st)
            return st.error();
        staged.emplace(std::move(*st));
    }

    Signals signals;
    if (!signals.ok())
        return errno_error(Exit::software, "signalfd", errno);
    SharedReport shared;
    if (!shared.r)
        return errno_error(Exit::software, "mapping the worker report", errno);

    const double start = monotonic_s();
    double attached_at = 0, last_line = 0;
    Stats last_stats;
    bool stop = false, policy_failed = false;
    HostExit final_exit;

    for (;;) {
        std::memset(shared.r, 0, sizeof(WorkerReport));
        double t0 = monotonic_s();
        auto sched = Scheduler::open(opts.sched);
        if (!sched)
            return sched.error();
        if (report.restarts == 0)
            report.load_s = monotonic_s() - t0;
        sched->set_scheduler_process(0, ::getpid());

        Subprocess worker;
        if (!opts.sched.bpf_only) {
            auto ready_pipe = make_pipe();
            if (!ready_pipe)
                return std::move(ready_pipe).error();
            const pid_t supervisor = ::getpid();
            auto w = Subprocess::fork(
                [&]() -> int {
                    ready_pipe->read.reset();
                    worker_main(*sched, opts, staged->path, *user, shared.r, ready_pipe->write.get(), supervisor);
                },
                {});
            if (!w)
                return std::move(w).error();
            worker = std::move(*w);
            ready_pipe->write.reset();
            sched->set_scheduler_process(1, worker.pid());

            // Wait for the worker to load, initialise and sandbox the policy.
            struct pollfd fds[2] = {{ready_pipe->read.get(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
            bool ready = false, interrupted = false;
            const double deadline = monotonic_s() + READY_TIMEOUT_MS / 1000.0;
            while (!ready && !interrupted && monotonic_s() < deadline) {
                if (::poll(fds, 2, WATCH_MS) < 0 && errno != EINTR)
                    break;
                if (fds[0].revents) {
                    char byte;
                    ready = ::read(ready_pipe->read.get(), &byte, 1) == 1;
                    if (!ready)
                        break; // EOF: the worker died
                }
                for (int sig; (sig = signals.next()) != 0;)
                    if (sig != SIGCHLD)
                        interrupted = true;
            }
            if (!ready) {
                reap(worker, 0);
                if (interrupted)
                    return Error(Exit::interrupted, "interrupted before the scheduler was attached");
                if (__atomic_load_n(&shared.r->failed, __ATOMIC_ACQUIRE))
                    return Error(static_cast<Exit>(shared.r->exit_class), shared.r->message);
                const HostExit e = worker_exit(shared.r, worker.status());
                return Error(Exit::failure, e.message.empty() ? "the policy process did not get ready in time"
                                                              : e.message);
            }
            report.policy = shared.r->policy;
            report.heap_bytes = shared.r->heap_bytes;
        }

        t0 = monotonic_s();
        if (auto r = sched->attach(); !r) {
            if (worker.pid() > 0)
                reap(worker, 0);
            return r.error();
        }
        if (report.restarts == 0) {
            report.attach_s = monotonic_s() - t0;
            attached_at = monotonic_s();
            last_line = attached_at;
        }

        // Watch: signals, the worker, the kernel's verdict, time.
        Attempt at;
        bool worker_gone = false;
        while (true) {
            struct pollfd pfd = {signals.fd(), POLLIN, 0};
            (void)::poll(&pfd, 1, WATCH_MS);
            for (int sig; (sig = signals.next()) != 0;) {
                if (sig == SIGCHLD)
                    continue;
                at.stop_requested = true;
                at.exit.reason = describe_signal(sig) + " received";
            }
            if (at.stop_requested)
                break;
            if (worker.pid() > 0 && !worker.running()) {
                worker_gone = true;
                at.exit = worker_exit(shared.r, worker.status());
                break;
            }
            if (auto e = sched->exit_info()) {
                at.restart = e->restart();
                at.exit.kind = e->kind_name();
                at.exit.code = e->code;
                at.exit.reason = e->reason;
                at.exit.message = e->message;
                break;
            }
            const double t = monotonic_s();
            if (opts.duration_ns && t - attached_at >= static_cast<double>(opts.duration_ns) / 1e9) {
                at.stop_requested = true;
                at.exit.reason = "duration reached";
                break;
            }
            if (opts.interval_ns && sink && t - last_line >= static_cast<double>(opts.interval_ns) / 1e9) {
                StatsLine line;
                line.time_s = t - attached_at;
                // Totals of earlier attachments (a restart) plus this
                // one's; the current values (queued, running, CPUs) now.
                line.stats = report.stats;
                add(line.stats, with_user_side(sched->stats(), shared.r));
                line.decisions_per_s = static_cast<double>(line.stats.counters.nr_user_dispatches -
                                                           last_stats.counters.nr_user_dispatches) /
                                       (t - last_line);
                last_stats = line.stats;
                last_line = t;
                sink(line);
            }
        }

        // Detach first: the machine goes back to the default scheduler now.
        t0 = monotonic_s();
        sched->detach();
        const double detach_deadline = monotonic_s() + DETACH_WAIT_MS / 1000.0;
        while (sched_ext::read_status().enabled() && monotonic_s() < detach_deadline)
            ::usleep(1000);
        report.detach_s = monotonic_s() - t0;

        if (worker.pid() > 0 && !worker_gone) {
            reap(worker, WORKER_STOP_MS);
            // A policy that failed in its exit() hook still counts: the run
            // stopped on request, but it did not end well.
            if (at.stop_requested && __atomic_load_n(&shared.r->failed, __ATOMIC_ACQUIRE)) {
                at.exit = worker_exit(shared.r, worker.status());
                at.policy_failed = true;
            }
        }
        report.schedule_calls += shared.r->schedule_calls;
        report.denied_syscalls += shared.r->violation.count;
        report.worker_minor_faults += shared.r->minflt_now - std::min(shared.r->minflt_now, shared.r->minflt_ready);
        report.worker_major_faults += shared.r->majflt_now - std::min(shared.r->majflt_now, shared.r->majflt_ready);
        add(report.stats, with_user_side(sched->stats(), shared.r));
        final_exit = at.exit;
        stop = at.stop_requested;
        policy_failed = at.policy_failed;
        if (at.restart && !stop && report.restarts < static_cast<std::uint64_t>(opts.max_restarts)) {
            report.restarts++;
            continue; // the Scheduler is destroyed and loaded again
        }
        break;
    }
    if (stop && !policy_failed) {
        final_exit.kind = "done";
        final_exit.code = 0;
        if (final_exit.message.empty())
            final_exit.message = "stopped: " + final_exit.reason;
    }
    report.exit = final_exit;
    report.duration_s = attached_at > 0 ? monotonic_s() - attached_at : monotonic_s() - start;
    return report;
}

} // namespace scx::kernel
