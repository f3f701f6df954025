// SPDX-License-Identifier: MIT
//
// <scx/bench_runners.hpp> - how scx-bench performs one run.
//
// SimRunner runs `scx-run --sim` as a subprocess and reads the metric from
// its scxkit.run/1 report. KernelRunner hosts each policy with `scx-run` on
// the real kernel around one run of the workload command, checking through
// sysfs that scxkit's scheduler was enabled before and still enabled after
// the workload, and that the machine is back on the default scheduler when
// it stops. The subject "default" runs the workload with sched_ext disabled.

#ifndef SCX_BENCH_RUNNERS_HPP
#define SCX_BENCH_RUNNERS_HPP

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench.hpp"
#include "kernel/sysfs.hpp"

namespace scx::bench {

// An scxkit program to run ("scx-run", "scx-messaging"): the environment
// variable named after it ($SCX_RUN, $SCX_MESSAGING) when set, else the one
// installed next to the running program, else the bare name (searched in
// PATH).
std::string find_tool(const std::string &name);

// Kernel mode's native workloads. "messaging[:groups=N,loops=N,fds=N,
// thread=1,pipe=1]" - the parameters and defaults of the simulator's
// built-in - becomes the command line of scxkit's messaging program
// (`scx-messaging --json -g N -l N ...`), whose reported time is the metric
// "messaging_s". Exit::usage for another workload or an unknown parameter.
Result<std::vector<std::string>> native_workload_command(const std::string &spec, const std::string &program);
// The first time in an scxkit.messaging/1 document.
Result<double> native_workload_time(const std::string &output);

// The subject "default": in kernel mode the kernel's own scheduler; in the
// simulator, which has no model of it, the reference FIFO policy shipped
// with scxkit (path in `path`, said in `stands_for`).
Subject default_subject(Mode mode);
// A policy subject; the label is the file name without ".so".
Subject policy_subject(const std::string &path);

// Add a SUBJECT as given on the command line - "default" or a policy path -
// to rep.results (mode from rep.config) and return its label. Two policies
// with the same file name are labelled by their paths. Exit::usage when the
// subject is listed twice, Exit::no_input when the file is missing.
Result<std::string> add_subject(Report &rep, const std::string &arg);
// --better-than REF: a file ending in ".json" is an earlier result (returned,
// to be read as with --compare); otherwise REF is a subject's label or path,
// or "default", added when not listed, and becomes the baseline. Exit::usage
// when no other subject is left to compare with it.
Result<std::string> set_better_than(Report &rep, const std::string &ref);
// The baseline when --better-than chose none: "default" if listed, else the
// first subject.
std::string default_baseline(const Report &rep);

// Check that a --metric-regex compiles (Exit::usage otherwise).
Result<void> check_regex(const std::string &regex);
// The number in the first match of `regex` in `output`: capture group 1 if
// the expression has one, else the whole match.
Result<double> extract_metric(const std::string &output, const std::string &regex);

struct SimOptions {
    std::string scx_run;
    std::string workload;   // WORKLOAD[:key=val,...] or a workload file
    int cpus = 0;           // 0: scx-run's default
    std::string metric = "makespan_s";
    std::vector<std::string> run_args; // extra scx-run arguments, before the policy
    long long timeout_ns = 0;
    const volatile std::sig_atomic_t *cancel = nullptr;
};

class SimRunner : public Runner {
public:
    explicit SimRunner(SimOptions opt) : opt_(std::move(opt)) {}
    Result<Sample> run(const Subject &subject, const Slot &slot) override;

private:
    SimOptions opt_;
    // The scx-run command line for one run.
    std::vector<std::string> command(const Subject &subject, const Slot &slot) const;
};

struct KernelOptions {
    std::string scx_run;
    std::vector<std::string> run_args;   // extra scx-run arguments, before the policy
    std::vector<std::string> workload;   // the command run (and measured) in each run
    Metric metric;                       // MetricSource::wall or ::regex
    std::string sysfs = sched_ext::SYSFS_ROOT;
    long long attach_timeout_ns = 30'000'000'000LL; // scx-run start -> enabled
    long long detach_timeout_ns = 10'000'000'000LL; // SIGINT -> disabled
    long long timeout_ns = 0;                       // the workload, per run
    std::string work_dir;                // where scx-run's output is kept while it runs
    const volatile std::sig_atomic_t *cancel = nullptr;
};

class KernelRunner : public Runner {
public:
    explicit KernelRunner(KernelOptions opt) : opt_(std::move(opt)) {}
    Result<Sample> run(const Subject &subject, const Slot &slot) override;

private:
    KernelOptions opt_;
    Result<Sample> run_default(const Subject &subject);
    Result<Sample> run_policy(const Subject &subject, const Slot &slot);
};

// The runner for cfg.mode, with cfg's scx-run, workload, CPUs, metric,
// scx-run arguments and timeout; kernel runs keep scx-run's output in
// work_dir (unused in the simulator).
std::unique_ptr<Runner> make_runner(const Config &cfg, const volatile std::sig_atomic_t *cancel,
                                    const std::string &work_dir);

// Whether the benchmark can run on this kernel: only when it hosts a policy
// on it (kernel mode, a subject other than "default"), Exit::no_perm without
// root, then Exit::unavailable when `sysfs` has no sched_ext.
Result<void> check_kernel_ready(const Report &rep, const std::string &sysfs = sched_ext::SYSFS_ROOT);

// Run the workload command once and measure it (wall time or --metric-regex).
// A failing command is a failed Sample; not being able to start it, or
// *cancel becoming non-zero, is an Error.
Result<Sample> measure_command(const std::vector<std::string> &command, const Metric &metric, long long timeout_ns,
                               const volatile std::sig_atomic_t *cancel);

// Run a program as a run of the benchmark: in a process group of its own,
// with the timeout and the cancel flag; fills the Sample's times and exit
// status, and its failure when it timed out or was killed ("<what> was
// killed by signal 9 (Killed)"). Its output goes to *out and *err.
Result<Sample> run_measured(const std::vector<std::string> &argv, const std::string &what, long long timeout_ns,
                            const volatile std::sig_atomic_t *cancel, std::string *out, std::string *err);

// The scxkit.run/1 report in scx-run's output: the whole output as one
// document, else the last line that is one; a null Value when there is none.
json::Value find_run_report(const std::string &out);
// "reason: message" from a report's "exit" object (the kind when there is no
// reason; "" when there is no exit object).
std::string run_exit_text(const json_t *report);

// The error of a program that could not be started, with what it was
// (`what`): when the program itself cannot be run (Exit::unavailable), a
// hint to set SCX_RUN or PATH; otherwise (its output file cannot be
// written, no process could be created) the error as it is.
Error start_error(Error e, const std::string &what);

// The Exit class of a child's exit status when it is one of scxkit's codes
// (64..78, 130), else Exit::software.
Exit exit_class(int status);
// Last non-empty line of a program's output, for messages (a usage error's
// "Try 'x --help'." skipped).
std::string last_line(const std::string &text);

} // namespace scx::bench

#endif // SCX_BENCH_RUNNERS_HPP
