// SPDX-License-Identifier: MIT
//
// bench/runners.hpp - how scx-bench performs one run: through the run
// seam (<scx/run.hpp>), on the simulator or on the kernel, in-process.

#ifndef SCX_BENCH_RUNNERS_HPP
#define SCX_BENCH_RUNNERS_HPP

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include <scx/run.hpp>

#include "bench/bench.hpp"
#include "native/workload.hpp"
#include "kernel/sysfs.hpp"

namespace scx::bench {

// The programs and native workloads of the kernel (native/workload.hpp).
using native::find_tool;
using native::native_workload_command;
using native::native_workload_time;

// The subject "default": the Linux default scheduler - the kernel's own in
// kernel mode, the simulator's model of it (EEVDF) in the simulator (no
// `path`; said in `stands_for`).
Subject default_subject(Mode mode);
// A policy subject; the label is the file name without ".so".
Subject policy_subject(const std::string &path);

// Add a SUBJECT as given on the command line - "default", a policy path, or
// FILE.so:NAME=VALUE[,NAME=VALUE...] (a path that exists as given is always
// a path) - to rep.results (mode from rep.config) and return its label:
// the file name without ".so", then ":NAME=VALUE,..." when it has
// parameters of its own. Two policies with the same file name are labelled
// by their paths. Exit::usage when the subject is listed twice (the same
// file with the same parameters) or "default" is given parameters,
// Exit::no_input when the file is missing.
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

// One run of a subject on the run seam's backend: a policy on the
// simulator, or on the kernel around the workload command ("default": the
// kernel's own scheduler). The Sample carries the metric (the report's, the
// command's wall time, a --metric-regex figure, or the native workload's
// time), the run's times and exit, why it failed, and a mode-specific
// detail: the simulator's exit, metrics, CPUs and workload; on the kernel
// the sched_ext states seen around the workload, the exit and counters.
class BackendRunner : public Runner {
public:
    BackendRunner(const Config &cfg, std::unique_ptr<Backend> backend, const volatile std::sig_atomic_t *cancel)
        : cfg_(cfg), backend_(std::move(backend)), cancel_(cancel) {}
    Result<Sample> run(const Subject &subject, const Slot &slot) override;

private:
    const Config &cfg_;
    std::unique_ptr<Backend> backend_;
    const volatile std::sig_atomic_t *cancel_;
    Result<Sample> from_sim(const RunReport &r);
    Result<Sample> from_kernel(const RunReport &r);
};

// The backend for cfg.mode, configured with cfg's CPUs, --run-arg options
// and timeout; Exit::usage for a bad --run-arg.
Result<std::unique_ptr<Backend>> make_backend(const Config &cfg);
// BackendRunner over make_backend(cfg).
Result<std::unique_ptr<Runner>> make_runner(const Config &cfg, const volatile std::sig_atomic_t *cancel);

// Whether the benchmark can run on this kernel: only when it hosts a policy
// on it (kernel mode, a subject other than "default"), Exit::no_perm without
// root, then Exit::unavailable when `sysfs` has no sched_ext.
Result<void> check_kernel_ready(const Report &rep, const std::string &sysfs = sched_ext::SYSFS_ROOT);

// Every policy subject's parameters against what the policy declares
// (loading it contained, as scx-run --check does): Exit::data for a name it
// does not declare or a bad value, before any run.
Result<void> check_subject_params(const Report &rep);

// The figure of a run from a workload's output: --metric-regex's match, or
// the native workload's reported time.
Result<double> output_metric(const Metric &metric, const std::string &out);

// Last non-empty line of a program's output, for messages (a usage error's
// "Try 'x --help'." skipped).
std::string last_line(const std::string &text);

} // namespace scx::bench

#endif // SCX_BENCH_RUNNERS_HPP
