// SPDX-License-Identifier: MIT
//
// vm/backend.hpp - a sched_ext kernel under QEMU behind the run seam, for
// machines whose own kernel has no sched_ext (and users without root).
//
// The first run boots the VM (or attaches to a running session, see
// vm/session.hpp); every later run of the same backend reuses it, so a
// whole benchmark is one boot. A run ships the policy into the guest and
// runs scx-run there in kernel mode, through the agent; its statistics
// lines and final report come back, the report marked with where it ran.

#ifndef SCX_VM_BACKEND_HPP
#define SCX_VM_BACKEND_HPP

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <scx/run.hpp>

#include "vm/agent.hpp"
#include "vm/qemu.hpp"

namespace scx::vm {

struct VmSettings {
    std::string kernel = "newest";       // find_kernel()'s spec
    int cpus = 2;                        // vCPUs
    std::uint64_t memory = 1ULL << 30;
    std::string accel = "auto";
    std::string session;                 // a running session's directory ("" = $SCX_VM_SESSION, else boot one)
    std::vector<std::string> guest_args; // kernel-mode options for scx-run in the guest ("--slice=5ms", ...)
    std::uint64_t run_timeout_ns = 0;    // the run's own limit (--timeout), also applied in the guest
};

// The session to use: `explicit_dir`, else $SCX_VM_SESSION, else "".
std::string session_dir(const std::string &explicit_dir);

// What to boot for `s` in `dir`: the kernel found (fetched) and the guest
// image made from this scxkit's programs.
Result<VmConfig> vm_config(const VmSettings &s, const std::string &dir);

class VmBackend final : public Backend {
public:
    explicit VmBackend(VmSettings s) : s_(std::move(s)) {}
    ~VmBackend() override;
    BackendKind kind() const override { return BackendKind::vm; }
    Result<RunReport> run(const RunRequest &req, const StatsSink &stats = {}) override;
    // The time the VM took to boot (0 when a session served).
    double boot_s() const { return boot_s_; }

    // Runs done again in a new VM after the guest died of the
    // multi-threaded TCG text-patching fault (tcg_patch_fault()).
    int reboots() const { return reboots_; }

private:
    Result<void> ensure(const volatile std::sig_atomic_t *cancel);
    Result<RunReport> run_once(const RunRequest &req, const StatsSink &stats);
    Result<void> trouble(Error e); // keeps the VM's directory, says where

    VmSettings s_;
    std::optional<Vm> vm_;
    std::unique_ptr<AgentClient> agent_;
    std::string dir_, accel_, kernel_;
    int cpus_ = 0;
    double boot_s_ = 0;
    bool keep_dir_ = false;
    unsigned files_ = 0;
    int reboots_ = 0;
};

// Connect to a VM's agent socket (QEMU creates it as it starts), up to
// timeout_ns.
Result<UniqueFd> connect_agent(const std::string &socket, std::uint64_t timeout_ns);

} // namespace scx::vm

#endif // SCX_VM_BACKEND_HPP
