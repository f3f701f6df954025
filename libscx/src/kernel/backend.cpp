// SPDX-License-Identifier: MIT
#include "kernel/backend.hpp"

#include "base/clock.hpp"
#include "kernel/workload.hpp"
#include "native/workload.hpp"
#include "policy/params.hpp"

#include <poll.h>
#include <unistd.h>

#include <thread>

namespace scx::kernel {

namespace {

constexpr int POLL_MS = 20;

} // namespace

Result<void> check_ready(const std::string &sysfs)
{
    if (::geteuid() != 0)
        return Error(Exit::no_perm,
                     "hosting a policy on the kernel needs root (loading a sched_ext scheduler needs CAP_BPF and "
                     "CAP_SYS_ADMIN; the policy itself runs unprivileged); try sudo, or --sim to run it on the "
                     "simulator");
    Support s = probe_support();
    if (sysfs != sched_ext::SYSFS_ROOT) {
        const auto st = sched_ext::read_status(sysfs);
        s.sched_ext = st.present;
        s.state = st.state;
        s.ops = st.ops;
    }
    return check_support(s);
}

Result<RunReport> KernelBackend::run(const RunRequest &req, const StatsSink &stats)
{
    if (auto ok = check_params_wanted(req); !ok)
        return ok.error();
    std::vector<std::string> command = req.command;
    RunRequest r = req;
    const bool native = !req.workload.empty();
    if (native) {
        if (!command.empty())
            return Error(Exit::usage, "a native workload and a command: give one or the other");
        auto argv = native::native_workload_command(req.workload);
        if (!argv)
            return std::move(argv).error();
        command = std::move(*argv);
        r.capture_output = true;
    }
    Result<RunReport> report = Error(Exit::software, "no run");
    if (req.scheduler == RunRequest::Scheduler::builtin) {
        report = run_default(r, command);
    } else {
        if (req.scheduler == RunRequest::Scheduler::policy && req.policy_path.empty())
            return Error(Exit::usage, "no policy to run");
        if (auto ok = check_ready(s_.sysfs); !ok)
            return ok.error();
        report = run_host(s_, r, command, stats);
    }
    if (!report)
        return report;
    // The native workload's own figures, named as the simulator's.
    if (native && report->command && report->command->exit_code == 0) {
        if (auto m = native::native_workload_metrics(req.workload, report->command->out))
            report->metrics.insert(report->metrics.end(), m->begin(), m->end());
        if (!req.capture_output) {
            report->command->out.clear();
            report->command->captured = false;
        }
    }
    return report;
}

Result<RunReport> KernelBackend::run_default(const RunRequest &req, const std::vector<std::string> &command)
{
    if (command.empty())
        return Error(Exit::usage, "the kernel's own scheduler needs a workload to run (a command or --workload)");
    RunReport report;
    report.host = this_host();
    report.policy = "default";
    SchedExtChecks checks;
    // Nothing may be attached: 'default' would not measure the kernel's own
    // scheduler. One going away is waited for.
    const auto before = sched_ext::wait_status(s_.sysfs, static_cast<long long>(s_.detach_timeout_ns),
                                               [](const sched_ext::Status &s) { return s.disabled(); }, req.cancel);
    if (req.cancel && *req.cancel)
        return Error(Exit::interrupted, "interrupted");
    if (!before.disabled())
        return Error(Exit::unavailable, "a sched_ext scheduler is attached (" + before.describe() +
                                            "): 'default' would not measure the kernel's own scheduler; stop it first");
    checks.before = before.describe();
    WorkloadCommand cmd;
    if (auto r = cmd.start(command, req.capture_output); !r)
        return r.error();
    const std::uint64_t start = monotonic_ns();
    while (cmd.running()) {
        std::vector<pollfd> fds;
        cmd.add_poll(fds);
        (void)::poll(fds.data(), fds.size(), POLL_MS);
        const bool late = s_.confinement.run_timeout_ns && monotonic_ns() - start > s_.confinement.run_timeout_ns;
        if ((req.cancel && *req.cancel) || late) {
            cmd.stop();
            report.exit = late ? RunExit{ExitKind::timeout, "run timeout",
                                         "the workload reached the run's time limit (--timeout)", 0}
                               : RunExit{ExitKind::interrupted, "interrupted", "", 0};
            break;
        }
    }
    const auto after = sched_ext::read_status(s_.sysfs);
    checks.after = after.describe();
    checks.after_stop = checks.after;
    if (!after.disabled() && report.exit.kind == ExitKind::done)
        report.exit = RunExit{ExitKind::error, "scheduler attached",
                              "a sched_ext scheduler was attached during the run (" + after.describe() + ")", 0};
    report.sched_ext = std::move(checks);
    report.command = std::move(cmd.result());
    report.cost.wall_s = report.command->wall_s;
    return report;
}

} // namespace scx::kernel
