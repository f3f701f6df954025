// SPDX-License-Identifier: MIT
// The supervisor of a kernel run: load, fork the contained worker, attach,
// run the workload, watch, detach.
#include "kernel/host.hpp"

#include "base/clock.hpp"
#include "base/fd.hpp"
#include "base/process.hpp"
#include "kernel/worker.hpp"
#include "kernel/workload.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace scx::kernel {

namespace {

constexpr int WATCH_MS = 20;               // supervisor poll period
constexpr std::uint64_t SETUP_TIMEOUT_NS = 60 * NSEC_PER_SEC; // the worker's setup, before policy code
constexpr long long WORKER_STOP_NS = 2'000'000'000LL; // after detach, then SIGKILL

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
    // Next pending signal but SIGCHLD, 0 if none.
    int next()
    {
        struct signalfd_siginfo si {};
        while (fd_ && ::read(fd_.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si))
            if (si.ssi_signo != SIGCHLD)
                return static_cast<int>(si.ssi_signo);
        return 0;
    }
    bool ok() const { return static_cast<bool>(fd_); }

private:
    sigset_t set_{}, old_{};
    UniqueFd fd_;
};

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
Stats with_user_side(Stats s, const contain::Record &r)
{
    s.counters.nr_failed_dispatches += r.values[USER_FAILED].load(std::memory_order_acquire);
    s.counters.nr_cancel_dispatches += r.values[USER_CANCELLED].load(std::memory_order_acquire);
    return s;
}

std::uint64_t since(const contain::Record &r, WorkerValue now, WorkerValue then)
{
    const std::uint64_t a = r.values[now].load(), b = r.values[then].load();
    return a > b ? a - b : 0;
}

std::string signal_text(int sig) { return describe_signal(sig) + " received"; }

} // namespace

RunExit kernel_exit(const ExitInfo &e)
{
    RunExit x;
    const std::string name = e.kind_name();
    x.kind = name == "stall" ? ExitKind::stall : e.kind >= 1024 ? ExitKind::error : ExitKind::ejected;
    x.code = e.code;
    x.reason = e.reason.empty() ? name : e.reason;
    x.message = e.message;
    return x;
}

RunHost this_host()
{
    RunHost h;
    h.backend = BackendKind::kernel;
    h.cpus = static_cast<int>(online_cpus());
    struct utsname u {};
    if (::uname(&u) == 0)
        h.kernel = u.release;
    return h;
}

Result<RunReport> run_host(const KernelSettings &ks, const RunRequest &req, const std::vector<std::string> &command,
                           const StatsSink &sink)
{
    const bool bpf_only = req.scheduler == RunRequest::Scheduler::bpf_only;
    RunReport report;
    report.host = this_host();
    report.policy_path = bpf_only ? "" : req.policy_path;
    report.policy = bpf_only ? "bpf-fifo" : "";

    auto user = sandbox::resolve_user(ks.confinement.user);
    if (!user)
        return user.error();
    report.host.user = user->name;
    // The copy the worker loads once unprivileged (read here, as root).
    std::optional<sandbox::StagedPolicy> staged;
    if (!bpf_only) {
        auto st = sandbox::stage_policy(req.policy_path, *user);
        if (!st)
            return st.error();
        staged.emplace(std::move(*st));
    }
    WorkerSetup setup;
    if (staged)
        setup.load_path = staged->path;
    setup.policy_path = req.policy_path;
    setup.user = *user;
    setup.confinement = ks.confinement;
    setup.heap_bytes = ks.heap_bytes;
    setup.params = req.params;

    Signals signals;
    if (!signals.ok())
        return errno_error(Exit::software, "signalfd", errno);
    auto shared = contain::SharedRecord::create();
    if (!shared)
        return std::move(shared).error();
    contain::Record &rec = **shared;
    Options sched_opts = ks.sched;
    sched_opts.bpf_only = bpf_only;

    WorkloadCommand cmd;
    const std::uint64_t start = monotonic_ns();
    std::uint64_t attached_at = 0, last_line = 0;
    double load_s = 0, attach_s = 0, detach_s = 0;
    std::uint64_t restarts = 0, schedule_calls = 0, denied = 0, minflt = 0, majflt = 0, heap = 0;
    Stats total, last_stats;
    RunExit final_exit;
    std::optional<SchedExtChecks> checks;
    if (!command.empty())
        checks.emplace();

    for (;;) {
        shared->reset();
        std::uint64_t t0 = monotonic_ns();
        auto sched = Scheduler::open(sched_opts);
        if (!sched)
            return sched.error();
        if (restarts == 0)
            load_s = static_cast<double>(monotonic_ns() - t0) / 1e9;
        sched->set_scheduler_process(0, ::getpid());

        Subprocess worker;
        if (!bpf_only) {
            auto ready_pipe = make_pipe();
            if (!ready_pipe)
                return std::move(ready_pipe).error();
            const pid_t supervisor = ::getpid();
            auto w = Subprocess::fork(
                [&]() -> int {
                    ready_pipe->read.reset();
                    worker_main(*sched, setup, rec, ready_pipe->write.get(), supervisor);
                },
                {});
            if (!w)
                return std::move(w).error();
            worker = std::move(*w);
            ready_pipe->write.reset();
            sched->set_scheduler_process(1, worker.pid());

            // Wait for the worker to load, initialise and contain the policy.
            struct pollfd fds[2] = {{ready_pipe->read.get(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
            bool ready = false, interrupted = false;
            // Loading the policy and its init() have the policy timeout,
            // from when the worker starts loading; its own setup (locking
            // memory, the heap) has a generous one of its own.
            std::uint64_t deadline = monotonic_ns() + SETUP_TIMEOUT_NS;
            bool loading = false;
            while (!ready && !interrupted && monotonic_ns() < deadline) {
                const auto phase = static_cast<contain::Phase>(rec.watch.phase.load(std::memory_order_relaxed));
                if (!loading && (phase == contain::Phase::loading || phase == contain::Phase::init)) {
                    loading = true;
                    deadline = monotonic_ns() + ks.confinement.call_timeout_ns;
                }
                if (::poll(fds, 2, WATCH_MS) < 0 && errno != EINTR)
                    break;
                if (fds[0].revents) {
                    char byte;
                    ready = ::read(ready_pipe->read.get(), &byte, 1) == 1;
                    if (!ready)
                        break; // end of file: the worker died
                }
                if (signals.next() || (req.cancel && *req.cancel))
                    interrupted = true;
            }
            if (!ready) {
                contain::ChildEnd end;
                if (!worker.wait_for(interrupted ? 0 : 500'000'000LL)) {
                    worker.signal(SIGKILL);
                    worker.wait_for(-1);
                    end.hung = !interrupted;
                    end.cancelled = interrupted;
                }
                end.status = worker.status();
                if (interrupted)
                    return Error(Exit::interrupted, "interrupted before the scheduler was attached");
                auto e = contain::classify(rec, end, req.policy_path, ks.confinement);
                if (!e)
                    return std::move(e).error();
                // Policy code failed before the scheduler was attached: the
                // run never started.
                return Error(Exit::failure, e->message);
            }
            report.policy = contain::policy_name(rec);
            report.params = contain::read_params(rec);
        }

        t0 = monotonic_ns();
        if (auto r = sched->attach(); !r)
            return r.error();
        if (restarts == 0) {
            attach_s = static_cast<double>(monotonic_ns() - t0) / 1e9;
            attached_at = last_line = monotonic_ns();
        }

        // Watch: signals, the worker, the kernel's verdict, the workload,
        // time.
        RunExit at;
        bool stop = false, restart = false, worker_gone = false, worker_failed = false;
        while (!stop) {
            std::vector<pollfd> fds = {{signals.fd(), POLLIN, 0}};
            cmd.add_poll(fds);
            (void)::poll(fds.data(), fds.size(), WATCH_MS);
            if (const int sig = signals.next(); sig || (req.cancel && *req.cancel)) {
                // A signal is how a run without a command ends; with a
                // command still running it interrupts the run.
                const bool cut_short = cmd.started() && !cmd.finished();
                at = RunExit{cut_short ? ExitKind::interrupted : ExitKind::done,
                             sig ? signal_text(sig) : "interrupted", "", 0};
                stop = true;
                break;
            }
            if (worker.pid() > 0 && !worker.running()) {
                worker_gone = true;
                contain::ChildEnd end;
                end.status = worker.status();
                auto e = contain::classify(rec, end, req.policy_path, ks.confinement);
                at = e ? *e : RunExit{ExitKind::exited, "policy process exited", e.error().message, 0};
                worker_failed = true;
                break;
            }
            if (auto e = sched->exit_info()) {
                restart = e->restart();
                at = kernel_exit(*e);
                break;
            }
            // The workload starts once the kernel runs scxkit's scheduler.
            if (!command.empty() && !cmd.started()) {
                const auto st = sched_ext::read_status(ks.sysfs);
                if (st.ours()) {
                    checks->before = st.describe();
                    if (auto r = cmd.start(command, req.capture_output); !r) {
                        sched->detach();
                        return r.error();
                    }
                } else if (monotonic_ns() - attached_at > ks.attach_timeout_ns) {
                    at = RunExit{ExitKind::ejected, "not enabled",
                                 "sched_ext was not enabled with " + std::string(sched_ext::OPS_NAME) + " within " +
                                     std::to_string(ks.attach_timeout_ns / NSEC_PER_SEC) + " s (state: " +
                                     st.describe() + ")",
                                 0};
                    break;
                }
            }
            if (cmd.started() && !cmd.running()) {
                checks->after = sched_ext::read_status(ks.sysfs).describe();
                at = RunExit{ExitKind::done, "workload finished", "", 0};
                stop = true;
                break;
            }
            const std::uint64_t now = monotonic_ns();
            if (ks.confinement.run_timeout_ns && now - start > ks.confinement.run_timeout_ns) {
                at = RunExit{ExitKind::timeout, "run timeout",
                             "the run reached its time limit of " +
                                 std::to_string(ks.confinement.run_timeout_ns / NSEC_PER_MSEC) + " ms (--timeout)",
                             0};
                break;
            }
            if (command.empty() && ks.duration_ns && now - attached_at >= ks.duration_ns) {
                at = RunExit{ExitKind::done, "duration reached", "", 0};
                stop = true;
                break;
            }
            if (ks.interval_ns && sink && now - last_line >= ks.interval_ns) {
                StatsLine line;
                line.time_s = static_cast<double>(now - attached_at) / 1e9;
                // Totals of earlier attachments (a restart) plus this one's;
                // the current values (queued, running, CPUs) now.
                Stats s = total;
                add(s, with_user_side(sched->stats(), rec));
                line.counters = s.counters;
                line.nr_enqueued = s.nr_enqueued;
                line.nr_sched_dispatches = s.nr_sched_dispatches;
                line.decisions_per_s = static_cast<double>(s.counters.nr_user_dispatches -
                                                           last_stats.counters.nr_user_dispatches) /
                                       (static_cast<double>(now - last_line) / 1e9);
                last_stats = s;
                last_line = now;
                sink(line);
            }
        }

        // Detach first: the machine goes back to the default scheduler now.
        t0 = monotonic_ns();
        sched->detach();
        const auto off = sched_ext::wait_status(ks.sysfs, static_cast<long long>(ks.detach_timeout_ns),
                                                [](const sched_ext::Status &s) { return !s.enabled(); });
        detach_s = static_cast<double>(monotonic_ns() - t0) / 1e9;
        (void)off;

        if (worker.pid() > 0 && !worker_gone) {
            if (!worker.wait_for(WORKER_STOP_NS)) {
                worker.signal(SIGKILL);
                worker.wait_for(-1);
            }
            // A policy that failed in its exit() hook still counts: the run
            // stopped on request, but it did not end well.
            contain::ChildEnd end;
            end.status = worker.status();
            if (stop && worker.status().code != 0) {
                if (auto e = contain::classify(rec, end, req.policy_path, ks.confinement))
                    at = *e;
                worker_failed = true;
            }
        }
        schedule_calls += rec.values[SCHEDULE_CALLS].load();
        denied += __atomic_load_n(&rec.denied, __ATOMIC_ACQUIRE);
        minflt += since(rec, MINFLT_NOW, MINFLT_READY);
        majflt += since(rec, MAJFLT_NOW, MAJFLT_READY);
        heap = std::max(heap, rec.values[HEAP_BYTES].load());
        add(total, with_user_side(sched->stats(), rec));
        final_exit = at;
        if (restart && !stop && restarts < static_cast<std::uint64_t>(ks.max_restarts)) {
            restarts++;
            continue; // the Scheduler is destroyed and loaded again
        }
        if (stop && !worker_failed && final_exit.kind == ExitKind::done && final_exit.message.empty())
            final_exit.message = "stopped: " + final_exit.reason;
        break;
    }

    // A workload still running when the scheduler went away (ejected,
    // crashed) finishes on the default scheduler: the run has failed, but
    // the command's own result is part of the report.
    while (cmd.started() && !cmd.finished()) {
        std::vector<pollfd> fds = {{signals.fd(), POLLIN, 0}};
        cmd.add_poll(fds);
        (void)::poll(fds.data(), fds.size(), WATCH_MS);
        const bool late = ks.confinement.run_timeout_ns && monotonic_ns() - start > ks.confinement.run_timeout_ns;
        if (signals.next() || (req.cancel && *req.cancel) || late) {
            cmd.stop();
            break;
        }
        if (!cmd.running())
            checks->after = sched_ext::read_status(ks.sysfs).describe();
    }
    if (checks) {
        if (checks->after.empty())
            checks->after = sched_ext::read_status(ks.sysfs).describe();
        checks->after_stop = sched_ext::wait_status(ks.sysfs, static_cast<long long>(ks.detach_timeout_ns),
                                                    [](const sched_ext::Status &s) { return s.disabled(); })
                                 .describe();
        report.sched_ext = std::move(checks);
    }
    if (cmd.started()) {
        cmd.result().timed_out = false;
        report.command = std::move(cmd.result());
    }

    report.exit = std::move(final_exit);
    const double duration_s = static_cast<double>(monotonic_ns() - (attached_at ? attached_at : start)) / 1e9;
    const Counters &c = total.counters;
    report.counters = c;
    auto num = [&](const char *name, double v) { report.metrics.push_back({name, v, false}); };
    auto cnt = [&](const char *name, std::uint64_t v) { report.metrics.push_back({name, static_cast<double>(v), true}); };
    num("duration_s", duration_s);
    num("load_s", load_s);
    num("attach_s", attach_s);
    num("detach_s", detach_s);
    num("decisions_per_s", duration_s > 0 ? static_cast<double>(c.nr_user_dispatches) / duration_s : 0.0);
    num("kernel_dispatches_per_s", duration_s > 0 ? static_cast<double>(c.nr_kernel_dispatches) / duration_s : 0.0);
    cnt("nr_enqueued", total.nr_enqueued);
    cnt("nr_sched_dispatches", total.nr_sched_dispatches);
    cnt("nr_heartbeats", total.nr_heartbeats);
    cnt("nr_wakeups_sent", total.nr_wakeups_sent);
    cnt("schedule_calls", schedule_calls);
    cnt("restarts", restarts);
    cnt("denied_syscalls", denied);
    cnt("worker_minor_faults", minflt);
    cnt("worker_major_faults", majflt);
    cnt("heap_bytes", heap);
    report.cost.wall_s = duration_s;
    return report;
}

} // namespace scx::kernel
