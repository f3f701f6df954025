// SPDX-License-Identifier: MIT
// scx-run --sim: run a policy on the deterministic simulator.
#include "modes.hpp"

#include "run/run_doc.hpp"
#include "sim/sim.hpp"

#include <cstdio>
#include <unistd.h>

#include "../common/cli.hpp"

const char *const SIM_USAGE = "scx-run --sim WORKLOAD[:KEY=VALUE,...] [OPTION...] POLICY.so\n";
const char *const SIM_HELP = R"(Simulator mode:
      --sim WORKLOAD   run the policy on the simulator, with a built-in
                       workload and its parameters (messaging:groups=2,loops=10)
                       or a JSON workload file; built-ins: messaging, cpu,
                       latency, interactive, fork
      --cpus N         simulated CPUs (default: this machine's)
      --seed S         random seed (default 1); same seed, same result
      --watchdog DUR   eject a policy that leaves a task runnable this long
                       (default 30s of simulated time)
      --slice DUR      the runtime's default slice (default 20ms)
      --machine K=V,.. machine and runtime costs: smt, llc, hz, cs_ns, mm_ns,
                       migrate_ns, llc_migrate_ns, wake_idle_ns, hop_ns,
                       decision_ns, ring, jitter_pct (see scx-run(1))
      --max-time DUR   give up after this much simulated time (default 1h)
      --policy-timeout DUR
                       kill a policy whose call does not return within this
                       wall-clock time (default 10s)
      --trace FILE     write a Chrome/Perfetto trace (one track per CPU)
      --events FILE    write every scheduling event as JSON Lines
      --json           print the scxkit.run/1 JSON document (the default when
                       stdout is not a terminal)
      --table          print a table for a person (the default on a terminal)
  -v, --verbose        report wall-clock time and events per second on stderr
)";

namespace {

long host_cpus()
{
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > scx::sim::MAX_CPUS ? scx::sim::MAX_CPUS : n;
}

} // namespace

int run_sim(int argc, char **argv)
{
    enum { OPT_CPUS = 256, OPT_SEED, OPT_WATCHDOG, OPT_SLICE, OPT_MACHINE, OPT_MAX_TIME, OPT_POLICY_TIMEOUT, OPT_TRACE,
           OPT_EVENTS, OPT_TABLE };
    static const struct option longopts[] = {
        {"sim", required_argument, nullptr, 's'},
        {"cpus", required_argument, nullptr, OPT_CPUS},
        {"seed", required_argument, nullptr, OPT_SEED},
        {"watchdog", required_argument, nullptr, OPT_WATCHDOG},
        {"slice", required_argument, nullptr, OPT_SLICE},
        {"machine", required_argument, nullptr, OPT_MACHINE},
        {"max-time", required_argument, nullptr, OPT_MAX_TIME},
        {"policy-timeout", required_argument, nullptr, OPT_POLICY_TIMEOUT},
        {"trace", required_argument, nullptr, OPT_TRACE},
        {"events", required_argument, nullptr, OPT_EVENTS},
        {"json", no_argument, nullptr, 'j'},
        {"table", no_argument, nullptr, OPT_TABLE},
        {"verbose", no_argument, nullptr, 'v'},
        {nullptr, 0, nullptr, 0},
    };
    scx::sim::Options opt;
    opt.machine.cpus = static_cast<int>(host_cpus());
    scx::sim::SuperviseOptions so;
    std::string workload_arg;
    std::vector<std::string> machine_lists;
    bool json_out = !scx::cli::stdout_is_tty();
    bool verbose = false;
    long long slice = -1;

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "v", longopts, nullptr)) != -1) {
        scx::Result<long long> v = 0LL;
        switch (c) {
        case 's': workload_arg = optarg; break;
        case OPT_CPUS:
            v = scx::cli::parse_int("--cpus", optarg, 1, scx::sim::MAX_CPUS);
            if (v)
                opt.machine.cpus = static_cast<int>(*v);
            break;
        case OPT_SEED:
            v = scx::cli::parse_int("--seed", optarg, 0, 0x7fffffffffffffffLL);
            if (v)
                opt.seed = static_cast<std::uint64_t>(*v);
            break;
        case OPT_WATCHDOG:
            v = scx::cli::parse_duration_ns("--watchdog", optarg);
            if (v && *v < static_cast<long long>(scx::NSEC_PER_MSEC))
                v = scx::Error(scx::Exit::usage, "--watchdog must be at least 1ms");
            if (v)
                opt.watchdog_ns = static_cast<std::uint64_t>(*v);
            break;
        case OPT_SLICE:
            v = scx::cli::parse_duration_ns("--slice", optarg);
            if (v && *v < static_cast<long long>(scx::NSEC_PER_USEC))
                v = scx::Error(scx::Exit::usage, "--slice must be at least 1us");
            if (v)
                slice = *v;
            break;
        case OPT_MACHINE: machine_lists.emplace_back(optarg); break;
        case OPT_MAX_TIME:
            v = scx::cli::parse_duration_ns("--max-time", optarg);
            if (v && (*v < 1 || *v > 100LL * 24 * 3600 * static_cast<long long>(scx::NSEC_PER_SEC)))
                v = scx::Error(scx::Exit::usage, "--max-time must be above zero and at most 100 days");
            if (v)
                opt.max_time_ns = static_cast<std::uint64_t>(*v);
            break;
        case OPT_POLICY_TIMEOUT:
            v = scx::cli::parse_duration_ns("--policy-timeout", optarg);
            if (v && *v < static_cast<long long>(100 * scx::NSEC_PER_MSEC))
                v = scx::Error(scx::Exit::usage, "--policy-timeout must be at least 100ms");
            if (v)
                so.policy_timeout_ns = static_cast<std::uint64_t>(*v);
            break;
        case OPT_TRACE: so.trace_path = optarg; break;
        case OPT_EVENTS: so.events_path = optarg; break;
        case 'j': json_out = true; break;
        case OPT_TABLE: json_out = false; break;
        case 'v': verbose = true; break;
        default: return scx::cli::bad_option(argv);
        }
        if (!v)
            return scx::cli::usage_error(v.error().message);
    }
    if (optind >= argc)
        return scx::cli::usage_error("missing POLICY.so");
    if (optind + 1 < argc)
        return scx::cli::usage_error("too many arguments");
    so.policy_path = argv[optind];
    if (so.trace_path == "-" || so.events_path == "-")
        return scx::cli::usage_error("--trace and --events need a file name (standard output carries the run document)");
    for (const std::string &list : machine_lists)
        if (auto r = scx::sim::set_machine_params(opt.machine, list); !r)
            return scx::cli::usage_error(r.error().message);
    if (slice >= 0)
        opt.machine.slice_ns = static_cast<std::uint64_t>(slice);

    auto spec = scx::sim::parse_workload_spec(workload_arg);
    if (!spec)
        return scx::cli::usage_error(spec.error().message);
    auto workload = scx::sim::load_workload(*spec, opt.machine);
    if (!workload) {
        if (workload.error().exit == scx::Exit::usage)
            return scx::cli::usage_error(workload.error().message);
        return scx::cli::report(workload.error(), json_out);
    }

    auto run = scx::sim::run_supervised(so, *workload, opt);
    if (!run)
        return scx::cli::report(run.error(), json_out);

    const std::string text =
        json_out ? scx::json::dump(run->doc.get()) + "\n" : scx::run_doc::render_table(run->doc.get());
    if (auto r = scx::cli::write_output("-", text); !r)
        return scx::cli::report(r.error(), json_out);

    if (verbose && run->wall_s > 0 && run->cpu_s > 0)
        std::fprintf(stderr,
                     "%s: simulated %.6f s (%s, %zu tasks, %d CPUs) in %.3f s of wall-clock time (%.3f s of CPU): "
                     "%llu events, %.1f M events/s (%.1f M per CPU second)\n",
                     scx::cli::program(), static_cast<double>(run->simulated_ns) / 1e9, workload->name().c_str(),
                     workload->nr_tasks(), opt.machine.cpus, run->wall_s, run->cpu_s,
                     static_cast<unsigned long long>(run->events), static_cast<double>(run->events) / run->wall_s / 1e6,
                     static_cast<double>(run->events) / run->cpu_s / 1e6);
    if (run->exit.kind == scx::sim::ExitKind::done)
        return 0;
    const std::string who = run->policy.empty() ? so.policy_path : "policy '" + run->policy + "'";
    std::string what = run->exit.reason;
    if (!run->exit.message.empty())
        what += (what.empty() ? "" : ": ") + run->exit.message;
    switch (run->exit.kind) {
    case scx::sim::ExitKind::stall:
        std::fprintf(stderr, "%s: error: %s was ejected: %s\n", scx::cli::program(), who.c_str(), what.c_str());
        break;
    case scx::sim::ExitKind::error:
    case scx::sim::ExitKind::crash:
    case scx::sim::ExitKind::hang:
        std::fprintf(stderr, "%s: error: %s\n", scx::cli::program(), run->exit.message.c_str());
        break;
    default:
        std::fprintf(stderr, "%s: error: the simulation did not complete: %s\n", scx::cli::program(), what.c_str());
        break;
    }
    return 1;
}
