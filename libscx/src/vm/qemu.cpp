// SPDX-License-Identifier: MIT
#include "vm/qemu.hpp"

#include "base/clock.hpp"
#include "base/fd.hpp"
#include "base/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

namespace scx::vm {

namespace {

constexpr int POLL_MS = 50;

std::string qemu_program()
{
    const char *q = std::getenv("SCX_VM_QEMU");
    return q && *q ? q : "qemu-system-x86_64";
}

bool kvm_usable()
{
    const UniqueFd fd(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
    return static_cast<bool>(fd);
}

// Console text without carriage returns and terminal escapes (QEMU 10
// starts the console with some).
std::string clean(const std::string &raw)
{
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); i++) {
        const char c = raw[i];
        if (c == '\r')
            continue;
        if (c == '\033') {
            // ESC c, ESC [ ... letter
            if (i + 1 < raw.size() && raw[i + 1] == '[') {
                i += 2;
                while (i < raw.size() && !((raw[i] >= 'A' && raw[i] <= 'Z') || (raw[i] >= 'a' && raw[i] <= 'z')))
                    i++;
            } else {
                i++;
            }
            continue;
        }
        out += c;
    }
    return out;
}

std::string accel_args(const std::string &accel)
{
    if (accel == "kvm")
        return "kvm";
    return accel == "tcg-single" ? "tcg,thread=single" : "tcg,thread=multi";
}

} // namespace

std::string choose_accel(const std::string &wanted, std::string *why)
{
    if (wanted == "kvm" || wanted == "tcg" || wanted == "tcg-single")
        return wanted;
    // auto: $SCX_VM_ACCEL first (a test suite that wants no retries).
    if (const char *env = std::getenv("SCX_VM_ACCEL"); env && wanted == "auto")
        if (const std::string e = env; e == "kvm" || e == "tcg" || e == "tcg-single")
            return e;
    if (kvm_usable())
        return "kvm";
    if (why)
        *why = "/dev/kvm is not usable here";
    // Multi-threaded TCG: a host thread per vCPU, several times faster and
    // steadier than single-threaded TCG. Now and then (QEMU 10 included) a
    // vCPU runs a stale translation of the kernel's text the kernel has just
    // patched (an int3 oops, tcg_patch_fault()): a VM of the backend's own
    // is then booted again and the run done again.
    if (why)
        *why += ": multi-threaded TCG";
    return "tcg";
}

bool tcg_patch_fault(const std::string &accel, const std::string &log)
{
    return accel == "tcg" && log.find("Oops: int3") != std::string::npos;
}

std::string console_trouble(const std::string &log)
{
    std::size_t pos = 0;
    while (pos < log.size()) {
        auto nl = log.find('\n', pos);
        if (nl == std::string::npos)
            nl = log.size();
        const std::string line = log.substr(pos, nl - pos);
        for (const char *bad : {"Kernel panic", "Oops", "BUG:", "WARNING:", "Call Trace", "panic("})
            if (line.find(bad) != std::string::npos)
                return line;
        pos = nl + 1;
    }
    return "";
}

Vm::~Vm()
{
    if (detached_)
        qemu_.release();
}

void Vm::kill()
{
    qemu_.signal(SIGKILL);
    qemu_.wait_for(-1);
}

Result<void> Vm::healthy()
{
    auto raw = read_file(console_);
    const std::string log = raw ? clean(*raw) : std::string();
    if (const std::string t = console_trouble(log); !t.empty())
        return Error(Exit::unavailable, "the VM's kernel is in trouble: \"" + t + "\" (console log: " + console_ + ")");
    if (!qemu_.running()) {
        const auto &st = qemu_.status();
        return Error(Exit::unavailable, "the VM stopped (QEMU " +
                                            (st.signal ? "killed by " + describe_signal(st.signal)
                                                       : "exited with status " + std::to_string(st.code)) +
                                            "; console log: " + console_ + ")");
    }
    return {};
}

Result<Vm> Vm::boot(const VmConfig &c, const volatile std::sig_atomic_t *cancel)
{
    if (auto r = make_dirs(c.dir); !r)
        return r.error();
    Vm vm;
    vm.console_ = c.dir + "/console.log";
    vm.socket_ = c.dir + "/agent.sock";
    std::string why;
    vm.accel_ = choose_accel(c.accel, &why);
    ::unlink(vm.console_.c_str());
    ::unlink(vm.socket_.c_str());
    std::string append = "console=ttyS0 panic=-1 quiet loglevel=4";
    if (!c.append.empty())
        append += " " + c.append;
    std::vector<std::string> argv = {qemu_program(), "-accel", accel_args(vm.accel_),
                                     "-cpu", vm.accel_ == "kvm" ? "host" : "max",
                                     "-machine", "q35",
                                     "-smp", c.smp.empty() ? std::to_string(c.cpus) : c.smp,
                                     "-m", std::to_string(c.memory >> 20) + "M",
                                     "-kernel", c.kernel.vmlinuz,
                                     "-initrd", c.image,
                                     "-append", append,
                                     "-nographic", "-no-reboot", "-monitor", "none", "-nic", "none",
                                     "-serial", "file:" + vm.console_};
    if (c.agent)
        argv.insert(argv.end(), {"-device", "virtio-serial-pci", "-chardev",
                                 "socket,id=agent,path=" + vm.socket_ + ",server=on,wait=off", "-device",
                                 "virtserialport,chardev=agent,name=scx.agent"});
    UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    SpawnOptions so;
    so.own_group = true;
    so.death_signal = c.background ? 0 : SIGKILL;
    so.in = null.get();
    so.out = null.get();
    const std::string qemu_log = c.dir + "/qemu.log";
    UniqueFd err(::open(qemu_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    so.err = err.get();
    const std::uint64_t start = monotonic_ns();
    auto q = Subprocess::exec(argv, so);
    if (!q)
        return Error(Exit::unavailable, "cannot run QEMU (" + qemu_program() + "; package qemu-system-x86): " +
                                            q.error().message);
    vm.qemu_ = std::move(*q);
    for (;;) {
        auto raw = read_file(vm.console_);
        const std::string log = raw ? clean(*raw) : std::string();
        if (log.find("SCX-VM: BOOTED") != std::string::npos)
            break;
        if (!vm.qemu_.running()) {
            auto qlog = read_file(qemu_log);
            std::string q_err = qlog ? *qlog : "";
            while (!q_err.empty() && q_err.back() == '\n')
                q_err.pop_back();
            return Error(Exit::unavailable, "the VM did not boot: QEMU " +
                                                (q_err.empty() ? std::string("stopped") : "said: " + q_err) +
                                                " (console log: " + vm.console_ + ")");
        }
        if (const std::string t = console_trouble(log); !t.empty())
            return Error(Exit::unavailable, "the VM did not boot: \"" + t + "\" (console log: " + vm.console_ + ")");
        if (cancel && *cancel)
            return Error(Exit::interrupted, "interrupted while the VM booted");
        if (monotonic_ns() - start > c.boot_timeout_ns)
            return Error(Exit::unavailable, "the VM did not boot within " +
                                                std::to_string(c.boot_timeout_ns / NSEC_PER_SEC) +
                                                " s (console log: " + vm.console_ + ")");
        std::this_thread::sleep_for(std::chrono::milliseconds(POLL_MS));
    }
    vm.boot_s_ = static_cast<double>(monotonic_ns() - start) / 1e9;
    (void)why;
    return vm;
}

Result<void> Vm::wait_poweroff(std::uint64_t timeout_ns, const volatile std::sig_atomic_t *cancel)
{
    const std::uint64_t start = monotonic_ns();
    while (qemu_.running()) {
        if (cancel && *cancel) {
            kill();
            return Error(Exit::interrupted, "interrupted");
        }
        if (monotonic_ns() - start > timeout_ns) {
            kill();
            return Error(Exit::unavailable, "the VM did not finish within " + std::to_string(timeout_ns / NSEC_PER_SEC) +
                                                " s (console log: " + console_ + ")");
        }
        qemu_.wait_for(POLL_MS * static_cast<long long>(NSEC_PER_MSEC));
    }
    return {};
}

} // namespace scx::vm
