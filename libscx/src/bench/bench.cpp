// SPDX-License-Identifier: MIT
// The benchmark plan (warm-ups, interleaved rounds) and the analysis
// (summaries, outliers, comparisons, the --better-than verdict).
#include "bench/bench.hpp"

#include "base/strformat.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace scx::bench {

std::string format_value(double v, const std::string &unit, int digits)
{
    if (!std::isfinite(v))
        return "-";
    double scale = 0;
    if (unit == "s") scale = 1;
    else if (unit == "ms") scale = 1e-3;
    else if (unit == "us") scale = 1e-6;
    else if (unit == "ns") scale = 1e-9;
    // Trailing zeros are kept ("24.330 ms") so that a column's figures line
    // up digit for digit, but not a bare trailing point ("1270", not
    // "1270."); counts too large for the digits print whole.
    const auto g = [digits](double x) {
        std::string num = strformat("%#.*g", digits, x);
        if (num.ends_with('.'))
            num.pop_back();
        return num;
    };
    if (scale == 0) {
        const std::string num = std::fabs(v) >= std::pow(10.0, digits) ? strformat("%.0f", v) : g(v);
        return num + (unit.empty() ? "" : " " + unit);
    }
    const double s = v * scale, a = std::fabs(s);
    if (a >= 1 || a == 0)
        return (a >= std::pow(10.0, digits) ? strformat("%.0f", s) : g(s)) + " s";
    if (a >= 1e-3)
        return g(s * 1e3) + " ms";
    if (a >= 1e-6)
        return g(s * 1e6) + " µs";
    return g(s * 1e9) + " ns";
}

int digits_for(double value, double spread)
{
    if (!std::isfinite(value) || !std::isfinite(spread) || spread <= 0 || value == 0)
        return 4;
    const int d = static_cast<int>(std::ceil(std::log10(std::fabs(value) / spread))) + 2;
    return std::clamp(d, 4, 10);
}

std::vector<double> SubjectResult::values() const
{
    std::vector<double> v;
    for (const auto &s : samples)
        if (s.ok)
            v.push_back(s.value);
    return v;
}

std::size_t SubjectResult::failed() const
{
    std::size_t n = 0;
    for (const auto &s : samples)
        n += s.ok ? 0 : 1;
    return n;
}

const SubjectResult *Report::find(std::string_view label) const
{
    for (const auto &r : results)
        if (r.subject.label == label)
            return &r;
    return nullptr;
}

std::uint64_t seed_for(const Config &cfg, int run, bool warmup)
{
    const auto r = static_cast<std::uint64_t>(run);
    return warmup ? cfg.seed + static_cast<std::uint64_t>(cfg.runs) + r - 1 : cfg.seed + r - 1;
}

Result<void> run_plan(Report &rep, Runner &runner, const ProgressFn &progress, const volatile std::sig_atomic_t *cancel)
{
    const Config &cfg = rep.config;
    const auto start = std::chrono::steady_clock::now();
    Progress p;
    p.total = static_cast<std::size_t>(cfg.warmup + cfg.runs) * rep.results.size();
    rep.complete = false;

    // One run; false when the benchmark should stop (a failed run).
    auto one = [&](std::size_t index, int run, bool warmup) -> Result<bool> {
        if (cancel && *cancel)
            return Error(Exit::interrupted, "interrupted");
        SubjectResult &r = rep.results[index];
        Slot slot;
        slot.subject = index;
        slot.run = run;
        slot.warmup = warmup;
        if (cfg.mode == Mode::sim)
            slot.seed = seed_for(cfg, run, warmup);
        p.subject = &r.subject;
        p.slot = slot;
        p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        p.eta_s = p.done ? p.elapsed_s / static_cast<double>(p.done) * static_cast<double>(p.total - p.done) : -1;
        if (progress)
            progress(p);
        auto s = runner.run(r.subject, slot);
        if (!s)
            return std::move(s).error();
        s->run = run;
        s->warmup = warmup;
        s->seed = slot.seed;
        const bool ok = s->ok;
        if (!ok && rep.failure.empty())
            rep.failure = r.subject.label + (warmup ? ", warm-up run " : ", run ") + std::to_string(run) + ": " +
                          s->failure;
        (warmup ? r.warmups : r.samples).push_back(std::move(*s));
        p.done++;
        return ok || cfg.keep_going;
    };

    // Warm-up rounds, then measured rounds; each round runs every subject once.
    for (const bool warmup : {true, false})
        for (int i = 1; i <= (warmup ? cfg.warmup : cfg.runs); i++)
            for (std::size_t k = 0; k < rep.results.size(); k++) {
                auto go = one(k, i, warmup);
                if (!go)
                    return std::move(go).error();
                if (!*go)
                    return {};
            }
    rep.complete = rep.failure.empty();
    return {};
}

Result<std::vector<std::string>> check_comparable(const Config &now, const Report &old, const std::string &old_file)
{
    const Config &then = old.config;
    if (then.mode != now.mode)
        return Error(Exit::data, "cannot compare with " + old_file + ": it was measured in " + mode_name(then.mode) +
                                     " mode, this benchmark runs in " + mode_name(now.mode) + " mode");
    if (then.metric.name != now.metric.name || then.metric.direction != now.metric.direction)
        return Error(Exit::data, "cannot compare with " + old_file + ": it measured " + then.metric.name + " (" +
                                     direction_name(then.metric.direction) + " is better), this benchmark measures " +
                                     now.metric.name + " (" + direction_name(now.metric.direction) + " is better)");
    std::vector<std::string> warnings;
    const bool same_workload = !now.workload.empty() || !then.workload.empty() ? then.workload == now.workload
                                                                                : then.command == now.command;
    if (!same_workload)
        warnings.push_back(old_file + " was measured on another workload; the comparison may mean little");
    if (then.run_args != now.run_args)
        warnings.push_back(old_file + " was measured with other scx-run arguments (--run-arg)");
    if (then.mode == Mode::sim && now.cpus > 0 && then.cpus > 0 && then.cpus != now.cpus)
        warnings.push_back(old_file + " was simulated with another number of CPUs");
    return warnings;
}

namespace {

void summarise(SubjectResult &r, const stats::BootstrapOptions &boot)
{
    const auto vals = r.values();
    r.summary = stats::summarize(vals, boot);
    r.outlier_runs.clear();
    // CPU times of the same runs as the other figures: the successful ones.
    std::vector<int> ok_runs;
    double user = 0, sys = 0;
    for (const auto &s : r.samples)
        if (s.ok) {
            ok_runs.push_back(s.run);
            user += s.user_s;
            sys += s.system_s;
        }
    for (auto i : stats::outliers(vals))
        r.outlier_runs.push_back(ok_runs[i]);
    const double n = static_cast<double>(ok_runs.size());
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    r.user_s = ok_runs.empty() ? none : user / n;
    r.system_s = ok_runs.empty() ? none : sys / n;
}

// Seeds of a subject's measured runs, or nullopt when some run has none.
std::optional<std::vector<std::uint64_t>> seeds_of(const SubjectResult &r)
{
    std::vector<std::uint64_t> seeds;
    for (const auto &s : r.samples) {
        if (!s.seed)
            return std::nullopt;
        seeds.push_back(*s.seed);
    }
    std::sort(seeds.begin(), seeds.end());
    return seeds;
}

// Simulator runs are paired when both subjects ran the same seeds (always
// within one benchmark): run i of each met the same scenario. The pairs
// are the seeds both ran successfully.
bool pair_by_seed(const Report &rep, const SubjectResult &s, const SubjectResult &ref, std::vector<double> &a,
                  std::vector<double> &b, std::size_t &unpaired)
{
    if (rep.config.mode != Mode::sim)
        return false;
    const auto sa = seeds_of(s), sb = seeds_of(ref);
    if (!sa || !sb || sa->empty() || *sa != *sb)
        return false;
    a.clear();
    b.clear();
    unpaired = 0;
    for (const auto &x : s.samples) {
        if (!x.ok)
            continue;
        const Sample *match = nullptr;
        for (const auto &y : ref.samples)
            if (y.seed == x.seed)
                match = &y;
        if (match && match->ok) {
            a.push_back(x.value);
            b.push_back(match->value);
        } else {
            unpaired++;
        }
    }
    for (const auto &y : ref.samples)
        if (y.ok)
            for (const auto &x : s.samples)
                unpaired += x.seed == y.seed && !x.ok ? 1 : 0;
    return true;
}

// Compare and record; notes when either side has no successful run, when
// the sample sizes cannot reach significance, when runs were left out of
// the pairs, and when the ratio or its interval is undefined.
void add_comparison(Report &rep, const SubjectResult &s, const SubjectResult &ref, const std::string &ref_file)
{
    const Config &cfg = rep.config;
    const std::string what = s.subject.label + " vs " + ref.subject.label + (ref_file.empty() ? "" : " (" + ref_file + ")");
    std::vector<double> a = s.values(), b = ref.values();
    if (a.empty() || b.empty()) {
        rep.notes.push_back(what + ": not compared, " + (a.empty() ? s.subject.label : ref.subject.label) +
                            " has no successful run");
        return;
    }
    ComparisonResult c;
    c.subject = s.subject.label;
    c.reference = ref.subject.label;
    c.reference_file = ref_file;
    c.paired = pair_by_seed(rep, s, ref, a, b, c.unpaired);
    if (cfg.mode == Mode::sim && !c.paired)
        rep.notes.push_back(what + ": the two ran different seeds, so their runs are not paired; compared as "
                                   "independent samples (Mann-Whitney U)");
    if (c.paired && a.empty()) {
        rep.notes.push_back(what + ": not compared, no seed where both ran successfully");
        return;
    }
    if (c.unpaired)
        rep.notes.push_back(what + ": " + std::to_string(c.unpaired) + " successful run" +
                            (c.unpaired == 1 ? "" : "s") + " left out of the paired comparison (" +
                            (c.unpaired == 1 ? "its" : "their") + " counterpart with the same seed failed)");
    c.cmp = c.paired ? stats::compare_paired(a, b, cfg.metric.direction, cfg.alpha, cfg.bootstrap)
                     : stats::compare(a, b, cfg.metric.direction, cfg.alpha, cfg.bootstrap);
    const double floor_p = c.paired ? stats::min_p_value_paired(a.size()) : stats::min_p_value(a.size(), b.size());
    if (floor_p >= cfg.alpha)
        rep.notes.push_back(what + ": with " +
                            (c.paired ? std::to_string(a.size()) + " pairs of runs"
                                      : std::to_string(a.size()) + " and " + std::to_string(b.size()) + " runs") +
                            " no difference can be significant (the smallest possible p is " +
                            strformat("%.3g", floor_p) + "); use more --runs");
    const auto &q = c.cmp.ratio;
    const std::string level = strformat("%g%%", cfg.bootstrap.confidence * 100);
    const std::string zero = q.dropped == 0 ? ""
                                            : std::to_string(q.dropped) + " of " + std::to_string(q.resamples) +
                                                  " bootstrap resamples had a median of 0 for " + ref.subject.label;
    if (!std::isfinite(q.value))
        c.ratio_undefined = "no ratio of medians: " + ref.subject.label + "'s median is 0";
    else if (!q.ci_defined())
        c.ratio_undefined = "the " + level + " CI of the ratio is undefined: " + zero + ", more than the " +
                            strformat("%g%%", (1 - cfg.bootstrap.confidence) / 2 * 100) +
                            " an end of the interval may leave out";
    if (!c.ratio_undefined.empty())
        rep.notes.push_back(what + ": " + c.ratio_undefined);
    else if (q.dropped)
        rep.notes.push_back(what + ": " + zero + "; they are left out of the " + level + " CI of the ratio");
    rep.comparisons.push_back(std::move(c));
}

// Every run of every subject gave one value: the metric does not vary
// here, and no comparison can say anything.
void note_constant_metric(Report &rep)
{
    std::optional<double> first;
    std::size_t n = 0;
    for (const auto &r : rep.results)
        for (double v : r.values()) {
            if (first && v != *first)
                return;
            first = v;
            n++;
        }
    if (n < 2)
        return;
    const Metric &m = rep.config.metric;
    rep.notes.push_back("every run of every subject gave the same " + m.name + " (" + format_value(*first, m.unit) +
                        "): it does not vary on this workload, so the comparison says nothing" +
                        (rep.config.mode == Mode::sim ? "; choose another with --metric" : ""));
}

// The CPU count in the first run report that has one (0: none).
int reported_cpus(const Report &rep)
{
    for (const auto &r : rep.results)
        for (const auto &s : r.samples)
            if (s.detail)
                if (const auto cpus = json::get_int(s.detail.get(), "cpus", 0))
                    return static_cast<int>(cpus);
    return 0;
}

} // namespace

void analyse(Report &rep, const Report *old)
{
    rep.notes.clear();
    rep.comparisons.clear();
    // The simulator's CPU count when scx-run chose it: say what ran.
    if (rep.config.mode == Mode::sim && rep.config.cpus == 0)
        rep.config.cpus = reported_cpus(rep);
    for (auto &r : rep.results)
        summarise(r, rep.config.bootstrap);
    note_constant_metric(rep);

    if (const SubjectResult *base = rep.find(rep.baseline); base && rep.results.size() > 1)
        for (const auto &r : rep.results)
            if (&r != base)
                add_comparison(rep, r, *base, "");

    if (old) {
        // Pair by label; then one leftover on each side with each other.
        std::vector<const SubjectResult *> left_now, left_old;
        for (const auto &r : rep.results)
            if (!old->find(r.subject.label))
                left_now.push_back(&r);
        for (const auto &r : old->results)
            if (!rep.find(r.subject.label))
                left_old.push_back(&r);
        for (const auto &r : rep.results)
            if (const SubjectResult *o = old->find(r.subject.label))
                add_comparison(rep, r, *o, rep.compare_file);
        if (left_now.size() == 1 && left_old.size() == 1)
            add_comparison(rep, *left_now[0], *left_old[0], rep.compare_file);
        else
            for (const auto *r : left_now)
                rep.notes.push_back(r->subject.label + " has no counterpart in " + rep.compare_file);
    }

    if (rep.better_than) {
        auto &bt = *rep.better_than;
        int matched = 0, better = 0;
        for (const auto &c : rep.comparisons)
            if (c.reference_file == bt.reference_file && (!bt.reference_file.empty() || c.reference == bt.reference)) {
                matched++;
                better += c.cmp.verdict == stats::Verdict::better ? 1 : 0;
            }
        bt.satisfied = rep.complete && matched > 0 && better == matched;
    }
}

} // namespace scx::bench
