// SPDX-License-Identifier: MIT
#include "run/options.hpp"

#include "base/parse.hpp"
#include "base/strformat.hpp"

#ifdef SCX_HAVE_BPF
#include "kernel/backend.hpp"
#endif

#include <cstring>

namespace scx {

namespace {

constexpr long long MS = static_cast<long long>(NSEC_PER_MSEC);

const std::vector<BackendOption> OPTIONS = {
    {"user", "USER", ON_ALL,
     "started as root: run policy code as USER (default\n"
     "nobody); NAME, UID or UID:GID, never root"},
    {"policy-memory", "SIZE", ON_ALL,
     "memory limit of the policy's process (default 4G;\n"
     "0: none); past it the run ends with exit kind oom"},
    {"timeout", "DURATION", ON_ALL,
     "end the run after DURATION of wall-clock time (exit\n"
     "kind timeout; default: none)"},
    {"policy-timeout", "DURATION", ON_ALL,
     "kill a policy whose call does not return within\n"
     "DURATION of wall-clock time (default 10s; kernel:\n"
     "loading the policy and init())"},
    {"cpus", "N", ON_SIM | ON_VM, "simulated CPUs (default: this machine's); VM: vCPUs (2)"},
    {"seed", "S", ON_SIM, "random seed (default 1); same seed, same result"},
    {"watchdog", "DURATION", ON_SIM | ON_GUEST,
     "eject a policy that leaves a task runnable this long\n"
     "(simulator: default 30s of simulated time; kernel:\n"
     "100ms to 30s, default the kernel's 30s)"},
    {"slice", "DURATION", ON_SIM | ON_GUEST,
     "the runtime's default time slice (default 20ms;\n"
     "kernel: 100us to 10s)"},
    {"machine", "K=V,..|FILE", ON_SIM,
     "machine and runtime costs: smt, llc, hz, cs_ns, mm_ns,\n"
     "migrate_ns, llc_migrate_ns, wake_idle_ns, timer_ns,\n"
     "timer_tail_pct, timer_tail_ns, wake_ns, hop_ns,\n"
     "decision_ns, ring, jitter_pct, syscall_pct, syscall_ns,\n"
     "socket_pct, lock_pct (see scx-run(1)); or a machine\n"
     "file of such lines (as scx-fidelity calibrates)"},
    {"eevdf", "K=V,..", ON_SIM,
     "the default scheduler model's tunables: base_slice_ns,\n"
     "scale_slice, migration_cost_ns, lazy_preempt,\n"
     "delay_dequeue, run_to_parity, preempt_short, hrtick,\n"
     "ttwu_queue, busy_factor (see scx-run(1))"},
    {"max-time", "DURATION", ON_SIM, "give up after this much simulated time (default 1h)"},
    {"trace", "FILE", ON_SIM, "write a Chrome/Perfetto trace (one track per CPU)"},
    {"events", "FILE", ON_SIM, "write every scheduling event as JSON Lines"},
    {"interval", "DURATION", ON_GUEST, "print statistics every DURATION (default 1s; 0: none)"},
    {"duration", "DURATION", ON_GUEST,
     "without a command: stop after DURATION (default:\n"
     "until SIGINT/SIGTERM)"},
    {"timeout-ms", "MS", ON_GUEST, "the watchdog in milliseconds (as --watchdog)"},
    {"partial", nullptr, ON_GUEST, "schedule only tasks in the SCHED_EXT class"},
    {"kernel", "VERSION|PATH", ON_VM,
     "the guest kernel: a Debian sched_ext kernel (newest,\n"
     "7.3.4, 7.3.4+deb13-amd64; fetched and cached) or a\n"
     "bzImage of one's own with its config beside it"},
    {"memory", "SIZE", ON_VM, "the VM's memory (default 1G)"},
    {"accel", "A", ON_VM,
     "auto (KVM when /dev/kvm works, else tcg), kvm, tcg\n"
     "(multi-threaded) or tcg-single"},
    {"vm-session", "DIR", ON_VM,
     "use the VM of a session started with scx-vm start\n"
     "(default: $SCX_VM_SESSION, else boot one)"},
};

// A duration option within its range, in nanoseconds.
Result<long long> duration(const char *option, const char *value, const char *min, const char *max)
{
    auto v = duration_value(option, value, min, max);
    if (!v)
        return std::move(v).error();
    return static_cast<long long>(*v);
}

Result<void> apply(BackendSettings &s, BackendKind kind, const std::string &name, const char *value)
{
    const std::string opt = "--" + name;
    const char *o = opt.c_str();
    const bool sim = kind == BackendKind::sim;
    auto all_confinements = [&](auto f) {
        f(s.check.confinement);
        f(s.sim.confinement);
        f(s.kernel.confinement);
    };
    // Options of the kernel run inside the VM go to scx-run there as they
    // are (checked here first, with the kernel's ranges).
    if (kind == BackendKind::vm && name != "cpus") {
        for (const BackendOption &known : OPTIONS)
            if (name == known.name && (known.backends & ON_KERNEL)) {
                BackendSettings probe;
                if (auto r = apply(probe, BackendKind::kernel, name, value); !r)
                    return r;
                s.vm.guest_args.push_back("--" + name + (value ? std::string("=") + value : std::string()));
                if (name == "timeout")
                    s.vm.run_timeout_ns = probe.kernel.confinement.run_timeout_ns;
                return {};
            }
    }
    if (name == "user") {
        all_confinements([&](contain::Confinement &c) { c.user = value; });
    } else if (name == "policy-memory") {
        auto v = size_value(o, value);
        if (!v)
            return v.error();
        if (*v != 0 && *v < (32ULL << 20))
            return Error(Exit::usage, "--policy-memory must be 0 (no limit) or at least 32M");
        all_confinements([&](contain::Confinement &c) { c.memory_bytes = *v; });
    } else if (name == "timeout") {
        auto v = duration(o, value, "1ms", "");
        if (!v)
            return v.error();
        all_confinements([&](contain::Confinement &c) { c.run_timeout_ns = static_cast<std::uint64_t>(*v); });
    } else if (name == "policy-timeout") {
        auto v = duration(o, value, "100ms", "86400s");
        if (!v)
            return v.error();
        all_confinements([&](contain::Confinement &c) { c.call_timeout_ns = static_cast<std::uint64_t>(*v); });
    } else if (name == "cpus") {
        auto v = int_value(o, value, 1, kind == BackendKind::vm ? 64 : sim::MAX_CPUS);
        if (!v)
            return v.error();
        s.sim.machine.cpus = static_cast<int>(*v);
        s.vm.cpus = static_cast<int>(*v);
    } else if (name == "kernel") {
        s.vm.kernel = value;
    } else if (name == "memory") {
        auto v = size_value(o, value);
        if (!v)
            return v.error();
        if (*v < (128ULL << 20))
            return Error(Exit::usage, "--memory must be at least 128M");
        s.vm.memory = *v;
    } else if (name == "accel") {
        const std::string a = value;
        if (a != "auto" && a != "kvm" && a != "tcg" && a != "tcg-single")
            return Error(Exit::usage, "invalid value '" + a + "' for --accel (auto, kvm, tcg or tcg-single)");
        s.vm.accel = a;
    } else if (name == "vm-session") {
        s.vm.session = value;
    } else if (name == "seed") {
        auto v = int_value(o, value, 0, 0x7fffffffffffffffLL);
        if (!v)
            return v.error();
        s.sim.seed = static_cast<std::uint64_t>(*v);
    } else if (name == "timeout-ms") {
        auto v = int_value(o, value, 100, 30000);
        if (!v)
            return v.error();
        s.kernel.sched.timeout_ms = static_cast<std::uint32_t>(*v);
    } else if (name == "watchdog") {
        auto v = sim ? duration(o, value, "1ms", "")
                     : duration(o, value, "100ms", "30s");
        if (!v)
            return v.error();
        if (sim)
            s.sim.watchdog_ns = static_cast<std::uint64_t>(*v);
        else
            s.kernel.sched.timeout_ms = static_cast<std::uint32_t>(*v / MS);
    } else if (name == "slice") {
        auto v = sim ? duration(o, value, "1us", "10s")
                     : duration(o, value, "100us", "10s");
        if (!v)
            return v.error();
        if (sim)
            s.sim.machine.slice_ns = static_cast<std::uint64_t>(*v);
        else
            s.kernel.sched.slice_ns = static_cast<std::uint64_t>(*v);
    } else if (name == "machine") {
        s.machine.emplace_back(value);
    } else if (name == "eevdf") {
        s.eevdf.emplace_back(value);
    } else if (name == "max-time") {
        auto v = duration(o, value, "1ns", "8640000s");
        if (!v)
            return v.error();
        s.sim.max_time_ns = static_cast<std::uint64_t>(*v);
    } else if (name == "trace" || name == "events") {
        if (std::strcmp(value, "-") == 0)
            return Error(Exit::usage, "--trace and --events need a file name (standard output carries the run document)");
        (name == "trace" ? s.sim.trace_path : s.sim.events_path) = value;
    } else if (name == "interval" || name == "duration") {
        auto v = duration(o, value, "0", "");
        if (!v)
            return v.error();
        (name == "interval" ? s.kernel.interval_ns : s.kernel.duration_ns) = static_cast<std::uint64_t>(*v);
    } else if (name == "partial") {
        s.kernel.sched.partial = true;
    }
    return {};
}

} // namespace

const std::vector<BackendOption> &backend_options() { return OPTIONS; }

BackendSettings default_settings()
{
    BackendSettings s;
    s.sim.machine.cpus = sim::host_cpus();
    return s;
}

Result<void> set_backend_option(BackendSettings &s, BackendKind kind, std::string_view name, const char *value)
{
    for (const BackendOption &o : OPTIONS) {
        if (name != o.name)
            continue;
        if (!(o.backends & (1U << static_cast<unsigned>(kind))))
            return Error(Exit::usage, "--" + std::string(name) + " is not an option of the " + backend_name(kind) +
                                          " backend");
        if (o.arg && !value)
            return Error(Exit::usage, "--" + std::string(name) + " needs a value");
        if (!o.arg && value)
            return Error(Exit::usage, "--" + std::string(name) + " takes no value");
        return apply(s, kind, o.name, value);
    }
    return Error(Exit::usage, "unknown option --" + std::string(name));
}

Result<void> set_backend_options(BackendSettings &s, BackendKind kind, const std::vector<std::string> &args)
{
    for (std::size_t i = 0; i < args.size(); i++) {
        const std::string &a = args[i];
        if (a.rfind("--", 0) != 0)
            return Error(Exit::usage, "not an option: '" + a + "'");
        const auto eq = a.find('=');
        const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const BackendOption *known = nullptr;
        for (const BackendOption &o : OPTIONS)
            if (name == o.name)
                known = &o;
        std::string value;
        const char *v = nullptr;
        if (eq != std::string::npos) {
            value = a.substr(eq + 1);
            v = value.c_str();
        } else if (known && known->arg && i + 1 < args.size()) {
            value = args[++i];
            v = value.c_str();
        }
        if (auto r = set_backend_option(s, kind, name, v); !r)
            return r;
    }
    return {};
}

Result<std::unique_ptr<Backend>> make_backend(BackendKind kind, BackendSettings s)
{
    for (const std::string &arg : s.machine)
        if (auto r = sim::set_machine_option(s.sim.machine, arg); !r)
            return r.error();
    for (const std::string &list : s.eevdf)
        if (auto r = sim::set_eevdf_params(s.sim.eevdf, list); !r)
            return r.error();
    switch (kind) {
    case BackendKind::check:
        return std::unique_ptr<Backend>(new CheckBackend(std::move(s.check)));
    case BackendKind::sim:
        return std::unique_ptr<Backend>(new sim::SimBackend(std::move(s.sim)));
    case BackendKind::vm:
        return std::unique_ptr<Backend>(new vm::VmBackend(std::move(s.vm)));
    case BackendKind::kernel:
#ifdef SCX_HAVE_BPF
        return std::unique_ptr<Backend>(new kernel::KernelBackend(std::move(s.kernel)));
#else
        return Error(Exit::unavailable, "kernel mode is not available in this build (configured without the bpf "
                                        "feature); use --sim or --check");
#endif
    }
    return Error(Exit::software, "unknown backend");
}

Result<std::unique_ptr<Backend>> make_backend(BackendKind kind, const std::vector<std::string> &options)
{
    BackendSettings s = default_settings();
    if (auto r = set_backend_options(s, kind, options); !r)
        return r.error();
    return make_backend(kind, std::move(s));
}

std::string backend_help(BackendKind kind, unsigned omit)
{
    std::string out;
    for (const BackendOption &o : OPTIONS) {
        if (!(o.backends & (1U << static_cast<unsigned>(kind))) || (omit && (o.backends & omit) == omit))
            continue;
        std::string head = std::string("--") + o.name + (o.arg ? std::string(" ") + o.arg : "");
        out += "      " + head;
        std::string_view help = o.help;
        bool first = true;
        while (!help.empty()) {
            const auto nl = help.find('\n');
            const std::string_view line = help.substr(0, nl);
            if (first && head.size() < 16)
                out += std::string(17 - head.size(), ' ');
            else
                out += "\n" + std::string(23, ' ');
            out += line;
            first = false;
            help = nl == std::string_view::npos ? std::string_view() : help.substr(nl + 1);
        }
        out += "\n";
    }
    return out;
}

} // namespace scx
