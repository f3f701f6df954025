// SPDX-License-Identifier: MIT
// Successive halving over the sampled candidates, every run through
// scx-bench's runner; then the best against the defaults, as scx-bench
// compares two subjects.
#include "tune/tune.hpp"

#include "base/stats.hpp"
#include "base/strformat.hpp"
#include "bench/runners.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace scx::tune {

namespace {

std::vector<std::size_t> rung_sizes(std::size_t n0, int eta)
{
    std::vector<std::size_t> sizes;
    for (std::size_t n = n0; n >= 2; n = (n + static_cast<std::size_t>(eta) - 1) / static_cast<std::size_t>(eta))
        sizes.push_back(n);
    return sizes;
}

// a before b in the ranking: the better median first; a candidate without a
// median last; ties to the lower id (the defaults win a tie).
bool ranks_before(const Candidate &a, const Candidate &b, stats::Direction dir)
{
    const double ma = a.median(), mb = b.median();
    if (std::isnan(ma) != std::isnan(mb))
        return std::isnan(mb);
    if (!std::isnan(ma) && ma != mb)
        return dir == stats::Direction::lower_is_better ? ma < mb : ma > mb;
    return a.id < b.id;
}

} // namespace

int Plan::total() const
{
    int t = 0;
    for (const Rung &r : rungs)
        t += r.budget;
    return t;
}

Result<Plan> plan_halving(int budget, std::size_t max_candidates, int eta)
{
    if (eta < 2)
        return Error(Exit::usage, "successive halving needs eta >= 2");
    if (budget < 2 || max_candidates < 2)
        return Error(Exit::usage, "a search needs a budget of at least 2 runs and 2 candidates (the defaults and "
                                  "one other)");
    std::size_t n0 = std::min(max_candidates, static_cast<std::size_t>(budget));
    for (; n0 > 2; n0--)
        if (static_cast<std::size_t>(budget) / rung_sizes(n0, eta).size() >= n0)
            break;
    Plan plan;
    plan.eta = eta;
    const auto sizes = rung_sizes(n0, eta);
    int remaining = budget, runs = 0;
    for (std::size_t k = 0; k < sizes.size(); k++) {
        const int n = static_cast<int>(sizes[k]);
        const bool last = k + 1 == sizes.size();
        const int share = last ? remaining : remaining / static_cast<int>(sizes.size() - k);
        Rung r;
        r.candidates = sizes[k];
        r.runs = runs + share / n;
        r.budget = last ? remaining : share / n * n;
        runs = r.runs;
        remaining -= r.budget;
        plan.rungs.push_back(r);
    }
    return plan;
}

double Candidate::median() const { return values.empty() ? std::numeric_limits<double>::quiet_NaN() : stats::median(values); }

bench::Subject subject(const Search &s, const Candidate &c)
{
    bench::Subject sub = bench::policy_subject(s.policy);
    // Every value in the runs; the label names those that differ from the
    // defaults, as scx-bench labels FILE.so:NAME=VALUE,...
    sub.params = settings(s.space, c.point);
    std::string changed;
    for (std::size_t i = 0; i < s.space.dims.size(); i++) {
        const Param &p = s.space.dims[i].param;
        if (c.point[i] != p.def) {
            sub.own_params.push_back(sub.params[i]);
            changed += (changed.empty() ? "" : ",") + p.name + "=" + value_text(p, c.point[i]);
        }
    }
    if (!changed.empty())
        sub.label += ":" + changed;
    return sub;
}

Result<void> prepare(Search &s, const std::string &policy)
{
    s.policy = policy;
    auto plan = plan_halving(s.options.budget, s.options.max_candidates, s.options.eta);
    if (!plan)
        return std::move(plan).error();
    auto points = sample(s.space, plan->rungs.front().candidates, s.options.seed);
    if (points.size() < 2)
        return Error(Exit::data, "the space has a single point: there is nothing to tune");
    if (points.size() < plan->rungs.front().candidates) {
        s.notes.push_back("the space has only " + std::to_string(points.size()) + " distinct points");
        plan = plan_halving(s.options.budget, points.size(), s.options.eta);
        if (!plan)
            return std::move(plan).error();
    }
    s.plan = *plan;
    s.candidates.clear();
    for (std::size_t i = 0; i < s.plan.rungs.front().candidates; i++) {
        Candidate c;
        c.id = i;
        c.point = points[i];
        s.candidates.push_back(std::move(c));
    }
    for (Candidate &c : s.candidates)
        c.label = subject(s, c).label;
    return {};
}

std::vector<std::size_t> ranking(const Search &s, stats::Direction dir)
{
    int top = -1;
    for (const Candidate &c : s.candidates)
        if (!c.values.empty() || c.failed)
            top = std::max(top, c.rung);
    std::vector<std::size_t> ids;
    for (const Candidate &c : s.candidates)
        if (c.rung == top && !c.failed && !c.values.empty())
            ids.push_back(c.id);
    std::stable_sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t b) {
        return ranks_before(s.candidates[a], s.candidates[b], dir);
    });
    return ids;
}

Result<void> run_search(Search &s, const bench::Config &cfg, bench::Runner &runner, const ProgressFn &progress,
                        const volatile std::sig_atomic_t *cancel)
{
    const auto start = std::chrono::steady_clock::now();
    const stats::Direction dir = cfg.metric.direction;
    s.trials.clear();
    s.complete = false;
    s.best.reset();
    Progress p;
    p.total = s.plan.total();
    p.rungs = static_cast<int>(s.plan.rungs.size());

    std::vector<std::size_t> active;
    for (const Candidate &c : s.candidates)
        active.push_back(c.id);

    auto one = [&](std::size_t id, int run, int rung) -> Result<void> {
        if (cancel && *cancel)
            return Error(Exit::interrupted, "interrupted");
        Candidate &c = s.candidates[id];
        bench::Slot slot;
        slot.subject = id;
        slot.run = run;
        if (cfg.mode == bench::Mode::sim)
            slot.seed = bench::seed_for(cfg, run, false);
        p.candidate = &c;
        p.rung = rung;
        p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (progress)
            progress(p);
        auto sample = runner.run(subject(s, c), slot);
        if (!sample)
            return std::move(sample).error();
        sample->run = run;
        sample->seed = slot.seed;
        Trial t;
        t.index = static_cast<int>(s.trials.size()) + 1;
        t.candidate = id;
        t.rung = rung;
        t.sample = std::move(*sample);
        c.rung = rung;
        if (t.sample.ok)
            c.values.push_back(t.sample.value);
        else
            c.failed = true;
        s.trials.push_back(std::move(t));
        p.done++;
        return {};
    };
    auto finish = [&](Result<void> r) -> Result<void> {
        const auto order = ranking(s, dir);
        if (!order.empty())
            s.best = order.front();
        s.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    };

    int done_runs = 0;
    for (std::size_t k = 0; k < s.plan.rungs.size(); k++) {
        const Rung &rung = s.plan.rungs[k];
        const int rk = static_cast<int>(k);
        // Rounds: every active candidate once per round, as scx-bench
        // interleaves its subjects.
        for (int run = done_runs + 1; run <= rung.runs; run++)
            for (std::size_t id : active)
                if (!s.candidates[id].failed)
                    if (auto r = one(id, run, rk); !r)
                        return finish(std::move(r));
        // What does not divide evenly: one more run for the best so far.
        const int extra = rung.budget - static_cast<int>(active.size()) * (rung.runs - done_runs);
        if (extra > 0) {
            std::vector<std::size_t> order = active;
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return ranks_before(s.candidates[a], s.candidates[b], dir);
            });
            for (int e = 0; e < extra && e < static_cast<int>(order.size()); e++)
                if (!s.candidates[order[e]].failed)
                    if (auto r = one(order[e], rung.runs + 1, rk); !r)
                        return finish(std::move(r));
        }
        done_runs = rung.runs;
        // The next rung's candidates: the best of this one.
        std::vector<std::size_t> ranked;
        for (std::size_t id : active)
            if (!s.candidates[id].failed)
                ranked.push_back(id);
        std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
            return ranks_before(s.candidates[a], s.candidates[b], dir);
        });
        if (!ranked.empty())
            p.best = s.candidates[ranked.front()].median();
        if (k + 1 < s.plan.rungs.size()) {
            ranked.resize(std::min(ranked.size(), s.plan.rungs[k + 1].candidates));
            active = ranked;
            if (active.empty())
                break;
        }
    }
    s.complete = true;
    for (const Candidate &c : s.candidates)
        if (c.failed)
            s.notes.push_back(c.label + " failed a run and left the search");
    return finish({});
}

bench::Config comparison_config(const Search &s, const bench::Config &cfg, int runs)
{
    bench::Config c = cfg;
    c.runs = runs;
    int used = 0;
    for (const Trial &t : s.trials)
        used = std::max(used, t.sample.run);
    c.seed = cfg.seed + static_cast<std::uint64_t>(used);
    return c;
}

Result<void> compare_best(Search &s, const bench::Config &cfg, int runs, bench::Runner &runner,
                          const bench::ProgressFn &progress, const volatile std::sig_atomic_t *cancel)
{
    s.comparison = bench::Report{};
    if (!s.best || *s.best == 0)
        return {};
    const auto start = std::chrono::steady_clock::now();
    bench::Report &rep = s.comparison;
    rep.config = comparison_config(s, cfg, runs);
    for (std::size_t id : {std::size_t{0}, *s.best}) {
        bench::SubjectResult r;
        r.subject = subject(s, s.candidates[id]);
        rep.results.push_back(std::move(r));
    }
    rep.baseline = rep.results.front().subject.label;
    rep.better_than = bench::BetterThan{rep.baseline, "", false};
    auto ran = bench::run_plan(rep, runner, progress, cancel);
    s.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!ran)
        return ran;
    bench::analyse(rep);
    return {};
}

std::pair<int, std::string> verdict(const Search &s)
{
    if (!s.best)
        return {1, "every candidate failed: no parameters to recommend"};
    if (*s.best == 0)
        return {1, "the defaults did best in the search: nothing to change"};
    const bench::Report &rep = s.comparison;
    if (!rep.complete)
        return {1, "the comparison with the defaults failed: " + rep.failure};
    for (const bench::ComparisonResult &c : rep.comparisons)
        if (c.reference_file.empty() && c.subject == s.candidates[*s.best].label) {
            if (c.cmp.verdict == stats::Verdict::better)
                return {0, ""};
            return {1, strformat("the tuned parameters are not significantly better than the defaults "
                                 "(x%.3f, p = %.3g, %s)",
                                 c.cmp.ratio.value, c.cmp.p_value, stats::verdict_name(c.cmp.verdict))};
        }
    return {1, "the comparison with the defaults did not run"};
}

std::string best_text(const Search &s)
{
    if (!s.best)
        return "";
    std::string out;
    for (const auto &[name, value] : settings(s.space, s.candidates[*s.best].point))
        out += name + "=" + value + "\n";
    return out;
}

std::string progress_line(const Progress &p, const bench::Config &cfg)
{
    std::string best;
    if (p.best)
        best = ", best " + bench::format_value(*p.best, cfg.metric.unit);
    return strformat("trial %d/%d, rung %d/%d: %s%s", p.done + 1, p.total, p.rung + 1, p.rungs,
                     p.candidate ? p.candidate->label.c_str() : "", best.c_str());
}

} // namespace scx::tune
