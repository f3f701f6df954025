// SPDX-License-Identifier: MIT
// scx-tune's library: the space (parameters, --only, --fix, the sample), the
// successive-halving plan and search on synthetic noisy objectives (it finds
// the optimum, spends the budget exactly, is deterministic for a seed, drops
// failing candidates, stops when interrupted), the final comparison, the
// scxkit.tune/1 document and the SVG.
#include "tune/tune.hpp"

#include "base/stats.hpp"

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "test.hpp"

using namespace scx::tune;
namespace bench = scx::bench;

namespace {

// A synthetic policy: f(slice) = 1 ms * (1 + (log10(slice / 1e6))^2) with
// noise. The noise has a part shared by every candidate on a seed (as
// a simulated scenario is) and a part of each run of its own.
class NoisyRunner : public bench::Runner {
public:
    double optimum = 1e6;
    double shared_sd = 0.3, own_sd = 0.1;
    double fail_above = INFINITY; // runs fail for slices above this
    int cancel_after = -1;        // set *cancel after this many runs
    volatile std::sig_atomic_t *cancel = nullptr;
    int calls = 0;

    scx::Result<bench::Sample> run(const bench::Subject &s, const bench::Slot &slot) override
    {
        calls++;
        if (cancel && calls - 1 == cancel_after)
            *cancel = 1;
        double slice = NAN, boost = 0;
        for (const auto &[name, value] : s.params) {
            if (name == "slice_ns")
                slice = std::stod(value);
            if (name == "boost" && value == "true")
                boost = 0.5;
        }
        bench::Sample x;
        if (slice > fail_above) {
            x.failure = "stalled";
            return x;
        }
        const std::uint64_t seed = slot.seed.value_or(0);
        scx::stats::Rng shared(seed), own(seed * 7919 + static_cast<std::uint64_t>(slice) + calls);
        auto normal = [](scx::stats::Rng &r) {
            double u = 0;
            for (int i = 0; i < 12; i++)
                u += static_cast<double>(r.next() >> 11) * 0x1.0p-53;
            return u - 6;
        };
        const double d = std::log10(slice / optimum);
        x.value = 1e6 * (1 + d * d + boost) * (1 + shared_sd * std::fabs(normal(shared))) + 1e5 * own_sd * normal(own);
        x.ok = true;
        return x;
    }
};

std::vector<Param> slice_params()
{
    return {{"slice_ns", "int", 20000000, 100000, 100000000, "ns", "time slice"},
            {"boost", "bool", 0, 0, 1, "", "boost wakers"}};
}

bench::Config sim_config()
{
    bench::Config cfg;
    cfg.mode = bench::Mode::sim;
    cfg.workload = "interactive";
    cfg.metric.name = "wakeup_latency_p99_ns";
    cfg.metric.unit = "ns";
    cfg.seed = 1;
    cfg.bootstrap.resamples = 1000;
    return cfg;
}

// File-scope objects: cmocka's longjmp skips destructors.
Search g_a, g_b;
NoisyRunner g_runner;

void make_search(Search &s, int budget, std::uint64_t seed)
{
    s = Search{};
    auto space = make_space(slice_params(), {}, {});
    assert_true(space.ok());
    s.space = *space;
    s.options.budget = budget;
    s.options.seed = seed;
    assert_true(prepare(s, "/policies/vruntime.so").ok());
}

void make_space__declared__scales_and_defaults(void **)
{
    auto s = make_space(slice_params(), {}, {});
    assert_true(s.ok());
    assert_int_equal(s->dims.size(), 2);
    assert_int_equal(static_cast<int>(s->dims[0].scale), static_cast<int>(Scale::log));
    assert_int_equal(static_cast<int>(s->dims[1].scale), static_cast<int>(Scale::linear));
    assert_int_equal(s->free(), 2);
    const Point d = default_point(*s);
    assert_close(d[0], 20000000, 0);
    // An integer range from 0 over many decades: a log scale over the top four.
    auto z = make_space({{"lag_ns", "int", 20000000, 0, 1000000000, "ns", "credit"}}, {}, {});
    assert_true(z.ok());
    assert_int_equal(static_cast<int>(z->dims[0].scale), static_cast<int>(Scale::log));
    assert_close(z->dims[0].low, 100000, 0);
    for (const Point &p : sample(*z, 20, 1))
        assert_true(p[0] >= 100000 && p[0] <= 1000000000);
    auto set = settings(*s, d);
    assert_str_equal(set[0].first + "=" + set[0].second, "slice_ns=20000000");
    assert_str_equal(set[1].first + "=" + set[1].second, "boost=false");
}

void make_space__only_and_fix__restrict_the_space(void **)
{
    auto s = make_space(slice_params(), {"slice_ns"}, {});
    assert_true(s.ok());
    assert_int_equal(s->free(), 1);
    assert_true(s->dims[1].fixed.has_value());
    auto f = make_space(slice_params(), {}, {"boost=true"});
    auto ms = make_space(slice_params(), {}, {"slice_ns=2ms"});
    assert_true(ms.ok());
    assert_close(default_point(*ms)[0], 2000000, 0);
    assert_true(f.ok());
    assert_int_equal(f->free(), 1);
    assert_close(default_point(*f)[1], 1, 0);
    assert_true(f->dims[1].fixed_by_user);
}

void make_space__bad_input__data_errors(void **)
{
    auto expect = [](const scx::Result<Space> &r, const char *needle) {
        assert_false(r.ok());
        assert_int_equal(static_cast<int>(r.error().exit), static_cast<int>(scx::Exit::data));
        assert_non_null(std::strstr(r.error().message.c_str(), needle));
    };
    expect(make_space({}, {}, {}), "no parameters");
    expect(make_space(slice_params(), {}, {"nope=1"}), "no parameter 'nope'");
    // Values as scx-run --param reads them (policy/params.hpp words why).
    expect(make_space(slice_params(), {}, {"slice_ns=5"}), "--fix: ");
    expect(make_space(slice_params(), {}, {"slice_ns=1.5e6x"}), "--fix: ");
    expect(make_space(slice_params(), {}, {"boost=maybe"}), "--fix: ");
    expect(make_space(slice_params(), {}, {"slice_ns=1ms", "slice_ns=2ms"}), "fixed twice");
    expect(make_space(slice_params(), {}, {"slice_ns"}), "NAME=VALUE");
    expect(make_space(slice_params(), {"boost"}, {"boost=true"}), "nothing to tune");
    expect(make_space(slice_params(), {"x"}, {}), "no parameter 'x'");
}

void sample__space__distinct_in_range_defaults_first(void **)
{
    auto s = make_space(slice_params(), {}, {});
    const auto pts = sample(*s, 40, 3);
    assert_int_equal(pts.size(), 40);
    assert_true(pts[0] == default_point(*s));
    std::set<Point> seen(pts.begin(), pts.end());
    assert_int_equal(seen.size(), pts.size());
    int below_1ms = 0;
    for (const Point &p : pts) {
        assert_true(p[0] >= 100000 && p[0] <= 100000000);
        assert_close(p[0], std::round(p[0]), 0);
        assert_true(p[1] == 0 || p[1] == 1);
        below_1ms += p[0] < 1e6;
    }
    // Log scale: a decade of three gets about a third of the points.
    assert_true(below_1ms >= 8 && below_1ms <= 20);
    // A space of two points has two.
    auto b = make_space(slice_params(), {"boost"}, {});
    assert_int_equal(sample(*b, 10, 1).size(), 2);
    // Another seed, another sample.
    assert_false(sample(*s, 10, 3) == sample(*s, 10, 4));
}

void plan_halving__budgets__spend_exactly_and_shrink(void **)
{
    for (int budget = 2; budget <= 300; budget++) {
        auto p = plan_halving(budget, 81, 3);
        assert_true(p.ok());
        assert_int_equal(p->total(), budget);
        int runs = 0;
        std::size_t n = SIZE_MAX;
        for (const Rung &r : p->rungs) {
            assert_true(r.candidates >= 2 && r.candidates < n);
            assert_true(r.runs > runs);
            n = r.candidates;
            runs = r.runs;
        }
        assert_true(p->rungs.front().candidates <= 81);
    }
    auto p = plan_halving(60, 81, 3);
    assert_int_equal(p->rungs.front().candidates, 20);
    assert_false(plan_halving(1, 81, 3).ok());
    assert_false(plan_halving(10, 81, 1).ok());
}

void run_search__noisy_objective__finds_the_optimum_within_budget(void **)
{
    const bench::Config cfg = sim_config();
    make_search(g_a, 60, 1);
    g_runner = NoisyRunner{};
    assert_true(run_search(g_a, cfg, g_runner).ok());
    assert_true(g_a.complete);
    assert_int_equal(g_a.trials.size(), 60);
    assert_int_equal(g_runner.calls, 60);
    assert_true(g_a.best.has_value());
    const Point &best = g_a.candidates[*g_a.best].point;
    // Within a factor of 2.5 of the optimum, boost off (it costs).
    assert_true(best[0] > 4e5 && best[0] < 2.5e6);
    assert_close(best[1], 0, 0);
    // Run i of every candidate on the same seed.
    for (const Trial &t : g_a.trials)
        assert_int_equal(*t.sample.seed, static_cast<std::uint64_t>(t.sample.run));
    assert_str_equal(best_text(g_a).substr(0, 9), "slice_ns=");
}

void run_search__same_seed__same_search(void **)
{
    const bench::Config cfg = sim_config();
    make_search(g_a, 40, 7);
    make_search(g_b, 40, 7);
    g_runner = NoisyRunner{};
    g_runner.own_sd = 0; // the runner's own noise depends on its call count
    assert_true(run_search(g_a, cfg, g_runner).ok());
    g_runner = NoisyRunner{};
    g_runner.own_sd = 0;
    assert_true(run_search(g_b, cfg, g_runner).ok());
    assert_int_equal(g_a.trials.size(), g_b.trials.size());
    for (std::size_t i = 0; i < g_a.trials.size(); i++) {
        assert_int_equal(g_a.trials[i].candidate, g_b.trials[i].candidate);
        assert_close(g_a.trials[i].sample.value, g_b.trials[i].sample.value, 0);
    }
    assert_int_equal(*g_a.best, *g_b.best);
    g_b.wall_s = g_a.wall_s; // the one figure of the clock
    assert_str_equal(scx::json::dump(to_json(g_a, cfg).get()), scx::json::dump(to_json(g_b, cfg).get()));
}

void run_search__failing_region__candidates_leave_the_search(void **)
{
    const bench::Config cfg = sim_config();
    make_search(g_a, 60, 1);
    g_runner = NoisyRunner{};
    g_runner.optimum = 5e7; // best near the failing region
    g_runner.fail_above = 3e7;
    assert_true(run_search(g_a, cfg, g_runner).ok());
    int failed = 0;
    for (const Candidate &c : g_a.candidates)
        failed += c.failed;
    assert_true(failed > 0);
    assert_true(g_a.trials.size() <= 60);
    assert_false(g_a.candidates[*g_a.best].failed);
    assert_true(g_a.candidates[*g_a.best].point[0] <= 3e7);
}

volatile std::sig_atomic_t g_cancel = 0;

void run_search__cancelled__interrupted_and_incomplete(void **)
{
    const bench::Config cfg = sim_config();
    make_search(g_a, 60, 1);
    g_runner = NoisyRunner{};
    g_cancel = 0;
    g_runner.cancel = &g_cancel;
    g_runner.cancel_after = 12;
    auto r = run_search(g_a, cfg, g_runner, {}, &g_cancel);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), static_cast<int>(scx::Exit::interrupted));
    assert_false(g_a.complete);
    assert_int_equal(g_a.trials.size(), 13);
    const std::string doc = scx::json::dump(to_json(g_a, cfg).get());
    assert_non_null(std::strstr(doc.c_str(), "\"complete\": false"));
}

void compare_best__after_search__bench_comparison_on_fresh_seeds(void **)
{
    bench::Config cfg = sim_config();
    make_search(g_a, 40, 1);
    g_runner = NoisyRunner{};
    assert_true(run_search(g_a, cfg, g_runner).ok());
    assert_true(*g_a.best != 0);
    assert_true(compare_best(g_a, cfg, 12, g_runner).ok());
    const bench::Report &rep = g_a.comparison;
    assert_int_equal(rep.results.size(), 2);
    assert_str_equal(rep.results[0].subject.label, "vruntime");
    assert_int_equal(rep.results[1].samples.size(), 12);
    int last_seed = 0;
    for (const Trial &t : g_a.trials)
        last_seed = std::max(last_seed, static_cast<int>(*t.sample.seed));
    assert_int_equal(*rep.results[0].samples.front().seed, static_cast<std::uint64_t>(last_seed + 1));
    // 20 ms against about 1 ms: clearly better.
    const auto [status, why] = verdict(g_a);
    assert_int_equal(status, 0);
    assert_true(why.empty());
    const std::string doc = scx::json::dump(to_json(g_a, cfg).get());
    assert_non_null(std::strstr(doc.c_str(), "\"schema\": \"scxkit.tune/1\""));
    assert_non_null(std::strstr(doc.c_str(), "\"schema\": \"scxkit.bench/1\""));
    const std::string svg = render_svg(g_a, cfg);
    assert_non_null(std::strstr(svg.c_str(), "<svg"));
    assert_non_null(std::strstr(svg.c_str(), "rung 1: "));
}

void value_text__types__policy_syntax(void **)
{
    const Param r{"r", "real", 0.5, 0, 1, "", ""};
    assert_str_equal(value_text(r, 0.1), "0.1");
    assert_str_equal(value_text(r, 0.125), "0.125");
    auto v = parse_value(r, "0.25");
    assert_close(*v, 0.25, 0);
    const Param b{"b", "bool", 0, 0, 1, "", ""};
    assert_str_equal(value_text(b, 1), "true");
}

} // namespace

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(make_space__declared__scales_and_defaults),
        cmocka_unit_test(make_space__only_and_fix__restrict_the_space),
        cmocka_unit_test(make_space__bad_input__data_errors),
        cmocka_unit_test(sample__space__distinct_in_range_defaults_first),
        cmocka_unit_test(plan_halving__budgets__spend_exactly_and_shrink),
        cmocka_unit_test(run_search__noisy_objective__finds_the_optimum_within_budget),
        cmocka_unit_test(run_search__same_seed__same_search),
        cmocka_unit_test(run_search__failing_region__candidates_leave_the_search),
        cmocka_unit_test(run_search__cancelled__interrupted_and_incomplete),
        cmocka_unit_test(compare_best__after_search__bench_comparison_on_fresh_seeds),
        cmocka_unit_test(value_text__types__policy_syntax),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
