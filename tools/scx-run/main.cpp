// SPDX-License-Identifier: MIT
//
// scx-run - run a policy: check it, simulate it, or make it the kernel's
// scheduler. The mode chooses a backend (libscx's run seam); the backend
// options come from its table; this file parses, runs and prints.

#include <scx/run.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "../common/cli.hpp"
#include "policy/check.hpp"
#include "policy/params.hpp"
#include "run/options.hpp"
#include "vm/kernels.hpp"

namespace {

using scx::BackendKind;

constexpr const char *USAGE = R"(Usage: scx-run [OPTION...] POLICY.so|default [-- COMMAND [ARG...]]   (kernel: root, sched_ext)
       scx-run --bpf-only [OPTION...] [-- COMMAND [ARG...]]
       scx-run --vm [OPTION...] POLICY.so|default [-- COMMAND [ARG...]]
       scx-run --vm --kernel list
       scx-run --sim WORKLOAD[:KEY=VALUE,...] [OPTION...] POLICY.so|default
       scx-run --check [OPTION...] POLICY.so

Load a policy shared object built by scx-build and run it: on this machine's
sched_ext kernel (the default), on a sched_ext kernel booted under QEMU
(--vm: no root, any host kernel), on the deterministic simulator (--sim), or
by hand on an in-process test context (--check). 'default' is the Linux
default scheduler (the simulator's model of it with --sim). Policy code
always runs in a contained process: unprivileged, under seccomp, with
resource limits (see scx-run(1), SECURITY).

Modes:
      --vm             run on a sched_ext kernel booted under QEMU (see VM
                       mode below, and scx-vm(1)); --kernel list shows the
                       kernels
      --sim WORKLOAD   run the policy on the simulator, with a built-in
                       workload and its parameters (messaging:groups=2,loops=10)
                       or a JSON workload file; built-ins: messaging, cpu,
                       latency, interactive, fork
      --check          load the policy, hand it a few tasks on the test
                       context and report whether it dispatched them all
      --bpf-only       no policy, the BPF half runs a global FIFO by itself
                       (a reference point for benchmarks; kernel, VM or
                       simulator)
      --workload WORKLOAD[:KEY=VALUE,...]
                       kernel, vm: run one of the simulator's workloads
                       natively (messaging, cpu, latency, interactive,
                       fork) while the policy is attached, instead of a
                       COMMAND; its metrics join the report
      --capture-output kernel, vm: keep the command's output in the report
                       (command.stdout, command.stderr) instead of passing
                       it to standard error

Policy parameters (every mode):
      --param NAME=VALUE
                       set the policy's parameter NAME before its init()
                       (repeatable); --check lists the parameters a
                       policy declares, with their ranges and units
)";

constexpr const char *TAIL = R"(
Output:
      --json           the JSON document(s) (the default when standard
                       output is not a terminal)
      --table          a table for a person (the default on a terminal)
  -v, --verbose        simulator: wall-clock time and events per second on
                       standard error
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 the policy failed (ejected, crashed, timed out,
...), 64 usage, 65 not a policy, wrong ABI or a bad --param value, 66 missing
file, 69 sched_ext or BPF unavailable, 77 needs root, 130 interrupted. See
scx-run(1).
)";

void print_help()
{
    std::fputs(USAGE, stdout);
    for (BackendKind k : {BackendKind::check, BackendKind::sim, BackendKind::kernel, BackendKind::vm}) {
        static const char *const titles[] = {"\nCheck mode and every mode:\n", "\nSimulator mode:\n",
                                             "\nKernel mode:\n", "\nVM mode (and the kernel mode options):\n"};
        std::fputs(titles[static_cast<int>(k)], stdout);
        const unsigned omit = k == BackendKind::check ? 0 : k == BackendKind::vm ? scx::ON_KERNEL : scx::ON_CHECK;
        std::fputs(scx::backend_help(k, omit).c_str(), stdout);
    }
    std::fputs(TAIL, stdout);
}

bool is(const char *arg, const char *opt)
{
    const std::size_t n = std::strlen(opt);
    return std::strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

// The policy stopped, in words: what scx-run says on standard error.
std::string failure_text(const scx::RunReport &r)
{
    using scx::ExitKind;
    const std::string who = r.policy.empty() ? r.policy_path : "policy '" + r.policy + "'";
    std::string what = r.exit.reason;
    if (!r.exit.message.empty())
        what += (what.empty() ? "" : ": ") + r.exit.message;
    if (r.host.backend == BackendKind::kernel)
        return std::string("the scheduler stopped: ") + scx::exit_kind_name(r.exit.kind) + ": " +
               (r.exit.message.empty() ? r.exit.reason : r.exit.message);
    switch (r.exit.kind) {
    case ExitKind::stall:
    case ExitKind::ejected: return who + " was ejected: " + what;
    case ExitKind::limit:
    case ExitKind::deadlock: return "the simulation did not complete: " + what;
    default: return r.exit.message.empty() ? what : r.exit.message;
    }
}

struct Args {
    BackendKind kind = BackendKind::kernel;
    scx::RunRequest req;
    bool json = !scx::cli::stdout_is_tty(), verbose = false;
};

} // namespace

int main(int argc, char **argv)
{
    namespace cli = scx::cli;
    cli::set_program("scx-run");

    std::vector<std::string> command;
    argc = cli::split_command(argc, argv, command);
    Args a;
    for (int i = 1; i < argc; i++) {
        if (is(argv[i], "--help") || std::strcmp(argv[i], "-h") == 0) {
            print_help();
            return 0;
        }
        if (is(argv[i], "--version") || std::strcmp(argv[i], "-V") == 0)
            return cli::print_version();
        if (is(argv[i], "--check"))
            a.kind = BackendKind::check;
        if (is(argv[i], "--sim"))
            a.kind = BackendKind::sim;
        if (is(argv[i], "--vm"))
            a.kind = BackendKind::vm;
    }

    enum { OPT_CHECK = 1000, OPT_SIM, OPT_VM, OPT_BPF_ONLY, OPT_WORKLOAD, OPT_CAPTURE, OPT_JSON, OPT_TABLE, OPT_PARAM,
           OPT_BACKEND };
    std::vector<struct option> longopts = {
        {"check", no_argument, nullptr, OPT_CHECK},         {"sim", required_argument, nullptr, OPT_SIM},
        {"vm", no_argument, nullptr, OPT_VM},               {"capture-output", no_argument, nullptr, OPT_CAPTURE},
        {"bpf-only", no_argument, nullptr, OPT_BPF_ONLY},   {"workload", required_argument, nullptr, OPT_WORKLOAD},
        {"json", no_argument, nullptr, OPT_JSON},           {"table", no_argument, nullptr, OPT_TABLE},
        {"verbose", no_argument, nullptr, 'v'},             {"param", required_argument, nullptr, OPT_PARAM},
    };
    const auto &table = scx::backend_options();
    for (std::size_t i = 0; i < table.size(); i++)
        longopts.push_back({table[i].name, table[i].arg ? required_argument : no_argument, nullptr,
                            OPT_BACKEND + static_cast<int>(i)});
    longopts.push_back({nullptr, 0, nullptr, 0});

    scx::BackendSettings settings = scx::default_settings();
    opterr = 0;
    int c, index = 0;
    while ((c = getopt_long(argc, argv, "v", longopts.data(), &index)) != -1) {
        switch (c) {
        case OPT_CHECK:
        case OPT_VM: break;
        case OPT_CAPTURE: a.req.capture_output = true; break;
        case OPT_SIM: a.req.workload = optarg; break;
        case OPT_BPF_ONLY: a.req.scheduler = scx::RunRequest::Scheduler::bpf_only; break;
        case OPT_WORKLOAD: a.req.workload = optarg; break;
        case OPT_JSON: a.json = true; break;
        case OPT_TABLE: a.json = false; break;
        case 'v': a.verbose = true; break;
        case OPT_PARAM: {
            auto p = scx::parse_param_assignment(optarg);
            if (!p)
                return cli::usage_error(p.error().message);
            a.req.params.push_back(std::move(*p));
            break;
        }
        default:
            if (c < OPT_BACKEND)
                return cli::bad_option(argv);
            if (auto r = scx::set_backend_option(settings, a.kind, table[static_cast<std::size_t>(c - OPT_BACKEND)].name,
                                                 optarg);
                !r)
                return cli::usage_error(r.error().message);
        }
    }

    // --vm --kernel list: what can be booted.
    if (a.kind == BackendKind::vm && settings.vm.kernel == "list") {
        auto l = scx::vm::list_kernels();
        if (!l)
            return cli::report(l.error());
        std::fputs(scx::vm::kernel_list_text(*l).c_str(), stdout);
        if (l->offline)
            cli::warn("Debian's archive cannot be reached: only cached kernels are listed");
        return 0;
    }

    // The policy: one operand (none with --bpf-only); "default" is the
    // backend's own scheduler (a file called default is ./default).
    const int operands = argc - optind;
    const bool bpf_only = a.req.scheduler == scx::RunRequest::Scheduler::bpf_only;
    const bool on_a_kernel = a.kind == BackendKind::kernel || a.kind == BackendKind::vm;
    if (bpf_only) {
        if (a.kind == BackendKind::check)
            return cli::usage_error("--bpf-only has no policy to check");
        if (operands > 0)
            return cli::usage_error("--bpf-only takes no POLICY.so");
    } else {
        if (operands < 1)
            return cli::usage_error("missing POLICY.so");
        if (operands > 1)
            return cli::usage_error("too many arguments");
        a.req.policy_path = argv[optind];
        if (a.kind != BackendKind::check && a.req.policy_path == "default")
            a.req.scheduler = scx::RunRequest::Scheduler::builtin;
    }
    if (!command.empty() && !on_a_kernel)
        return cli::usage_error("a COMMAND after -- runs on a kernel only (the simulator runs its WORKLOAD)");
    if (a.req.scheduler == scx::RunRequest::Scheduler::builtin && on_a_kernel && command.empty() &&
        a.req.workload.empty())
        return cli::usage_error("'default' on a kernel needs a workload: a COMMAND after -- or --workload");
    if (a.kind == BackendKind::check && !a.req.workload.empty())
        return cli::usage_error("--check takes no workload");
    a.req.command = command;

    auto backend = scx::make_backend(a.kind, std::move(settings));
    if (!backend)
        return backend.error().exit == scx::Exit::usage ? cli::usage_error(backend.error().message)
                                                         : cli::report(backend.error(), a.json);

    auto stats = [&](const scx::StatsLine &l) {
        std::fputs(a.json ? (scx::stats_json(l) + "\n").c_str() : scx::stats_text(l).c_str(), stdout);
        std::fflush(stdout);
    };
    auto report = (*backend)->run(a.req, stats);
    if (!report) {
        if (report.error().exit == scx::Exit::usage)
            return cli::usage_error(report.error().message);
        return cli::report(report.error(), a.json);
    }

    std::string text;
    if (a.kind == BackendKind::check)
        text = a.json ? scx::check_json(*report) + "\n" : scx::check_text(*report);
    else if (a.json)
        text = scx::report_json(*report, a.kind == BackendKind::sim) + "\n";
    else
        text = scx::report_table(*report);
    if (auto r = cli::write_output("-", text); !r)
        return cli::report(r.error(), a.json);

    if (a.verbose && report->sim && report->cost.wall_s > 0 && report->cost.cpu_s > 0)
        std::fprintf(stderr,
                     "%s: simulated %.6f s (%s, %llu tasks, %d CPUs) in %.3f s of wall-clock time (%.3f s of CPU): "
                     "%llu events, %.1f M events/s (%.1f M per CPU second)\n",
                     cli::program(), static_cast<double>(report->cost.simulated_ns) / 1e9,
                     report->sim->workload.c_str(), static_cast<unsigned long long>(report->sim->tasks),
                     report->host.cpus, report->cost.wall_s, report->cost.cpu_s,
                     static_cast<unsigned long long>(report->cost.events),
                     static_cast<double>(report->cost.events) / report->cost.wall_s / 1e6,
                     static_cast<double>(report->cost.events) / report->cost.cpu_s / 1e6);
    if (report->ok())
        return 0;
    std::fprintf(stderr, "%s: error: %s\n", cli::program(), failure_text(*report).c_str());
    return scx::exit_status(report->exit.kind);
}
