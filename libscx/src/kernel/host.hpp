// SPDX-License-Identifier: MIT
//
// kernel/host.hpp - host a policy on the kernel: the supervisor.
//
// Two processes. The supervisor (root) loads the BPF half, forks the
// worker, attaches once the worker is ready, runs the workload command,
// hands statistics to a callback, and detaches on every way out. The worker
// (kernel/worker.hpp) locks its memory, keeps read-only access to the BPF
// counters and no BPF descriptor but the task ring's, contains itself as
// every policy process is contained (contain/confine.hpp) and only then
// loads the policy and runs the scheduling loop; it dies with the
// supervisor. The struct_ops link lives in the supervisor only, so the
// death of either process returns the machine to the default scheduler.

#ifndef SCX_KERNEL_HOST_HPP
#define SCX_KERNEL_HOST_HPP

#include <cstdint>
#include <string>
#include <vector>

#include <scx/run.hpp>

#include "contain/confine.hpp"
#include "kernel/kernel.hpp"
#include "kernel/sysfs.hpp"

namespace scx::kernel {

struct KernelSettings {
    Options sched;                            // slice, watchdog timeout, partial (bpf_only: from the request)
    std::uint64_t interval_ns = NSEC_PER_SEC; // statistics interval; 0 = none
    std::uint64_t duration_ns = 0;            // without a command: stop after this long; 0 = until a signal
    std::size_t heap_bytes = 64 << 20;        // pre-faulted heap for the policy
    int max_restarts = 8;                     // restarts the kernel may ask for (CPU hotplug)
    contain::Confinement confinement;         // user, memory, the run's time limit
    std::string sysfs = sched_ext::SYSFS_ROOT;
    std::uint64_t attach_timeout_ns = 30 * NSEC_PER_SEC; // attach -> "enabled (scxkit)"
    std::uint64_t detach_timeout_ns = 10 * NSEC_PER_SEC; // detach -> "disabled"
};

// One run with the policy (or the BPF-only FIFO) attached, around `command`
// (or until the duration or a signal). Errors before the scheduler was
// attached (no permission, BPF load failure, a policy that does not load or
// whose init() or constructor fails) come back as Error; anything after
// attach is in the RunReport's exit.
// This machine as a kernel run's host: its online CPUs and kernel release.
RunHost this_host();

Result<RunReport> run_host(const KernelSettings &ks, const RunRequest &req, const std::vector<std::string> &command,
                           const StatsSink &sink);

// The kernel's exit information as a run exit: "stall" for the watchdog,
// "error" for an invalid operation, "ejected" for any other reason (sysrq,
// unregistered).
RunExit kernel_exit(const ExitInfo &e);

} // namespace scx::kernel

#endif // SCX_KERNEL_HOST_HPP
