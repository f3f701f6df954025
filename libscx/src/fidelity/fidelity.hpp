// SPDX-License-Identifier: MIT
//
// fidelity/fidelity.hpp - does the simulator order schedulers as a real
// sched_ext kernel does? (bench/fidelity, scx-fidelity)
//
// A matrix of schedulers x workloads, each cell run on both sides with the
// same CPU count: the simulator (seeds 1..runs) and a kernel - this
// machine's (root, sched_ext) or one under QEMU (the VM backend) - running
// the same work natively (scx-messaging, scx-workload). Runs are
// interleaved on the kernel (run i of every scheduler, then run i + 1), so a
// drift of the machine touches every scheduler alike. Each side's figure is
// the median of its runs. Per workload: each scheduler's ratio to default on
// both sides, both orderings and Kendall's tau-b between them; overall, the
// pooled tau-b of every workload's pairs.
//
// The BPF-only FIFO (scx-run --bpf-only) runs in the simulator's BPF-only
// mode: the BPF half alone, with no user-space scheduler.

#ifndef SCX_FIDELITY_HPP
#define SCX_FIDELITY_HPP

#include <csignal>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <scx/result.hpp>
#include <scx/run.hpp>

#include "base/stats.hpp"

namespace scx::fidelity {

inline constexpr const char *SCHEMA = "scxkit.fidelity/1";
// The ratio agreement the fidelity benchmark aims at: the simulator's
// ratio to default within this fraction of the kernel's.
inline constexpr double RATIO_TOLERANCE = 0.25;

struct Scheduler {
    std::string label;                       // "default", "fifo", "bpf-fifo"
    RunRequest::Scheduler kind = RunRequest::Scheduler::policy; // on the kernel
    std::string path;                        // the policy (kernel and simulator; none for the others)
    std::vector<std::string> sim_options;    // extra simulator options
    ParamAssignments sim_params;             // the policy's parameters in the simulator
};

struct Workload {
    std::string spec;                        // the simulator's spelling, also the native workload's
    std::string metric;                      // compared figure ("makespan_s", ...)
    stats::Direction direction = stats::Direction::lower_is_better;
};

struct Plan {
    std::vector<Scheduler> schedulers;       // the first is the reference (default)
    std::vector<Workload> workloads;
    int runs = 3;
    int cpus = 2;                            // simulator CPUs = the kernel's CPUs (vCPUs)
    std::uint64_t seed = 1;                  // the simulator's run i uses seed + i - 1
    BackendKind kernel = BackendKind::vm;    // vm or kernel
    std::vector<std::string> kernel_options; // scx-run options for the kernel side (--kernel=..., --accel=...)
    std::vector<std::string> sim_options;    // scx-run options for the simulator (--machine=...)
};

// Figures also compared for default alone: the model against the real one.
inline const std::vector<std::string> MODEL_METRICS = {"makespan_s", "wakeup_latency_p50_ns",
                                                       "wakeup_latency_p99_ns", "context_switches",
                                                       "makespan_cpu_s"};

struct Side {
    std::vector<double> values;              // the compared metric, successful runs in order
    std::vector<std::string> failures;       // why the other runs failed
    double median = 0;                       // NaN when no run succeeded
    double ratio = 0;                        // median / default's median (NaN if undefined)
    std::map<std::string, double> model;     // MODEL_METRICS medians, those the reports had
};

struct Cell {
    Side sim, kernel;
    double agreement = 0;                    // sim ratio / kernel ratio - 1 (NaN if undefined)
    // Its 95 % interval from the scatter of both sides' runs (the
    // bootstrap of stats::ratio_of_ratios, minus 1): a difference inside
    // it may be the runs' noise. Undefined (NaN ends) for the reference and
    // for too few runs.
    stats::Interval agreement_ci{std::numeric_limits<double>::quiet_NaN(),
                                 std::numeric_limits<double>::quiet_NaN()};
};

struct WorkloadResult {
    Workload workload;
    std::vector<Cell> cells;                 // one per plan scheduler, in plan order
    std::vector<std::string> sim_order, kernel_order; // best first
    stats::Kendall kendall;
    // The kernel against itself: tau-b between the medians of its
    // odd-numbered and even-numbered runs (2 runs or more): how far its own
    // ordering can be trusted, the ceiling of `kendall`.
    stats::Kendall kernel_self;
};

struct Report {
    Plan plan;
    std::vector<WorkloadResult> workloads;
    stats::Kendall overall, kernel_self;
    // The kernel side: its release, its CPUs, the accelerator under QEMU.
    std::string kernel_release, accelerator;
    int kernel_cpus = 0;
    double wall_s = 0;
    // The document the kernel side was read from (scx-fidelity --against);
    // empty when it ran.
    std::string recorded_from;
};

// Progress: workload index, run number, scheduler label, side ("sim"/"kernel").
using Progress = std::function<void(std::size_t, int, const std::string &, const char *)>;

// The default plan: default, fifo, vruntime, latency and the BPF-only FIFO
// (policies from `policy_dir`) x messaging with threads, messaging with
// processes and pipes, cpu, latency, interactive.
Plan default_plan(const std::string &policy_dir);
// A workload as given on the command line: SPEC or SPEC@METRIC (the metric
// by default the one scx-bench compares for the workload).
Result<Workload> parse_workload(const std::string &arg);
// A scheduler as given on the command line: "default", "bpf-fifo" or a
// policy file.
Result<Scheduler> parse_scheduler(const std::string &arg);

// One scheduler on one workload in the simulator, runs seeds seed ...
// seed + runs - 1, with `extra` simulator options after the plan's and the
// scheduler's; the median of the workload's metric and the model figures.
Result<Side> run_sim(const Plan &plan, const Scheduler &s, const Workload &w, const std::vector<std::string> &extra,
                     const volatile std::sig_atomic_t *cancel);

// Run the matrix. An Error when a side cannot run at all (no VM, a bad
// workload, interrupted); failed runs are kept in the cells. With
// `recorded` (read_document()), its kernel side is taken instead of
// running the kernel: only the simulator runs, on the recorded plan's
// schedulers, workloads and runs.
Result<Report> run(const Plan &plan, const Progress &progress, const volatile std::sig_atomic_t *cancel,
                   const Report *recorded = nullptr);

// A document written earlier (document()): its plan - policies where it
// ran them, else by their file name in `policy_dir` - and its kernel side
// (the simulator's side is left empty). Exit::data for a document that is
// not scxkit.fidelity/1 or not whole; Exit::no_input for a missing file
// or policy.
Result<Report> read_document(const std::string &path, const std::string &policy_dir);
// Several documents of the same matrix (schedulers, workloads, CPUs) on
// the same kernel, as one: every cell's kernel runs in document order, the
// medians of them all, the model figures the median of the documents'
// medians; `recorded_from` lists the files. Exit::usage when they differ.
Result<Report> read_documents(const std::vector<std::string> &paths, const std::string &policy_dir);

// The scxkit.fidelity/1 document, and the same for a person.
std::string document(const Report &r);
std::string table(const Report &r);

} // namespace scx::fidelity

#endif // SCX_FIDELITY_HPP
