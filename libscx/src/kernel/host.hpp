// SPDX-License-Identifier: MIT
//
// <scx/kernel_host.hpp> - run a policy on the kernel: what `scx-run POLICY.so`
// does.
//
// Two processes. The supervisor (root) loads the BPF half, forks the worker,
// attaches once the worker is ready, prints nothing itself but hands
// statistics to a callback, and detaches on every way out. The worker locks
// its memory, keeps read-only access to the BPF counters and no BPF
// descriptor but the task ring's (Scheduler::enter_worker), drops
// privileges, grows its heap once, loads the policy under a loading-stage
// seccomp filter, stacks the strict filter, and only then calls init() and
// runs the scheduling loop (see scx/sandbox.hpp); it dies with the
// supervisor (PR_SET_PDEATHSIG). The struct_ops link lives in the supervisor
// only, so the death of either process returns the machine to the default
// scheduler: the supervisor detaches when the worker dies; the kernel
// detaches when the supervisor dies (its link is released).

#ifndef SCX_KERNEL_HOST_HPP
#define SCX_KERNEL_HOST_HPP

#include <cstdint>
#include <functional>
#include <string>

#include "base/json.hpp"
#include "kernel/kernel.hpp"
#include <scx/result.hpp>

namespace scx::kernel {

struct HostOptions {
    std::string policy_path;        // "" with sched.bpf_only
    Options sched;                  // slice, watchdog timeout, partial, bpf_only
    std::string user;               // unprivileged account for the policy ("" = nobody)
    std::uint64_t interval_ns = NSEC_PER_SEC; // statistics interval; 0 = none
    std::uint64_t duration_ns = 0;  // stop after this long; 0 = until SIGINT/SIGTERM
    std::size_t heap_bytes = 64 << 20; // pre-faulted heap for the policy
    int max_restarts = 8;           // restarts the kernel may ask for (CPU hotplug)
};

// How the run ended. kind: "done" (SIGINT/SIGTERM or --duration), a kernel
// exit kind ("stall", "error", "sysrq", "unregistered-kernel", ...), or a
// worker failure ("crash": killed by a signal; "policy-error": it threw,
// even in exit() after a stop was asked for; "sandbox": it made a forbidden
// system call; "worker-exit": it exited).
struct HostExit {
    std::string kind = "done";
    std::int64_t code = 0;
    std::string reason;
    std::string message;
};

struct StatsLine {
    double time_s = 0;        // since attach
    Stats stats;
    double decisions_per_s = 0; // user dispatches over the last interval
};

struct RunReport {
    std::string policy;       // name given to SCX_POLICY ("bpf-fifo" in BPF-only mode)
    std::string policy_path;
    HostExit exit;
    Stats stats;              // totals over every (re)start
    double duration_s = 0, load_s = 0, attach_s = 0, detach_s = 0;
    std::uint64_t restarts = 0, schedule_calls = 0, denied_syscalls = 0;
    std::uint64_t worker_minor_faults = 0, worker_major_faults = 0; // since the worker was ready
    std::uint64_t heap_bytes = 0;
    std::string user;
    std::string kernel;       // uname -r
    bool failed() const { return exit.kind != "done"; }
};

using StatsSink = std::function<void(const StatsLine &)>;

// Run until a signal, the duration, an ejection or a worker failure. Errors
// before the scheduler was attached (no permission, BPF load failure, a
// policy that does not load) come back as Error with their exit class;
// anything after attach is in the RunReport (failed() tells).
Result<RunReport> run_host(const HostOptions &opts, const StatsSink &sink);

// The stats line and the final document (scxkit.run/1, mode "kernel"),
// and the same for a person: one line per interval, a few lines at the end.
json::Value stats_json(const StatsLine &line);
json::Value report_json(const RunReport &report);
std::string stats_text(const StatsLine &line);
std::string report_text(const RunReport &report);

} // namespace scx::kernel

#endif // SCX_KERNEL_HOST_HPP
