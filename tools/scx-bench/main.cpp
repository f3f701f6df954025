// SPDX-License-Identifier: MIT
//
// scx-bench - repeated, interleaved measurements of policies with honest
// statistics, on the simulator or on the real kernel.

#include "bench/bench.hpp"
#include "bench/runners.hpp"
#include "policy/params.hpp"
#include "base/fs.hpp"
#include "base/paths.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "../common/cli.hpp"
#include "../common/measure.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-bench --sim WORKLOAD [OPTIONS] SUBJECT...
       scx-bench [--vm] [OPTIONS] SUBJECT... -- COMMAND [ARG...]
       scx-bench [--vm] --workload WORKLOAD[:KEY=VALUE,...] [OPTIONS] SUBJECT...

Run every SUBJECT the same number of times, interleaved (A B A B ...), and
report the median with a 95% confidence interval, outliers, and whether each
subject is significantly better or worse than the baseline (Wilcoxon
signed-rank test on the simulator's runs, paired by seed; Mann-Whitney U on
the kernel).
SUBJECT is a policy shared object built by scx-build, or 'default': the Linux
default scheduler - the kernel's own on a kernel, the simulator's model of it
(EEVDF) in the simulator (the table says so). POLICY.so:NAME=VALUE[,...] is
the policy with its parameters set (labelled BASENAME:NAME=VALUE,...), so
that one policy can be compared with itself tuned otherwise.

Every run goes through libscx's run seam, as scx-run runs a policy. With
--sim, each run is what `scx-run --sim WORKLOAD --seed S POLICY.so` does,
with a different seed per run (the same seeds for every subject). Otherwise
each run hosts the policy on a sched_ext kernel - this machine's (root and
sched_ext needed), or with --vm one booted under QEMU, once for the whole
benchmark - around one run of COMMAND (or of one of scxkit's native
workloads), checking that the scheduler was enabled before and still enabled
after it.

Simulator:
      --sim WORKLOAD   simulate WORKLOAD: a built-in (messaging, cpu, latency,
                       interactive, fork) with :key=val,... or a workload file
      --cpus N         number of simulated CPUs (default: this machine's);
                       with --vm, vCPUs (default 2)
      --seed S         seed of the first run; run i uses S+i-1 (default 1)
  -m, --metric NAME    metric of scx-run's report (default: makespan_s;
                       wakeup_latency_p99_ns for latency and interactive,
                       throughput for cpu); on the kernel, the name of the
                       --metric-regex figure or of a native workload's metric

Kernel:
      --vm             on a sched_ext kernel booted under QEMU (no root, any
                       host kernel; see scx-vm(1)); the VM's own options go
                       through --run-arg (see scx-run(1), VM mode)
      --workload WORKLOAD[:KEY=VALUE,...]
                       run one of the simulator's workloads natively, with
                       its parameters: messaging (scx-messaging; measures the
                       time it reports, messaging_s), cpu, latency,
                       interactive, fork (scx-workload; --metric as in the
                       simulator, same default)
      --metric-regex RE  measure the first number matching RE in COMMAND's
                       output (capture group 1 if any) instead of wall time

Both:
      --run-arg ARG    give every run the scx-run option ARG (repeatable): its
                       watchdog or slice, say, or the VM's kernel
      --timeout DURATION stop a run that takes longer and count it failed
      --param NAME=VALUE  set the parameter NAME of every policy subject
                       (repeatable; a subject's own NAME=VALUE wins); scx-run
                       lists a policy's parameters in its check mode

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
failed or not significantly better, 64 usage, 65 bad input data (a parameter
the policy does not declare or a bad value too), 66 missing file, 69
sched_ext, BPF or the VM unavailable, 74 output not writable, 77 needs root,
130 interrupted. See scx-bench(1).
)";


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

    std::vector<std::string> command;
    const int nopt = cli::split_command(argc, argv, command);

    enum { OPT_COMPARE = 256, OPT_BETTER, OPT_JSON, OPT_PLOT, OPT_PARAM };
    const std::vector<struct option> longopts = cli::measure_options({
        {"param", required_argument, nullptr, OPT_PARAM},
        {"runs", required_argument, nullptr, 'r'},
        {"warmup", required_argument, nullptr, 'w'},
        {"ignore-failure", no_argument, nullptr, 'i'},
        {"compare", required_argument, nullptr, OPT_COMPARE},
        {"better-than", required_argument, nullptr, OPT_BETTER},
        {"json", no_argument, nullptr, OPT_JSON},
        {"output", required_argument, nullptr, 'o'},
        {"plot", required_argument, nullptr, OPT_PLOT},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},
    });

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
    while ((c = getopt_long(nopt, argv, "m:r:w:io:hV", longopts.data(), nullptr)) != -1) {
        if (auto shared = cli::measure_option(c, o.method, cfg)) {
            if (*shared)
                return *shared;
            continue;
        }
        long long v = 0;
        int rc = 0;
        switch (c) {
        case OPT_PARAM: {
            auto p = scx::parse_param_assignment(optarg);
            if (!p)
                return cli::usage_error(p.error().message);
            cfg.params.push_back(std::move(*p));
            break;
        }
        case 'r': rc = int_opt("--runs", 1, 100000, v); cfg.runs = static_cast<int>(v); break;
        case 'w': rc = int_opt("--warmup", 0, 100000, v); cfg.warmup = static_cast<int>(v); o.method.warmup_set = true; break;
        case 'i': cfg.keep_going = true; break;
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
    if (auto r = bench::resolve_method(o.method, cfg); !r)
        return cli::usage_error(r.error().message);
    auto outputs = bench::plan_outputs(o.json, o.output, o.plot);
    if (!outputs)
        return cli::usage_error(outputs.error().message);

    // Subjects, the --better-than reference, the baseline; the earlier
    // result and the outputs checked before time is spent on runs.
    if (auto r = bench::set_subjects(rep, std::vector<std::string>(argv + optind, argv + nopt), o.better_than,
                                     &o.compare);
        !r)
        return r.error().exit == scx::Exit::usage ? cli::usage_error(r.error().message) : cli::report(r.error());
    std::unique_ptr<bench::Report> old;
    if (!o.compare.empty()) {
        auto earlier = bench::read_earlier(cfg, o.compare);
        if (!earlier)
            return cli::report(earlier.error());
        for (const auto &w : earlier->warnings)
            cli::warn(w);
        old = std::make_unique<bench::Report>(std::move(earlier->report));
        rep.compare_file = o.compare;
    }
    if (auto r = bench::check_outputs(*outputs); !r)
        return cli::report(r.error());
    const bool json_out = outputs->to_stdout == bench::StdoutContent::json;

    cfg.scx_run = std::string("libscx ") + scx::version();
    const volatile std::sig_atomic_t *stop = cli::stop_on_signals();

    // The runner: the run seam's backend, in this process; the policies'
    // parameters checked before the first run.
    if (auto ready = bench::check_kernel_ready(rep); !ready)
        return cli::report(ready.error());
    if (auto ok = bench::check_subject_params(rep); !ok)
        return cli::report(ok.error(), json_out);
    auto runner = bench::make_runner(cfg, stop);
    if (!runner)
        return runner.error().exit == scx::Exit::usage ? cli::usage_error(runner.error().message)
                                                        : cli::report(runner.error());

    const bool progress = cli::stderr_is_tty();
    bench::ProgressFn show;
    if (progress)
        show = [&](const bench::Progress &p) {
            std::fprintf(stderr, "\r\033[Kscx-bench: %s", bench::progress_line(p, cfg).c_str());
            std::fflush(stderr);
        };
    auto ran = bench::run_plan(rep, **runner, show, stop);
    if (progress)
        std::fputs("\r\033[K", stderr);
    if (!ran)
        return cli::report(ran.error(), json_out);

    bench::analyse(rep, old.get());

    const bench::Rendered out = bench::render(rep, *outputs);
    if (!outputs->json_file.empty())
        if (auto w = cli::write_output(outputs->json_file, out.document); !w)
            return cli::report(w.error());
    if (!outputs->plot_file.empty())
        if (auto w = cli::write_output(outputs->plot_file, out.svg); !w)
            return cli::report(w.error());
    if (auto w = cli::write_output("-", out.stdout_text); !w)
        return cli::report(w.error());
    const auto [status, message] = bench::verdict(rep);
    if (status)
        std::fprintf(stderr, "scx-bench: %s\n", message.c_str());
    return status;
}
