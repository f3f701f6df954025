// SPDX-License-Identifier: MIT
//
// tune/tune.hpp - scx-tune: a search of a policy's declared parameters for
// the values that do best on a workload and metric, within a budget of runs.
//
// The space (space.cpp) is the policy's parameters, less the ones fixed by
// the user; a quasi-random sample of it (a Halton sequence, shifted by the
// seed; log-scaled where a range spans two decades or more) gives the
// candidates, the defaults always first. The search (search.cpp) is
// successive halving: every candidate is measured a few times, the better
// part (1/eta) is kept and measured again with fresh seeds, and so on until
// few are left; candidates are ranked by the median of all their runs, so a
// lucky run does not decide. Run i of every candidate uses the same seed in
// the simulator (paired, as scx-bench does). Every run goes through a
// bench::Runner, the one scx-bench uses, so a trial is exactly an scx-bench
// run of the policy with those parameters. The best candidate is then
// compared with the defaults by an ordinary scx-bench benchmark on seeds the
// search never saw (document.cpp keeps both in scxkit.tune/1; plot.cpp draws
// the metric over the trials).

#ifndef SCX_TUNE_HPP
#define SCX_TUNE_HPP

#include <csignal>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <scx/result.hpp>
#include <scx/run.hpp>

#include "base/json.hpp"
#include "bench/bench.hpp"

namespace scx::tune {

inline constexpr const char *SCHEMA = "scxkit.tune";
inline constexpr int SCHEMA_MAJOR = 1;

// A declared parameter of a policy (<scx/run.hpp>, policy/params.hpp).
using Param = ParamSpec;

enum class Scale { linear, log };
const char *scale_name(Scale s); // "linear" / "log"

// One dimension of the search: a parameter, searched over [min, max] or
// fixed at a value.
struct Dimension {
    Param param;
    Scale scale = Scale::linear;
    double low = 0; // the lowest value sampled: min, or for a log scale from 0, max / 10^4
    std::optional<double> fixed; // --fix, or left out by --only: its value
    bool fixed_by_user = false;  // --fix (not --only)
};

struct Space {
    std::vector<Dimension> dims;
    std::size_t free() const; // dimensions searched
};

// The space of `params`: every parameter searched, unless `only` names the
// ones to search (the others stay at their defaults) and `fix` gives
// NAME=VALUE settings. A log scale where 0 < min and max >= 100 * min, and
// for an integer from 0 to 10^4 or more (nanoseconds from 0, say), from
// max / 10^4 (0 is then only tried as the default).
// Exit::data for a policy without parameters, an unknown name, a value that
// is not of the parameter's type or out of its range, a parameter named
// twice, or nothing left to search.
Result<Space> make_space(const std::vector<Param> &params, const std::vector<std::string> &only,
                         const std::vector<std::string> &fix);

// A value as the policy's NAME=VALUE syntax writes it (param_value_text():
// an integer for int, "true"/"false" for bool, text that reads back the
// same for real).
std::string value_text(const Param &p, double v);
// Read a value as scx-run --param does (param_value(): a duration such as
// 2ms for a parameter in ns); Exit::data saying why it is not one or is out
// of range.
Result<double> parse_value(const Param &p, const std::string &text);

// A point of the space: one value per dimension, in the space's order.
using Point = std::vector<double>;

// "NAME=VALUE" for every dimension (fixed ones included).
std::vector<std::pair<std::string, std::string>> settings(const Space &space, const Point &x);
// The defaults, with the fixed values in place.
Point default_point(const Space &space);
// Up to n distinct points: the defaults first, then the scrambled Halton
// sequence over the free dimensions (integers rounded, booleans split at
// one half); fewer when the space has fewer distinct points. The same seed
// gives the same points.
std::vector<Point> sample(const Space &space, std::size_t n, std::uint64_t seed);

// Successive halving's plan for a budget of runs: rung k measures n[k]
// candidates up to runs[k] runs each (cumulative), n[k+1] = ceil(n[k] / eta),
// the last rung has at least 2 candidates; the budget is split evenly
// between the rungs, and what a rung cannot spend goes to the next, the last
// spending all that is left (the best candidates get one more run when it
// does not divide). The largest first rung that gives every candidate at
// least one run, at most max_candidates.
struct Rung {
    std::size_t candidates = 0;
    int runs = 0;        // cumulative runs per candidate at the end of the rung
    int budget = 0;      // runs this rung spends
};
struct Plan {
    std::vector<Rung> rungs;
    int eta = 3;
    int total() const;   // runs of the whole plan (== the budget)
};
// Exit::usage when the budget is below 2 or eta below 2.
Result<Plan> plan_halving(int budget, std::size_t max_candidates, int eta = 3);

// One run of one candidate.
struct Trial {
    int index = 0;       // 1-based, in the order run
    std::size_t candidate = 0;
    int rung = 0;        // 0-based
    bench::Sample sample;
};

struct Candidate {
    std::size_t id = 0;  // 0: the defaults
    Point point;
    int rung = 0;        // the last rung it was measured in
    bool failed = false; // a run failed: out of the search
    std::vector<double> values; // successful runs, in order
    double median() const;      // NaN without values
    std::string label;   // BASENAME:NAME=VALUE,... (scx-bench's subject label)
};

struct Options {
    int budget = 60;
    std::size_t max_candidates = 81;
    int eta = 3;
    std::uint64_t seed = 1; // of the sample; the simulator's runs use bench config's seed
};

struct Search {
    Options options;
    std::string policy;   // the policy's shared object
    Space space;
    Plan plan;
    std::vector<Candidate> candidates;
    std::vector<Trial> trials;
    std::optional<std::size_t> best; // after the search: the candidate it picked
    bool complete = false;           // every planned run ran
    double wall_s = 0;               // of the search and the comparison
    // The comparison of the best with the defaults (scx-bench's report);
    // empty results when it did not run.
    bench::Report comparison;
    std::vector<std::string> notes;
};

// A subject for the runner: the policy with the candidate's parameters,
// labelled as scx-bench labels such a subject.
bench::Subject subject(const Search &s, const Candidate &c);

struct Progress {
    int done = 0, total = 0;  // runs
    int rung = 0, rungs = 0;
    const Candidate *candidate = nullptr;
    double elapsed_s = 0;
    std::optional<double> best; // best median so far (of the previous rungs)
};
using ProgressFn = std::function<void(const Progress &)>;

// Prepare s (plan and candidates) from s.space and s.options.
Result<void> prepare(Search &s, const std::string &policy);

// Run the plan: every trial through `runner` with the bench config's seed
// scheme (run i of every candidate on the same seed in the simulator), the
// ranking after each rung. A failed run takes its candidate out of the
// search (and is kept as a trial); an Error from the runner stops the search
// (Exit::interrupted when *cancel was set), leaving what ran in s with
// complete false.
Result<void> run_search(Search &s, const bench::Config &cfg, bench::Runner &runner, const ProgressFn &progress = {},
                        const volatile std::sig_atomic_t *cancel = nullptr);

// The candidates of the last rung reached, best first (failed ones left out).
std::vector<std::size_t> ranking(const Search &s, stats::Direction dir);

// The final comparison's configuration: cfg with runs and alpha, and its
// seeds after every seed the search used (the best was chosen on those; it
// is compared on others).
bench::Config comparison_config(const Search &s, const bench::Config &cfg, int runs);

// The best candidate against the defaults: an scx-bench benchmark (the
// same runner, comparison_config()) of the two, analysed, in s.comparison.
// Nothing runs when the best is the defaults. Errors as bench::run_plan().
Result<void> compare_best(Search &s, const bench::Config &cfg, int runs, bench::Runner &runner,
                          const bench::ProgressFn &progress = {}, const volatile std::sig_atomic_t *cancel = nullptr);

// The exit status and message of a finished tune: 0 when the best is
// significantly better than the defaults, else 1 saying why.
std::pair<int, std::string> verdict(const Search &s);

// scxkit.tune/1 (scx-json(5)).
json::Value to_json(const Search &s, const bench::Config &cfg);
// The best parameters, one NAME=VALUE a line.
std::string best_text(const Search &s);
// An SVG of the metric over the trials.
std::string render_svg(const Search &s, const bench::Config &cfg);
// "trial 12/60, rung 2/3: vruntime:slice_ns=3000000, best 1.2 ms"
std::string progress_line(const Progress &p, const bench::Config &cfg);

} // namespace scx::tune

#endif // SCX_TUNE_HPP
