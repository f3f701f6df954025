// SPDX-License-Identifier: MIT
//
// scx-bench - repeated, interleaved measurements of policies with honest
// statistics, on the simulator or on the real kernel.

#include "bench/bench.hpp"
#include "bench/runners.hpp"
#include "base/fs.hpp"
#include "base/paths.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "../common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-bench --sim WORKLOAD [OPTIONS] SUBJECT...
       scx-bench [OPTIONS] SUBJECT... -- COMMAND [ARG...]
       scx-bench --workload messaging[:KEY=VALUE,...] [OPTIONS] SUBJECT...

Run every SUBJECT the same number of times, interleaved (A B A B ...), and
report the median with a 95% confidence interval, outliers, and whether each
subject is significantly better or worse than the baseline (Wilcoxon
signed-rank test on the simulator's runs, paired by seed; Mann-Whitney U on
the kernel).
SUBJECT is a policy shared object built by scx-build, or 'default': the
kernel's own scheduler on the kernel; in the simulator, scxkit's reference
FIFO policy stands for it (the table says so).

With --sim, each run is `scx-run --sim WORKLOAD --seed S POLICY.so`, with a
different seed per run (the same seeds for every subject). Otherwise each run
hosts the policy with scx-run on the real kernel (root and sched_ext needed)
around one run of COMMAND (or of scxkit's native messaging workload), checking
that the scheduler was enabled before and still enabled after it.

Simulator:
      --sim WORKLOAD   simulate WORKLOAD: a built-in (messaging, cpu, latency,
                       interactive, fork) with :key=val,... or a workload file
      --cpus N         number of simulated CPUs (default: scx-run's)
      --seed S         seed of the first run; run i uses S+i-1 (default 1)
  -m, --metric NAME    metric of scx-run's report (default: makespan_s;
                       wakeup_latency_p99_ns for latency and interactive,
                       throughput for cpu); on the kernel, the name of the
                       --metric-regex figure

Kernel:
      --workload messaging[:KEY=VALUE,...]
                       run scxkit's native messaging workload (scx-messaging)
                       with the simulator's parameters (groups, loops, thread,
                       pipe) and measure the time it reports (messaging_s)
      --metric-regex RE  measure the first number matching RE in COMMAND's
                       output (capture group 1 if any) instead of wall time

Both:
      --run-arg ARG    pass ARG to every scx-run, before the policy (repeatable):
                       scx-run's own options, such as its watchdog or slice
      --timeout DURATION stop a run that takes longer and count it failed

Method:
  -r, --runs N         measured runs per subject (default 10)
  -w, --warmup N       warm-up runs per subject, not counted (default: 1 on the
                       kernel, 0 in the simulator)
      --lower-is-better, --higher-is-better
                       direction of the metric when its name does not say
  -i, --ignore-failure keep going after a failed run (it is recorded and left
                       out of the statistics; the exit status is still 1)
      --alpha P        significance level of the verdicts (default 0.05)

Comparison:
      --compare OLD.json  also compare each subject with the same subject in an
                       earlier scx-bench result
      --better-than REF   exit 0 only if every other subject is significantly
                       better than REF: a SUBJECT (added if not listed), or an
                       scx-bench result file (as with --compare)

Output:
      --json           print the scxkit.bench/1 document instead of the table
  -o, --output FILE    also write the scxkit.bench/1 document to FILE ('-':
                       standard output, as --json)
      --plot FILE      write a box plot with confidence intervals (SVG); '-':
                       to standard output instead of the table
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success (with --better-than: significantly better), 1 a run
failed or not significantly better, 64 usage, 65 bad input data, 66 missing
file, 69 sched_ext or scx-run unavailable, 74 output not writable, 77 needs
root, 130 interrupted. See scx-bench(1).
)";

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_signal(int) { g_stop = 1; }

void install_signal_handlers()
{
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
}

std::string duration_text(double s)
{
    const long long t = static_cast<long long>(s + 0.5);
    char buf[32];
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%llds", t);
    return buf;
}

void show_progress(const scx::bench::Progress &p, int runs, int warmup)
{
    std::string eta = p.eta_s < 0 ? "" : ", ETA " + duration_text(p.eta_s);
    std::fprintf(stderr, "\r\033[Kscx-bench: run %zu/%zu: %s, %s %d of %d%s", p.done + 1, p.total,
                 p.subject->label.c_str(), p.slot.warmup ? "warm-up" : "run", p.slot.run, p.slot.warmup ? warmup : runs,
                 eta.c_str());
    std::fflush(stderr);
}

struct Options {
    scx::bench::MethodChoice method;
    std::string compare, better_than, output, plot;
    bool json = false;
};

} // namespace

int main(int argc, char **argv)
{
    namespace bench = scx::bench;
    namespace cli = scx::cli;
    cli::set_program("scx-bench");

    // Everything after the first "--" is the workload command.
    int nopt = argc;
    std::vector<std::string> command;
    for (int i = 1; i < argc; i++)
        if (std::strcmp(argv[i], "--") == 0) {
            nopt = i;
            for (int k = i + 1; k < argc; k++)
                command.emplace_back(argv[k]);
            break;
        }

    enum {
        OPT_SIM = 256, OPT_CPUS, OPT_SEED, OPT_REGEX, OPT_TIMEOUT, OPT_LOWER, OPT_HIGHER, OPT_ALPHA,
        OPT_COMPARE, OPT_BETTER, OPT_JSON, OPT_PLOT, OPT_WORKLOAD, OPT_RUN_ARG,
    };
    static const struct option longopts[] = {
        {"sim", required_argument, nullptr, OPT_SIM},
        {"cpus", required_argument, nullptr, OPT_CPUS},
        {"seed", required_argument, nullptr, OPT_SEED},
        {"metric", required_argument, nullptr, 'm'},
        {"metric-regex", required_argument, nullptr, OPT_REGEX},
        {"workload", required_argument, nullptr, OPT_WORKLOAD},
        {"run-arg", required_argument, nullptr, OPT_RUN_ARG},
        {"timeout", required_argument, nullptr, OPT_TIMEOUT},
        {"runs", required_argument, nullptr, 'r'},
        {"warmup", required_argument, nullptr, 'w'},
        {"lower-is-better", no_argument, nullptr, OPT_LOWER},
        {"higher-is-better", no_argument, nullptr, OPT_HIGHER},
        {"ignore-failure", no_argument, nullptr, 'i'},
        {"alpha", required_argument, nullptr, OPT_ALPHA},
        {"compare", required_argument, nullptr, OPT_COMPARE},
        {"better-than", required_argument, nullptr, OPT_BETTER},
        {"json", no_argument, nullptr, OPT_JSON},
        {"output", required_argument, nullptr, 'o'},
        {"plot", required_argument, nullptr, OPT_PLOT},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };

    bench::Report rep;
    bench::Config &cfg = rep.config;
    Options o;
    opterr = 0;
    int c;
    auto int_opt = [&](const char *name, long long lo, long long hi, long long &out) -> int {
        auto v = cli::parse_int(name, optarg, lo, hi);
        if (!v)
            return cli::usage_error(v.error().message);
        out = *v;
        return 0;
    };
    while ((c = getopt_long(nopt, argv, "m:r:w:io:hV", longopts, nullptr)) != -1) {
        long long v = 0;
        int rc = 0;
        switch (c) {
        case OPT_SIM: o.method.sim = optarg; break;
        case OPT_CPUS: rc = int_opt("--cpus", 1, 4096, v); cfg.cpus = static_cast<int>(v); o.method.cpus = true; break;
        case OPT_SEED: rc = int_opt("--seed", 0, 1LL << 53, v); cfg.seed = static_cast<std::uint64_t>(v); o.method.seed = true; break;
        case 'm': o.method.metric = optarg; break;
        case OPT_REGEX: o.method.regex = optarg; break;
        case OPT_WORKLOAD: o.method.workload = optarg; break;
        case OPT_RUN_ARG: cfg.run_args.emplace_back(optarg); break;
        case OPT_TIMEOUT: {
            auto t = cli::parse_duration_ns("--timeout", optarg);
            if (!t)
                return cli::usage_error(t.error().message);
            cfg.timeout_ns = *t;
            break;
        }
        case 'r': rc = int_opt("--runs", 1, 100000, v); cfg.runs = static_cast<int>(v); break;
        case 'w': rc = int_opt("--warmup", 0, 100000, v); cfg.warmup = static_cast<int>(v); o.method.warmup_set = true; break;
        case OPT_LOWER: o.method.lower = true; break;
        case OPT_HIGHER: o.method.higher = true; break;
        case 'i': cfg.keep_going = true; break;
        case OPT_ALPHA: {
            auto a = cli::parse_double("--alpha", optarg, 0, 1, cli::Range::open);
            if (!a)
                return cli::usage_error(a.error().message);
            cfg.alpha = *a;
            break;
        }
        case OPT_COMPARE: o.compare = optarg; break;
        case OPT_BETTER: o.better_than = optarg; break;
        case OPT_JSON: o.json = true; break;
        case 'o': o.output = optarg; break;
        case OPT_PLOT: o.plot = optarg; break;
        case 'h': return cli::print_help(HELP);
        case 'V': return cli::print_version();
        default: return cli::bad_option(argv);
        }
        if (rc)
            return rc;
    }

    // What is measured, and where the output goes.
    o.method.command = command;
    o.method.messaging_program = o.method.workload.empty() ? "" : bench::find_tool("scx-messaging");
    if (auto r = bench::resolve_method(o.method, cfg); !r)
        return cli::usage_error(r.error().message);
    auto outputs = bench::plan_outputs(o.json, o.output, o.plot);
    if (!outputs)
        return cli::usage_error(outputs.error().message);

    // Subjects, the --better-than reference, the baseline.
    for (int i = optind; i < nopt; i++)
        if (auto l = bench::add_subject(rep, argv[i]); !l)
            return l.error().exit == scx::Exit::usage ? cli::usage_error(l.error().message) : cli::report(l.error());
    if (!o.better_than.empty()) {
        auto file = bench::set_better_than(rep, o.better_than);
        if (!file)
            return file.error().exit == scx::Exit::usage ? cli::usage_error(file.error().message)
                                                         : cli::report(file.error());
        if (!file->empty()) {
            if (!o.compare.empty() && o.compare != *file)
                return cli::usage_error("--better-than " + o.better_than + " and --compare " + o.compare +
                                        " name two different earlier results");
            o.compare = *file;
        }
    }
    if (rep.results.empty())
        return cli::usage_error("missing SUBJECT (a policy .so, or default)");
    if (rep.baseline.empty())
        rep.baseline = bench::default_baseline(rep);

    // The earlier result, read before spending time on runs.
    std::unique_ptr<bench::Report> old;
    if (!o.compare.empty()) {
        auto doc = scx::json::parse_file(o.compare);
        if (!doc)
            return cli::report(doc.error());
        auto r = bench::from_json(doc->get(), o.compare);
        if (!r)
            return cli::report(r.error());
        auto warnings = bench::check_comparable(cfg, *r, o.compare);
        if (!warnings)
            return cli::report(warnings.error());
        for (const auto &w : *warnings)
            cli::warn(w);
        old = std::make_unique<bench::Report>(std::move(*r));
        rep.compare_file = o.compare;
    }

    // Outputs must be writable before the benchmark starts.
    for (const auto *path : {&outputs->json_file, &outputs->plot_file})
        if (!path->empty()) {
            scx::PendingFile probe(*path);
            if (auto r = probe.prepare(); !r)
                return cli::report(r.error());
        }
    const bool json_out = outputs->to_stdout == bench::StdoutContent::json;

    cfg.scx_run = std::string("libscx ") + scx::version();
    install_signal_handlers();

    // The runner: the run seam's backend, in this process.
    if (auto ready = bench::check_kernel_ready(rep); !ready)
        return cli::report(ready.error());
    auto runner = bench::make_runner(cfg, &g_stop);
    if (!runner)
        return runner.error().exit == scx::Exit::usage ? cli::usage_error(runner.error().message)
                                                        : cli::report(runner.error());

    const bool progress = cli::stderr_is_tty();
    bench::ProgressFn show;
    if (progress)
        show = [&](const bench::Progress &p) { show_progress(p, cfg.runs, cfg.warmup); };
    auto ran = bench::run_plan(rep, **runner, show, &g_stop);
    if (progress)
        std::fputs("\r\033[K", stderr);
    if (!ran)
        return cli::report(ran.error(), json_out);

    bench::analyse(rep, old.get());

    const bool svg_out = outputs->to_stdout == bench::StdoutContent::svg;
    const std::string doc =
        json_out || !outputs->json_file.empty() ? scx::json::dump(bench::to_json(rep).get()) + "\n" : std::string();
    const std::string svg = svg_out || !outputs->plot_file.empty() ? bench::render_svg(rep) : std::string();
    if (!outputs->json_file.empty())
        if (auto w = cli::write_output(outputs->json_file, doc); !w)
            return cli::report(w.error());
    if (!outputs->plot_file.empty())
        if (auto w = cli::write_output(outputs->plot_file, svg); !w)
            return cli::report(w.error());
    const std::string out = json_out ? doc : svg_out ? svg : bench::format_table(rep);
    if (auto w = cli::write_output("-", out); !w)
        return cli::report(w.error());

    if (!rep.complete)
        return cli::report(scx::Error(scx::Exit::failure, rep.failure));
    if (rep.better_than && !rep.better_than->satisfied) {
        const auto &bt = *rep.better_than;
        std::fprintf(stderr, "scx-bench: not significantly better than %s\n",
                     (bt.reference_file.empty() ? bt.reference : bt.reference_file).c_str());
        return 1;
    }
    return 0;
}
