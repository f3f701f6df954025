// SPDX-License-Identifier: MIT
//
// scx-tune - search a policy's declared parameters for the values that do
// best on a workload and metric, within a budget of runs, and check the
// result against the defaults with scx-bench's statistics.

#include "bench/bench.hpp"
#include "bench/runners.hpp"
#include "base/parse.hpp"
#include "base/paths.hpp"
#include "policy/params.hpp"
#include "tune/tune.hpp"

#include <csignal>
#include <cstdio>
#include <memory>

#include "../common/cli.hpp"
#include "../common/measure.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-tune --sim WORKLOAD [OPTIONS] POLICY.so
       scx-tune [--vm] [OPTIONS] POLICY.so -- COMMAND [ARG...]
       scx-tune [--vm] --workload WORKLOAD[:KEY=VALUE,...] [OPTIONS] POLICY.so

Search the parameters POLICY.so declares for the values that do best on a
workload and metric, within a budget of runs, then compare the best values
with the defaults as scx-bench compares two subjects, on seeds the search
never used. Prints the best parameters, one NAME=VALUE a line, as scx-run's
parameter options take them (scx-tune(1), EXAMPLES).

The search is successive halving: a quasi-random sample of the space (the
defaults always among it) is measured, the best third kept and measured
again with more runs, and so on; candidates are ranked by the median of
their runs. Every run is an scx-bench run: with --sim, run i of every
candidate uses seed S+i-1, so candidates are compared on the same scenarios.

Workload and metric (as scx-bench's; see scx-bench(1)):
      --sim WORKLOAD   simulate WORKLOAD: a built-in (messaging, cpu, latency,
                       interactive, fork) with :key=val,... or a workload file
      --vm             on a sched_ext kernel booted under QEMU (see scx-vm(1))
      --workload WORKLOAD[:KEY=VALUE,...]
                       run one of the simulator's workloads natively
      --cpus N         number of simulated CPUs (default: this machine's);
                       with --vm, vCPUs (default 2)
  -m, --metric NAME    metric to optimise (default: scx-bench's for the
                       workload: makespan_s; wakeup_latency_p99_ns for latency
                       and interactive, throughput for cpu)
      --metric-regex RE  measure the first number matching RE in COMMAND's
                       output instead of wall time
      --lower-is-better, --higher-is-better
                       direction of the metric when its name does not say
      --run-arg ARG    give every run the scx-run option ARG (repeatable)
      --timeout DURATION stop a run that takes longer and count it failed

Search:
  -b, --budget N       runs the search may spend (default 60), the final
                       comparison's not included
      --candidates N   at most N candidates in the first rung (default 81;
                       fewer when the budget cannot measure them all)
      --eta N          keep the best 1/N of the candidates at each rung
                       (default 3)
      --seed S         seed of the sample and of the first run (default 1)
      --only NAME[,NAME...]  search these parameters only; the others keep
                       their defaults
      --fix NAME=VALUE  hold a parameter at VALUE (repeatable)

Comparison:
  -r, --runs N         runs of the defaults and of the best each (default 10)
      --alpha P        significance level of the verdict (default 0.05)

Output:
      --json           print the scxkit.tune/1 document instead of the values
  -o, --output FILE    also write the scxkit.tune/1 document to FILE ('-':
                       standard output, as --json)
      --plot FILE      write an SVG of the metric over the trials ('-': to
                       standard output instead of the values)
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 the best parameters are significantly better than the
defaults, 1 they are not (or a comparison run failed), 64 usage, 65 bad
input data (no parameters, a bad --fix), 66 missing file, 69 sched_ext,
BPF or the VM unavailable, 74 output not writable, 77 needs root, 130
interrupted. See scx-tune(1).
)";


} // namespace

int main(int argc, char **argv)
{
    namespace bench = scx::bench;
    namespace cli = scx::cli;
    namespace tune = scx::tune;
    cli::set_program("scx-tune");

    std::vector<std::string> command;
    const int nopt = cli::split_command(argc, argv, command);

    enum { OPT_CANDIDATES = 256, OPT_ETA, OPT_ONLY, OPT_FIX, OPT_JSON, OPT_PLOT };
    const std::vector<struct option> longopts = cli::measure_options({
        {"budget", required_argument, nullptr, 'b'},
        {"candidates", required_argument, nullptr, OPT_CANDIDATES},
        {"eta", required_argument, nullptr, OPT_ETA},
        {"only", required_argument, nullptr, OPT_ONLY},
        {"fix", required_argument, nullptr, OPT_FIX},
        {"runs", required_argument, nullptr, 'r'},
        {"json", no_argument, nullptr, OPT_JSON},
        {"output", required_argument, nullptr, 'o'},
        {"plot", required_argument, nullptr, OPT_PLOT},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},
    });

    bench::Config cfg;
    bench::MethodChoice method;
    tune::Search search;
    std::vector<std::string> only, fix;
    std::string output, plot;
    bool json = false;
    int runs = 10;
    opterr = 0;
    int c;
    auto int_opt = [&](const char *name, long long lo, long long hi, long long &out) -> int {
        auto v = cli::parse_int(name, optarg, lo, hi);
        if (!v)
            return cli::usage_error(v.error().message);
        out = *v;
        return 0;
    };
    while ((c = getopt_long(nopt, argv, "m:b:r:o:hV", longopts.data(), nullptr)) != -1) {
        if (auto shared = cli::measure_option(c, method, cfg)) {
            if (*shared)
                return *shared;
            continue;
        }
        long long v = 0;
        int rc = 0;
        switch (c) {
        case 'b': rc = int_opt("--budget", 2, 1000000, v); search.options.budget = static_cast<int>(v); break;
        case OPT_CANDIDATES:
            rc = int_opt("--candidates", 2, 100000, v);
            search.options.max_candidates = static_cast<std::size_t>(v);
            break;
        case OPT_ETA: rc = int_opt("--eta", 2, 100, v); search.options.eta = static_cast<int>(v); break;
        case OPT_ONLY:
            for (std::string_view n : scx::split(optarg, ','))
                only.emplace_back(n);
            break;
        case OPT_FIX: fix.emplace_back(optarg); break;
        case 'r': rc = int_opt("--runs", 1, 100000, v); runs = static_cast<int>(v); break;
        case OPT_JSON: json = true; break;
        case 'o': output = optarg; break;
        case OPT_PLOT: plot = optarg; break;
        case 'h': return cli::print_help(HELP);
        case 'V': return cli::print_version();
        default: return cli::bad_option(argv);
        }
        if (rc)
            return rc;
    }
    search.options.seed = cfg.seed;

    method.command = command;
    if (auto r = bench::resolve_method(method, cfg); !r)
        return cli::usage_error(r.error().message);
    auto outputs = bench::plan_outputs(json, output, plot);
    if (!outputs)
        return cli::usage_error(outputs.error().message);
    if (nopt - optind != 1)
        return cli::usage_error(nopt == optind ? "no policy given" : "one policy at a time");
    const std::string policy = argv[optind];

    // The policy's parameters: the space to search.
    bench::Report probe;
    probe.config = cfg;
    if (auto added = bench::add_subject(probe, policy); !added)
        return cli::report(added.error());
    auto declared = scx::read_policy_params(policy);
    if (!declared)
        return cli::report(declared.error());
    auto space = tune::make_space(*declared, only, fix);
    if (!space)
        return cli::report(space.error());
    search.space = std::move(*space);
    if (auto r = tune::prepare(search, policy); !r)
        return r.error().exit == scx::Exit::usage ? cli::usage_error(r.error().message) : cli::report(r.error());
    if (auto r = bench::check_outputs(*outputs); !r)
        return cli::report(r.error());
    const bool json_out = outputs->to_stdout == bench::StdoutContent::json;

    cfg.scx_run = std::string("libscx ") + scx::version();
    const volatile std::sig_atomic_t *stop = cli::stop_on_signals();
    if (auto ready = bench::check_kernel_ready(probe); !ready)
        return cli::report(ready.error());
    auto runner = bench::make_runner(cfg, stop);
    if (!runner)
        return runner.error().exit == scx::Exit::usage ? cli::usage_error(runner.error().message)
                                                        : cli::report(runner.error());

    // What was measured, written whatever happens next (an interrupted
    // search leaves a document with "complete": false).
    auto write_files = [&]() -> int {
        if (!outputs->json_file.empty() && outputs->json_file != "-")
            if (auto w = cli::write_output(outputs->json_file, scx::json::dump(tune::to_json(search, cfg).get()) + "\n");
                !w)
                return cli::report(w.error());
        if (!outputs->plot_file.empty() && outputs->plot_file != "-")
            if (auto w = cli::write_output(outputs->plot_file, tune::render_svg(search, cfg)); !w)
                return cli::report(w.error());
        return 0;
    };
    auto stopped = [&](const scx::Error &e) {
        if (int rc = write_files())
            return rc;
        return cli::report(e, json_out);
    };

    const bool progress = cli::stderr_is_tty();
    tune::ProgressFn show;
    bench::ProgressFn show_bench;
    if (progress) {
        show = [&](const tune::Progress &p) {
            std::fprintf(stderr, "\r\033[Kscx-tune: %s", tune::progress_line(p, cfg).c_str());
            std::fflush(stderr);
        };
        show_bench = [&](const bench::Progress &p) {
            std::fprintf(stderr, "\r\033[Kscx-tune: comparison, %s",
                         bench::progress_line(p, search.comparison.config).c_str());
            std::fflush(stderr);
        };
    }
    auto ran = tune::run_search(search, cfg, **runner, show, stop);
    if (ran)
        ran = tune::compare_best(search, cfg, runs, **runner, show_bench, stop);
    if (progress)
        std::fputs("\r\033[K", stderr);
    if (!ran)
        return stopped(ran.error());

    // scx-bench's table of the comparison, for the person at the terminal.
    if (!search.comparison.results.empty())
        std::fputs(bench::format_table(search.comparison).c_str(), stderr);
    if (int rc = write_files())
        return rc;
    std::string out;
    switch (outputs->to_stdout) {
    case bench::StdoutContent::json: out = scx::json::dump(tune::to_json(search, cfg).get()) + "\n"; break;
    case bench::StdoutContent::svg: out = tune::render_svg(search, cfg); break;
    case bench::StdoutContent::table: out = tune::best_text(search); break;
    }
    if (auto w = cli::write_output("-", out); !w)
        return cli::report(w.error());
    const auto [status, message] = tune::verdict(search);
    if (status)
        std::fprintf(stderr, "scx-tune: %s\n", message.c_str());
    return status;
}
