// SPDX-License-Identifier: MIT
//
// scx-workload - the simulator's cpu, latency, interactive and fork
// workloads on the real machine, measured as the simulator measures them.

#include "native/run.hpp"
#include "native/spec.hpp"

#include <climits>
#include <cstdio>

#include "../common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-workload [OPTIONS] WORKLOAD[:KEY=VALUE,...]

Run one of the simulator's built-in workloads natively, with its parameter
names, defaults and units (the simulator takes the same WORKLOAD), and print
what the simulator measures: makespan, throughput, wake-up latency
percentiles, run delay, fairness.

Workloads:
  cpu          tasks (2 x CPUs) CPU hogs for duration (1s), nice=0/5/...
  latency      groups (2) message threads waking workers (CPUs) workers that
               compute work (2ms) per request; think (5ms); duration (1s)
  interactive  tasks (4) bursts of burst (1ms) every period (10ms) beside
               hogs (CPUs) CPU hogs; duration (1s)
  fork         make spawns jobs (64) in levels (4) stages, parallel (CPUs) at
               a time; a job computes work (20ms) in chunks (4) with io (1ms)
               waits
(messaging is scx-messaging's.) CPUs: those this process may run on.

Options:
      --json           an scxkit.native/1 document instead of text
  -s, --seed N         seed of the random work and sleep lengths (default 1)
      --sched-ext      run every task in the SCHED_EXT class (for scx-run
                       in partial mode)
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 a task failed, 64 usage, 69 SCHED_EXT not
available, 75 out of processes, threads or memory, 77 a nice value needs
privileges. See scx-workload(1).
)";

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-workload");
    enum { OPT_JSON = 256, OPT_SCHED_EXT };
    static const struct option longopts[] = {
        {"json", no_argument, nullptr, OPT_JSON},      {"seed", required_argument, nullptr, 's'},
        {"sched-ext", no_argument, nullptr, OPT_SCHED_EXT}, {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},        {nullptr, 0, nullptr, 0},
    };
    scx::native::RunOptions opts;
    bool json = false;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "s:hV", longopts, nullptr)) != -1) {
        switch (c) {
        case OPT_JSON: json = true; break;
        case 's': {
            auto v = scx::cli::parse_int("--seed", optarg, 0, LLONG_MAX);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            opts.seed = static_cast<std::uint64_t>(*v);
            break;
        }
        case OPT_SCHED_EXT: opts.sched_ext = true; break;
        case 'h': return scx::cli::print_help(HELP);
        case 'V': return scx::cli::print_version();
        default: return scx::cli::bad_option(argv);
        }
    }
    if (optind >= argc)
        return scx::cli::usage_error("missing the WORKLOAD (cpu, latency, interactive or fork)");
    if (optind + 1 < argc)
        return scx::cli::usage_error("unexpected argument '" + std::string(argv[optind + 1]) + "'");
    const unsigned cpus = scx::native::usable_cpus();
    auto w = scx::native::parse_workload(argv[optind], cpus);
    if (!w)
        return scx::cli::usage_error(w.error().message);
    auto r = scx::native::run(*w, cpus, opts);
    if (!r)
        return scx::cli::report(r.error(), json);
    const std::string out = json ? scx::native::report_json(*r, false) + "\n" : scx::native::report_text(*r);
    std::fputs(out.c_str(), stdout);
    return 0;
}
