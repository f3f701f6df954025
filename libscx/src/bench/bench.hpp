// SPDX-License-Identifier: MIT
//
// <scx/bench.hpp> - repeated measurement of scheduling policies (scx-bench).
//
// A benchmark runs every subject (a policy, or the baseline "default") the
// same number of times, interleaved (A B A B ...), after optional warm-up
// runs, and keeps every raw sample. analyse() then summarises each subject
// (median, bootstrap CI, MAD, outliers, ...) and compares subjects with the
// baseline, or with an earlier result, by the ratio of medians and a rank
// test: the Wilcoxon signed-rank test where runs are paired (the simulator's
// run i of every subject uses the same seed), the Mann-Whitney U test where
// they are not (the kernel, commands). One Report feeds three printers: the scxkit.bench/1
// JSON document, a text table and an SVG box plot.
//
// How a single run happens (simulator, kernel, external command) is behind
// the Runner interface; see <scx/bench_runners.hpp>.

#ifndef SCX_BENCH_HPP
#define SCX_BENCH_HPP

#include <csignal>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.hpp"
#include <scx/result.hpp>
#include "base/stats.hpp"

namespace scx::bench {

inline constexpr const char *SCHEMA = "scxkit.bench";
inline constexpr int SCHEMA_MAJOR = 1;
inline constexpr const char *DEFAULT_SUBJECT = "default";

enum class Mode { sim, kernel, vm }; // vm: a kernel under QEMU (the kernel backend in a guest)
const char *mode_name(Mode m); // "sim" / "kernel" / "vm"

// Where a run's figure comes from.
enum class MetricSource {
    report, // a member of the "metrics" object of scx-run's scxkit.run/1 document
    wall,   // the workload's wall time, in seconds
    regex,  // a number the workload prints, found by a regular expression
    native, // the time scxkit's native workload program reports (scxkit.messaging/1)
};
const char *source_name(MetricSource s); // "scx-run", "wall", "regex", "scx-messaging"

struct Metric {
    std::string name = "makespan_s";
    std::string unit = "s";
    stats::Direction direction = stats::Direction::lower_is_better;
    MetricSource source = MetricSource::report;
    std::string regex; // MetricSource::regex only
    bool is_default = false; // chosen by scx-bench, not by --metric
};

// Whether lower or higher is better for a metric name: the simulator's
// metrics by name, then by shape (durations and latencies lower; throughput,
// rates, fairness and utilisation higher). nullopt when it cannot tell.
std::optional<stats::Direction> infer_direction(std::string_view name);
// "s", "ns", "us", "ms" from the name's suffix, "/s" for rates, else "".
std::string infer_unit(std::string_view name);
const char *direction_name(stats::Direction d); // "lower" / "higher"
// The metric compared when --metric is not given, for a simulator workload
// (WORKLOAD[:k=v,...] or a file): makespan_s where the workload ends when
// its work is done (messaging, fork, files); wakeup_latency_p99_ns for
// latency and interactive, and throughput for cpu, which run for a fixed
// duration (their makespan is that duration, the same for every policy).
std::string default_sim_metric(std::string_view workload);

// A policy's parameters as given: NAME, VALUE text ("slice_ns", "2ms").
using ParamList = std::vector<std::pair<std::string, std::string>>;

struct Subject {
    std::string label;       // "fifo", "fifo:slice_ns=2ms", "default"
    std::string path;        // policy shared object; "" for the kernel's own scheduler
    bool is_default = false;
    std::string stands_for;  // what actually runs, in plain words
    // The policy's parameters for every run: --param's, then the subject's
    // own (FILE.so:NAME=VALUE,...), which are in its label.
    ParamList params;
    ParamList own_params;    // the subject's own, for the label and duplicates
};

struct Sample {
    int run = 0;              // 1-based, per subject, measured and warm-up runs numbered apart
    bool warmup = false;
    std::optional<std::uint64_t> seed; // simulator runs
    bool ok = false;
    double value = 0;         // the metric (meaningful when ok)
    int exit_code = 0;        // of the measured process; -1 when killed by a signal
    int signal = 0;
    double wall_s = 0, user_s = 0, system_s = 0;
    std::string failure;      // why the run failed, in plain words ("" when ok)
    json::Value detail;       // mode-specific record (scx-run's exit and metrics, sched_ext checks)
};

struct SubjectResult {
    Subject subject;
    std::vector<Sample> samples; // measured runs, in the order they ran
    std::vector<Sample> warmups;
    // Filled by analyse(): statistics of the successful measured runs.
    stats::Summary summary;
    std::vector<int> outlier_runs; // run numbers flagged by the modified Z-score
    double user_s = 0, system_s = 0; // mean CPU times of the measured runs

    std::vector<double> values() const; // successful measured values, in run order
    std::size_t failed() const;         // failed measured runs
};

struct ComparisonResult {
    std::string subject;        // label in this run
    std::string reference;      // label of the reference
    std::string reference_file; // "" for this run, else the --compare file
    // Paired by seed (simulator): the signed-rank test and paired bootstrap
    // over the seeds both subjects ran successfully; otherwise independent.
    bool paired = false;
    std::size_t unpaired = 0;   // paired: successful runs left out, their counterpart failed
    stats::Comparison cmp;
    // Why the ratio or its interval is undefined (null in JSON), in words;
    // "" when both exist.
    std::string ratio_undefined;
};

struct BetterThan {
    std::string reference;      // label of a subject of this run ("" with a file)
    std::string reference_file; // a --compare file: every subject against its counterpart there
    bool satisfied = false;
};

struct Config {
    Mode mode = Mode::sim;
    std::string workload;               // simulator: WORKLOAD[:k=v,...] or a file; kernel: a native workload or ""
    std::vector<std::string> command;   // kernel: the command run (for a native workload, its program)
    int cpus = 0;                       // simulator CPUs (0: scx-run's default)
    std::uint64_t seed = 1;             // simulator: seed of run 1
    int runs = 10;
    int warmup = 0;
    Metric metric;
    double alpha = 0.05;
    stats::BootstrapOptions bootstrap;
    bool keep_going = false;            // continue after a failed run
    long long timeout_ns = 0;           // per run; 0 none
    std::string scx_run;                // the scx-run used
    std::vector<std::string> run_args;  // extra scx-run arguments (--run-arg), before the policy
    ParamList params;                   // --param: for every policy subject
};

struct Report {
    Config config;
    std::vector<SubjectResult> results;
    std::string baseline;            // label every other subject is compared with
    std::vector<ComparisonResult> comparisons;
    std::string compare_file;        // --compare / --better-than FILE
    std::optional<BetterThan> better_than;
    bool complete = false;           // every planned run ran and succeeded
    std::string failure;             // the first failed run, in words
    std::vector<std::string> notes;  // caveats worth printing (few runs, ...)

    const SubjectResult *find(std::string_view label) const;
};

// The workload in words, for headings: the simulator's workload, the
// kernel's native workload, or the command line run.
std::string workload_text(const Config &cfg);

// Seeds in the simulator: measured run i of every subject uses seed + i - 1
// (so subjects meet the same scenarios); warm-up w uses seed + runs + w - 1.
std::uint64_t seed_for(const Config &cfg, int run, bool warmup);

// One run of one subject.
struct Slot {
    std::size_t subject = 0; // index of the subject in Report::results
    int run = 0;
    bool warmup = false;
    std::optional<std::uint64_t> seed;
};

class Runner {
public:
    virtual ~Runner() = default;
    // A failed run (the workload failed, the scheduler was ejected) is a
    // Sample with ok == false; an Error means the benchmark cannot go on
    // (missing program, no permission, interrupted, ...).
    virtual Result<Sample> run(const Subject &subject, const Slot &slot) = 0;
};

struct Progress {
    std::size_t done = 0, total = 0; // runs finished / planned, warm-ups included
    const Subject *subject = nullptr; // the run about to start
    Slot slot;
    double elapsed_s = 0;
    double eta_s = -1;               // -1 until a run has finished
};
using ProgressFn = std::function<void(const Progress &)>;

// Run warm-ups, then config.runs interleaved rounds over rep.results'
// subjects, storing every sample. Stops at the first failed run unless
// keep_going (rep.complete false, rep.failure says why). An Error from the
// runner, or *cancel becoming non-zero (Exit::interrupted), aborts.
Result<void> run_plan(Report &rep, Runner &runner, const ProgressFn &progress = {},
                      const volatile std::sig_atomic_t *cancel = nullptr);

// The command line's choices that decide what a benchmark measures.
struct MethodChoice {
    std::optional<std::string> sim;    // --sim WORKLOAD
    bool vm = false;                   // --vm
    std::string workload;              // --workload (kernel's native workload)
    std::vector<std::string> command;  // the command after --
    std::optional<std::string> metric; // --metric NAME
    std::string regex;                 // --metric-regex RE
    bool lower = false, higher = false; // --lower-is-better, --higher-is-better
    bool cpus = false, seed = false;   // --cpus, --seed given
    bool warmup_set = false;           // --warmup given
    std::string messaging_program;     // the scx-messaging run for --workload (empty: the guest's in a
                                       // VM, else the one found beside the tools)
};
// Fill cfg's mode, workload, command, metric (name, unit, direction, source,
// regex, is_default) and, on the kernel, the default warm-up (1) from the
// choices. Exit::usage, saying why, for choices that contradict each other,
// are incomplete, or leave the metric's direction unknown.
Result<void> resolve_method(const MethodChoice &choice, Config &cfg);

// What standard output carries: the table, the scxkit.bench/1 document
// (--json or -o -, or both: printed once) or the SVG (--plot -) - one of them.
enum class StdoutContent { table, json, svg };
struct OutputPlan {
    StdoutContent to_stdout = StdoutContent::table;
    std::string json_file; // -o FILE ("" none)
    std::string plot_file; // --plot FILE ("" none)
};
// Exit::usage when the document (--json, -o -) and the SVG (--plot -) both
// claim standard output, or -o and --plot name the same file.
Result<OutputPlan> plan_outputs(bool json, const std::string &output, const std::string &plot);

// The subjects of the command line (each "default", a policy path, or
// FILE.so:NAME=VALUE[,NAME=VALUE...] - a path that exists as given is
// always a path - with cfg.params given to every policy subject), the
// --better-than reference (a subject, or a result file that becomes the
// --compare file: *compare is set, Exit::usage when it names another one)
// and the baseline. Exit::usage and Exit::no_input as add_subject() says;
// Exit::usage for --param with no policy subject.
Result<void> set_subjects(Report &rep, const std::vector<std::string> &subjects, const std::string &better_than,
                          std::string *compare);
// An earlier result to compare with (--compare): read, checked against this
// benchmark's configuration; warnings for differences that make the
// comparison doubtful.
struct Earlier {
    Report report;
    std::vector<std::string> warnings;
};
Result<Earlier> read_earlier(const Config &now, const std::string &file);
// Every output file of the plan can be written (checked before the runs).
Result<void> check_outputs(const OutputPlan &plan);
// What the benchmark writes: the files of the plan, and standard output's
// text (the table, the document or the SVG).
struct Rendered {
    std::string document, svg, stdout_text;
};
Rendered render(const Report &rep, const OutputPlan &plan);
// The verdict as an exit status: 1 with a message when a run failed or
// --better-than is not satisfied, else 0 and "".
std::pair<int, std::string> verdict(const Report &rep);
// A progress line for a terminal: "run 3/20: fifo, run 2 of 10, ETA 1m05s".
std::string progress_line(const Progress &p, const Config &cfg);

// Refuse to compare with an earlier result measured differently (another
// mode or metric): Exit::data. Differences that make a comparison doubtful
// but not meaningless (workload, CPUs) are returned as warnings.
Result<std::vector<std::string>> check_comparable(const Config &now, const Report &old, const std::string &old_file);

// Summaries, outliers, comparisons: every subject against rep.baseline, and,
// with `old`, every subject against its counterpart there (same label; one
// unmatched subject on each side are paired). Then the --better-than verdict.
void analyse(Report &rep, const Report *old = nullptr);

// scxkit.bench/1, a superset of hyperfine's --export-json.
json::Value to_json(const Report &rep);
// Read an scxkit.bench/1 document back (for --compare): configuration,
// subjects and samples; statistics are recomputed by analyse().
Result<Report> from_json(const json_t *doc, const std::string &source);

// Human-readable table (with the plain-words header, notes and comparisons).
std::string format_table(const Report &rep);
// A standalone SVG: one horizontal box plot per subject with the median's
// confidence interval, every sample as a dot, outliers marked.
std::string render_svg(const Report &rep);

// "1.23 s", "456 ms", "12.3 µs", "7.1e+04" - a value in the metric's unit
// with `digits` significant digits.
std::string format_value(double v, const std::string &unit, int digits = 4);
// Significant digits that keep differences of size `spread` visible in
// values around `value` (two digits of the spread; at least 4, at most 10):
// a 23.17 s makespan that varies by a millisecond prints as 23.1719 s.
int digits_for(double value, double spread);

} // namespace scx::bench

#endif // SCX_BENCH_HPP
