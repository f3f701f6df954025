// SPDX-License-Identifier: MIT
//
// kernel/backend.hpp - this machine's sched_ext kernel behind the run seam.
// A policy (or the BPF-only FIFO) is attached around the workload command
// (kernel/host.hpp); the kernel's own scheduler runs it with nothing
// attached, checked "disabled" before and after.

#ifndef SCX_KERNEL_BACKEND_HPP
#define SCX_KERNEL_BACKEND_HPP

#include <scx/run.hpp>

#include "kernel/host.hpp"

namespace scx::kernel {

class KernelBackend final : public Backend {
public:
    explicit KernelBackend(KernelSettings s) : s_(std::move(s)) {}
    BackendKind kind() const override { return BackendKind::kernel; }
    Result<RunReport> run(const RunRequest &req, const StatsSink &stats = {}) override;
    const KernelSettings &settings() const { return s_; }

private:
    KernelSettings s_;
    Result<RunReport> run_default(const RunRequest &req, const std::vector<std::string> &command);
};

// Whether this process may host a policy here: Exit::no_perm without root,
// Exit::unavailable without sched_ext or BTF, or with another scheduler
// attached; said in words a user can act on.
Result<void> check_ready(const std::string &sysfs = sched_ext::SYSFS_ROOT);

} // namespace scx::kernel

#endif // SCX_KERNEL_BACKEND_HPP
