// SPDX-License-Identifier: MIT
//
// vm/qemu.hpp - boot a sched_ext kernel under QEMU and watch it.
//
// The guest's console goes to a file (kept for the user when something
// goes wrong); the agent port is a UNIX socket in the VM's directory. KVM
// when /dev/kvm works (probed once per host boot), else multi-threaded TCG
// (a host thread per vCPU), which now and then oopses while the kernel
// patches its text for sched_ext: the VM backend then boots again and
// redoes the run (tcg_patch_fault()).
// A guest that panics, oopses or stops answering is an error that names the
// cause and the console log; the QEMU process (in a group of its own) dies
// with the Vm object and with the tool.

#ifndef SCX_VM_QEMU_HPP
#define SCX_VM_QEMU_HPP

#include <csignal>
#include <cstdint>
#include <string>

#include <scx/policy.hpp>
#include <scx/result.hpp>

#include "base/process.hpp"
#include "vm/kernels.hpp"

namespace scx::vm {

struct VmConfig {
    Kernel kernel;
    std::string image;                          // guest_image()
    int cpus = 2;
    std::string smp;                            // QEMU's -smp as it is (a topology: "4,cores=2,threads=2"); "" = cpus
    std::uint64_t memory = 1ULL << 30;          // bytes
    std::string accel = "auto";                 // auto, kvm, tcg (multi-threaded), tcg-single
    std::string append;                         // more of the kernel command line
    std::string dir;                            // the console log and the agent socket go here
    bool agent = true;                          // a port for the agent
    bool background = false;                    // outlives the tool (a session): not bound to its life
    std::uint64_t boot_timeout_ns = 180 * NSEC_PER_SEC;
};

class Vm {
public:
    // Start QEMU and wait until the guest booted (its init says so on the
    // console). Errors: Exit::unavailable (no QEMU, the guest did not boot:
    // the message names why and the console log), Exit::interrupted.
    static Result<Vm> boot(const VmConfig &c, const volatile std::sig_atomic_t *cancel = nullptr);

    Vm(Vm &&) = default;
    Vm &operator=(Vm &&) = default;
    ~Vm(); // the guest is killed if still running

    const std::string &console() const { return console_; }
    const std::string &agent_socket() const { return socket_; }
    const std::string &accelerator() const { return accel_; }
    double boot_s() const { return boot_s_; }
    bool running() { return qemu_.running(); }
    // Nothing wrong so far: QEMU runs, the console shows no panic or oops.
    // Exit::unavailable naming the trouble and the console log otherwise.
    Result<void> healthy();
    // Wait until the guest powers off by itself (the test suite's scenario
    // boots), up to timeout_ns.
    Result<void> wait_poweroff(std::uint64_t timeout_ns, const volatile std::sig_atomic_t *cancel = nullptr);
    void kill();
    // The QEMU process's pid, for a session that outlives this object.
    pid_t pid() const { return qemu_.pid(); }
    // Let QEMU outlive this object (a session started in the background).
    void detach() { detached_ = true; }

private:
    Vm() = default;
    Subprocess qemu_;
    std::string console_, socket_, accel_;
    double boot_s_ = 0;
    bool detached_ = false;
};

// The accelerator `wanted` resolves to here ("kvm", "tcg", "tcg-single"),
// with the reason when KVM is not used. "auto": $SCX_VM_ACCEL when it names
// one, else KVM when /dev/kvm works, else multi-threaded TCG.
std::string choose_accel(const std::string &wanted, std::string *why = nullptr);
// Trouble on a console log: "" if none, else the line that shows it.
std::string console_trouble(const std::string &log);
// Whether a guest under multi-threaded TCG died of QEMU's own fault rather
// than the kernel's or the policy's: an int3 oops where the kernel had
// finished patching its text (the vCPU ran a stale translation; see
// scx-vm(1), Speed). Such a run may be done again in a new VM.
bool tcg_patch_fault(const std::string &accel, const std::string &log);

} // namespace scx::vm

#endif // SCX_VM_QEMU_HPP
