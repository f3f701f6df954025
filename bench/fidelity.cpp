// SPDX-License-Identifier: MIT
//
// scx-fidelity - does the simulator order schedulers as a real sched_ext
// kernel does? The matrix of fidelity/fidelity.hpp, from the command line.

#include "fidelity/calibrate.hpp"

#include "base/fs.hpp"
#include "base/parse.hpp"

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unistd.h>

#include "../tools/common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-fidelity [OPTION...] [SCHEDULER...]
       scx-fidelity --against FILE [--calibrate] [OPTION...]
       scx-fidelity --calibrate [OPTION...] [SCHEDULER...]

Run every SCHEDULER on every workload in the simulator and on a sched_ext
kernel with the same CPUs - a VM (the default) or this machine (--kernel) -
and say whether the simulator orders them as the kernel does: per workload
the medians, each scheduler's ratio to default on both sides, how far
the simulator's ratio is from the kernel's with its 95 % interval from the
scatter of both sides' runs (bootstrap), both orderings and Kendall's tau-b
between them; overall, the pooled tau-b and the worst ratio disagreement.

SCHEDULER is default (always included, first: the kernel's own scheduler,
the simulator's EEVDF model), bpf-fifo (scx-run --bpf-only, on both sides)
or a policy .so. Default: default, fifo, vruntime, latency and bpf-fifo.

Options:
  -w, --workload SPEC[@METRIC]
                       a workload (repeatable), in the simulator's spelling;
                       it runs natively on the kernel (messaging, cpu,
                       latency, interactive, fork). METRIC: the compared
                       figure (default: scx-bench's for the workload).
                       Default: messaging with threads, messaging with
                       processes and pipes, cpu, latency, interactive
      --vm             the kernel side is a VM (scx-vm; the default)
      --kernel         the kernel side is this machine's (root, sched_ext)
  -c, --cpus N         CPUs on both sides (default 2; --kernel: this
                       machine's)
  -r, --runs N         runs per scheduler and side (default 3)
  -s, --seed N         the simulator's run i uses seed N + i - 1 (default 1)
      --run-arg OPT    an scx-run option for the kernel side (repeatable):
                       --run-arg=--accel=tcg, --run-arg=--kernel=7.3.4
      --sim-arg OPT    an scx-run option for the simulator (repeatable):
                       --sim-arg=--machine=cs_ns=1500
      --policy-dir DIR where fifo.so, vruntime.so and latency.so are
                       (default: $SCX_POLICY_DIR, else the build tree's)
      --against FILE   take the kernel's figures from FILE, a document
                       written before with -o, instead of running the
                       kernel: only the simulator runs, on FILE's
                       schedulers, workloads, runs and CPUs (the
                       simulator's -s and --sim-arg are this command's);
                       repeatable: several documents of the same matrix
                       and kernel count as one, every run of each
      --calibrate      fit the simulator's costs to the kernel instead (the
                       system calls', the hardware's and the round trip's
                       scale; every cell of the matrix) and print a machine
                       file for scx-run --sim --machine FILE; the search
                       also starts from --sim-arg=--machine's costs
      --hold KEY[,KEY...]
                       --calibrate: leave these costs where
                       --sim-arg=--machine puts them (the simulator's
                       defaults without it) and fit the others: costs
                       measured directly, such as a context switch read off
                       a trace (repeatable). KEY: syscall_pct, cs_ns (the
                       switching costs), mm_ns, wake_idle_ns, hop_ns (the
                       round trip), lock_pct, syscall_ns, wake_ns,
                       timer_ns, socket_pct
      --json           the scxkit.fidelity/1 document instead of the table
  -o, --output FILE    also write the document (--calibrate: the machine
                       file, instead of printing it) to FILE (atomically)
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 a run failed on either side, 64 usage, 65 FILE
is not a whole scxkit.fidelity/1 document, 66 a missing policy or FILE,
69 no VM or no sched_ext, 77 --kernel needs root, 130 interrupted. See
scxkit(7), FIDELITY.
)";


bool any_failure(const scx::fidelity::Report &r)
{
    for (const auto &w : r.workloads)
        for (const auto &c : w.cells)
            if (!c.sim.failures.empty() || !c.kernel.failures.empty())
                return true;
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace scx;
    cli::set_program("scx-fidelity");
    enum { OPT_VM = 256, OPT_KERNEL, OPT_RUN_ARG, OPT_SIM_ARG, OPT_POLICY_DIR, OPT_JSON, OPT_CALIBRATE, OPT_AGAINST, OPT_HOLD };
    static const struct option longopts[] = {
        {"workload", required_argument, nullptr, 'w'},   {"vm", no_argument, nullptr, OPT_VM},
        {"kernel", no_argument, nullptr, OPT_KERNEL},    {"cpus", required_argument, nullptr, 'c'},
        {"runs", required_argument, nullptr, 'r'},       {"seed", required_argument, nullptr, 's'},
        {"run-arg", required_argument, nullptr, OPT_RUN_ARG}, {"sim-arg", required_argument, nullptr, OPT_SIM_ARG},
        {"policy-dir", required_argument, nullptr, OPT_POLICY_DIR}, {"json", no_argument, nullptr, OPT_JSON},
        {"calibrate", no_argument, nullptr, OPT_CALIBRATE}, {"against", required_argument, nullptr, OPT_AGAINST},
        {"hold", required_argument, nullptr, OPT_HOLD},  {"output", required_argument, nullptr, 'o'},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},          {nullptr, 0, nullptr, 0},
    };
    // The VM's image is made of the build tree's programs (scx-run,
    // scx-vm, the native workloads): found first on PATH.
    const char *path = std::getenv("PATH");
    ::setenv("PATH", (std::string(SCX_BUILD_TOOLS_DIR) + ":" + (path ? path : "/usr/bin:/bin")).c_str(), 1);
    const char *env_dir = std::getenv("SCX_POLICY_DIR");
    std::string policy_dir = env_dir && *env_dir ? env_dir : SCX_BUILD_POLICY_DIR;
    std::vector<std::string> workloads, run_args, sim_args, hold;
    bool kernel = false, json = false, cpus_set = false, calibrate = false;
    // Options that choose the kernel side's plan, which --against takes
    // from its document.
    std::vector<std::string> plan_options;
    std::vector<std::string> against;
    int cpus = 2, runs = 3;
    std::uint64_t seed = 1;
    std::string output;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "w:c:r:s:o:hV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'w': workloads.push_back(optarg); plan_options.push_back("--workload"); break;
        case OPT_VM: kernel = false; plan_options.push_back("--vm"); break;
        case OPT_KERNEL: kernel = true; plan_options.push_back("--kernel"); break;
        case 'c': {
            auto v = cli::parse_int("--cpus", optarg, 1, 64);
            if (!v)
                return cli::usage_error(v.error().message);
            cpus = static_cast<int>(*v);
            cpus_set = true;
            plan_options.push_back("--cpus");
            break;
        }
        case 'r': {
            auto v = cli::parse_int("--runs", optarg, 1, 1000);
            if (!v)
                return cli::usage_error(v.error().message);
            runs = static_cast<int>(*v);
            plan_options.push_back("--runs");
            break;
        }
        case 's': {
            auto v = cli::parse_int("--seed", optarg, 0, LLONG_MAX);
            if (!v)
                return cli::usage_error(v.error().message);
            seed = static_cast<std::uint64_t>(*v);
            break;
        }
        case OPT_RUN_ARG: run_args.push_back(optarg); plan_options.push_back("--run-arg"); break;
        case OPT_SIM_ARG: sim_args.push_back(optarg); break;
        case OPT_POLICY_DIR: policy_dir = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_CALIBRATE: calibrate = true; break;
        case OPT_AGAINST: against.push_back(optarg); break;
        case OPT_HOLD:
            for (std::string_view k : split(optarg, ',')) {
                if (k.empty())
                    return cli::usage_error("--hold: an empty cost name in '" + std::string(optarg) + "'");
                hold.emplace_back(k);
            }
            break;
        case 'o': output = optarg; break;
        case 'h': return cli::print_help(HELP);
        case 'V': return cli::print_version();
        default: return cli::bad_option(argv);
        }
    }

    if (calibrate && json)
        return cli::usage_error("--calibrate writes a machine file, not a document; --json does not apply");
    if (!hold.empty() && !calibrate)
        return cli::usage_error("--hold is for --calibrate: it names costs the fit leaves alone");
    std::optional<fidelity::Report> recorded;
    if (!against.empty()) {
        if (!plan_options.empty())
            return cli::usage_error(plan_options.front() + " does not apply with --against: the kernel side's plan is " +
                                    against.front() + "'s");
        if (optind < argc)
            return cli::usage_error("no SCHEDULER with --against: they are " + against.front() + "'s");
        auto r = fidelity::read_documents(against, policy_dir);
        if (!r)
            return cli::report(r.error());
        recorded = std::move(*r);
    }
    fidelity::Plan plan = recorded ? recorded->plan : fidelity::default_plan(policy_dir);
    if (optind < argc) {
        plan.schedulers.resize(1); // default, the reference
        for (int i = optind; i < argc; i++) {
            if (std::string(argv[i]) == "default")
                continue;
            auto s = fidelity::parse_scheduler(argv[i]);
            if (!s)
                return cli::report(s.error());
            plan.schedulers.push_back(std::move(*s));
        }
    }
    for (const fidelity::Scheduler &s : plan.schedulers)
        if (!s.path.empty() && ::access(s.path.c_str(), R_OK) != 0)
            return cli::report(Error(Exit::no_input, "cannot read " + s.path + " (--policy-dir, SCX_POLICY_DIR)"));
    if (plan.schedulers.size() < 2)
        return cli::usage_error("nothing to compare with default: name a SCHEDULER");
    if (!workloads.empty()) {
        plan.workloads.clear();
        for (const std::string &w : workloads) {
            auto p = fidelity::parse_workload(w);
            if (!p)
                return cli::report(p.error());
            plan.workloads.push_back(std::move(*p));
        }
    }
    if (kernel && cpus_set)
        return cli::usage_error("--cpus is for the VM; with --kernel both sides have this machine's CPUs");
    if (!recorded) {
        plan.kernel = kernel ? BackendKind::kernel : BackendKind::vm;
        plan.cpus = kernel ? static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)) : cpus;
        plan.runs = runs;
        plan.kernel_options = run_args;
    }
    plan.seed = seed;
    plan.sim_options = sim_args;
    // The output file is checked before the runs and written when they end.
    std::optional<PendingFile> pending;
    if (!output.empty() && output != "-") {
        pending.emplace(output);
        if (auto p = pending->prepare(); !p)
            return cli::report(p.error());
    }

    const volatile std::sig_atomic_t *interrupted = cli::stop_on_signals();
    const bool tty = cli::stderr_is_tty();
    const std::size_t total = plan.workloads.size();
    auto progress = [&](std::size_t w, int run, const std::string &label, const char *side) {
        if (!tty)
            return;
        if (run == 0)
            std::fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s, %s", w + 1, total, plan.workloads[w].spec.c_str(),
                         label.c_str(), side);
        else
            std::fprintf(stderr, "\r\033[K[%zu/%zu] %s: run %d/%d, %s, %s", w + 1, total,
                         plan.workloads[w].spec.c_str(), run, plan.runs, label.c_str(), side);
    };
    // The result to -o FILE, else to standard output.
    auto emit = [&](const std::string &text) -> Result<void> {
        if (!pending) {
            std::fputs(text.c_str(), stdout);
            return {};
        }
        pending.reset();
        return write_file_atomic(output, text);
    };
    if (calibrate) {
        auto cal = fidelity::calibrate(plan, progress, interrupted, recorded ? &*recorded : nullptr, hold);
        if (tty)
            std::fputs("\r\033[K", stderr);
        if (!cal)
            return cli::report(cal.error());
        if (auto w = emit(fidelity::machine_file(*cal)); !w)
            return cli::report(w.error());
        return any_failure(cal->before) ? 1 : 0;
    }
    auto rep = fidelity::run(plan, progress, interrupted, recorded ? &*recorded : nullptr);
    if (tty)
        std::fputs("\r\033[K", stderr);
    if (!rep)
        return cli::report(rep.error());
    const std::string doc = fidelity::document(*rep);
    if (!output.empty())
        if (auto w = emit(doc); !w)
            return cli::report(w.error());
    if (output != "-") {
        const std::string text = json ? doc : fidelity::table(*rep);
        std::fputs(text.c_str(), stdout);
    }
    return any_failure(*rep) ? 1 : 0;
}
