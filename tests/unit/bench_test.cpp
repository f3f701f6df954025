// SPDX-License-Identifier: MIT
// The benchmark plan (order, seeds, failures, interruption), the analysis
// (verdicts, --compare pairing, --better-than), the scxkit.bench/1 document
// and its reader, metric directions, value formatting and the SVG.
#include "bench/bench.hpp"
#include "bench/runners.hpp"
#include "base/strformat.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "test.hpp"

using namespace scx::bench;

namespace {

// A runner that returns scripted values and records the order of the runs.
class ScriptedRunner : public Runner {
public:
    std::map<std::string, std::vector<double>> values; // per label, in run order
    std::map<std::string, int> fail_at;                // label -> measured run that fails
    int error_after = -1;                              // return an Error at this call
    std::vector<std::string> order;
    int calls = 0;

    scx::Result<Sample> run(const Subject &s, const Slot &slot) override
    {
        if (calls++ == error_after)
            return scx::Error(scx::Exit::unavailable, "runner broke");
        order.push_back(s.label + (slot.warmup ? "w" : "") + std::to_string(slot.run) +
                        (slot.seed ? "@" + std::to_string(*slot.seed) : ""));
        Sample x;
        if (!slot.warmup && fail_at.count(s.label) && fail_at[s.label] == slot.run) {
            x.failure = "scripted failure";
            x.exit_code = 1;
            return x;
        }
        const auto &v = values[s.label];
        x.value = v.empty() ? 1.0 : v[static_cast<size_t>(slot.run - 1) % v.size()];
        x.ok = true;
        return x;
    }
};

Report make_report(std::vector<std::string> labels, Mode mode = Mode::kernel, int runs = 3, int warmup = 0)
{
    Report r;
    r.config.mode = mode;
    r.config.runs = runs;
    r.config.warmup = warmup;
    r.config.command = {"true"};
    r.config.metric.name = "wall_s";
    r.config.metric.source = MetricSource::wall;
    r.config.bootstrap.resamples = 1000;
    for (auto &l : labels) {
        SubjectResult s;
        s.subject.label = l;
        s.subject.path = l + ".so";
        s.subject.is_default = l == "default";
        r.results.push_back(s);
    }
    r.baseline = labels.front();
    return r;
}

const std::vector<double> SLOW = {5.31, 5.27, 5.40, 5.29, 5.35, 5.33, 5.28, 5.62, 5.30, 5.32};
const std::vector<double> FAST = {4.91, 4.88, 4.95, 4.90, 4.87, 4.93, 4.89, 4.92, 5.20, 4.94};

// default and fifo, ten runs each with the given values, --better-than
// default, analysed.
Report default_vs_fifo(const std::vector<double> &def, const std::vector<double> &fifo)
{
    Report r = make_report({"default", "fifo"}, Mode::kernel, 10);
    r.better_than = BetterThan{"default", "", false};
    ScriptedRunner runner;
    runner.values["default"] = def;
    runner.values["fifo"] = fifo;
    if (run_plan(r, runner).ok())
        analyse(r);
    return r;
}


} // namespace

static void run_plan__two_subjects__warmups_then_interleaved(void **)
{
    Report r = make_report({"default", "fifo"}, Mode::kernel, 3, 1);
    ScriptedRunner runner;
    assert_true(run_plan(r, runner).ok());
    assert_str_equal(scx::join(runner.order), "defaultw1 fifow1 default1 fifo1 default2 fifo2 default3 fifo3");
    assert_true(r.complete);
    assert_int_equal(r.results[0].samples.size(), 3);
    assert_int_equal(r.results[0].warmups.size(), 1);
}

static void run_plan__simulator__same_seed_for_every_subject_in_a_round(void **)
{
    Report r = make_report({"a", "b"}, Mode::sim, 2, 1);
    r.config.seed = 7;
    ScriptedRunner runner;
    assert_true(run_plan(r, runner).ok());
    assert_str_equal(scx::join(runner.order), "aw1@9 bw1@9 a1@7 b1@7 a2@8 b2@8");
    assert_true(r.results[1].samples[1].seed.value() == 8);
}

static void run_plan__failed_run__stops_with_reason(void **)
{
    Report r = make_report({"default", "fifo"});
    ScriptedRunner runner;
    runner.fail_at["fifo"] = 2;
    assert_true(run_plan(r, runner).ok());
    assert_false(r.complete);
    assert_str_equal(r.failure, "fifo, run 2: scripted failure");
    assert_str_equal(scx::join(runner.order), "default1 fifo1 default2 fifo2");
}

static void run_plan__failed_run_with_keep_going__runs_all_and_excludes_it(void **)
{
    Report r = make_report({"default", "fifo"});
    r.config.keep_going = true;
    ScriptedRunner runner;
    runner.fail_at["fifo"] = 2;
    assert_true(run_plan(r, runner).ok());
    assert_false(r.complete);
    assert_int_equal(r.results[1].samples.size(), 3);
    assert_int_equal(r.results[1].failed(), 1);
    analyse(r);
    assert_int_equal(r.results[1].summary.n, 2);
}

static void run_plan__runner_error__aborts(void **)
{
    Report r = make_report({"default", "fifo"});
    ScriptedRunner runner;
    runner.error_after = 2;
    auto res = run_plan(r, runner);
    assert_false(res.ok());
    assert_int_equal(static_cast<int>(res.error().exit), 69);
}

static void run_plan__cancelled__interrupted(void **)
{
    Report r = make_report({"default"});
    ScriptedRunner runner;
    volatile std::sig_atomic_t stop = 1;
    auto res = run_plan(r, runner, {}, &stop);
    assert_false(res.ok());
    assert_int_equal(static_cast<int>(res.error().exit), 130);
    assert_int_equal(runner.calls, 0);
}

static void analyse__faster_subject__better_and_better_than_satisfied(void **)
{
    const Report r = default_vs_fifo(SLOW, FAST);
    assert_true(r.complete);
    assert_int_equal(r.comparisons.size(), 1);
    assert_str_equal(r.comparisons[0].subject, "fifo");
    assert_str_equal(r.comparisons[0].reference, "default");
    assert_int_equal(static_cast<int>(r.comparisons[0].cmp.verdict), static_cast<int>(scx::stats::Verdict::better));
    assert_true(r.better_than->satisfied);
    // default's run 8 (5.62) is no outlier by hyperfine's rule; fifo's 5.20 neither.
    assert_int_equal(r.results[0].outlier_runs.size(), 0);
}

static void analyse__slower_subject__better_than_not_satisfied(void **)
{
    const Report r = default_vs_fifo(FAST, SLOW);
    assert_true(r.complete);
    assert_int_equal(static_cast<int>(r.comparisons[0].cmp.verdict), static_cast<int>(scx::stats::Verdict::worse));
    assert_false(r.better_than->satisfied);
}

static void analyse__too_few_runs__note_and_not_satisfied(void **)
{
    Report r = make_report({"default", "fifo"}, Mode::kernel, 3);
    r.better_than = BetterThan{"default", "", false};
    ScriptedRunner runner;
    runner.values["default"] = {10, 11, 12};
    runner.values["fifo"] = {1, 2, 3};
    assert_true(run_plan(r, runner).ok());
    analyse(r);
    assert_false(r.better_than->satisfied);
    assert_int_equal(r.notes.size(), 1);
    assert_non_null(std::strstr(r.notes[0].c_str(), "no difference can be significant"));
}

static void analyse__outlier__flagged_by_run_number(void **)
{
    Report r = make_report({"default"}, Mode::kernel, 6);
    ScriptedRunner runner;
    runner.values["default"] = {1.00, 1.01, 0.99, 1.00, 3.00, 1.01};
    assert_true(run_plan(r, runner).ok());
    analyse(r);
    assert_int_equal(r.results[0].outlier_runs.size(), 1);
    assert_int_equal(r.results[0].outlier_runs[0], 5);
}

static void analyse__compare_with_old__pairs_by_label_then_leftovers(void **)
{
    Report old = make_report({"default", "best"}, Mode::kernel, 10);
    ScriptedRunner r1;
    r1.values["default"] = SLOW;
    r1.values["best"] = SLOW;
    assert_true(run_plan(old, r1).ok());

    Report now = make_report({"default", "candidate"}, Mode::kernel, 10);
    now.compare_file = "old.json";
    now.better_than = BetterThan{"", "old.json", false};
    ScriptedRunner r2;
    r2.values["default"] = FAST;
    r2.values["candidate"] = FAST;
    assert_true(run_plan(now, r2).ok());
    analyse(now, &old);
    // candidate vs default (this run), default vs default (old), candidate vs best (old).
    assert_int_equal(now.comparisons.size(), 3);
    assert_str_equal(now.comparisons[1].subject, "default");
    assert_str_equal(now.comparisons[1].reference_file, "old.json");
    assert_str_equal(now.comparisons[2].subject, "candidate");
    assert_str_equal(now.comparisons[2].reference, "best");
    assert_true(now.better_than->satisfied);
}

static void check_comparable__other_metric__refused(void **)
{
    Report old = make_report({"default"});
    Config now = old.config;
    now.metric.name = "makespan_s";
    auto r = check_comparable(now, old, "old.json");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    now = old.config;
    now.command = {"sleep", "1"};
    auto w = check_comparable(now, old, "old.json");
    assert_true(w.ok());
    assert_int_equal(w->size(), 1);
}

static void json__report__hyperfine_members_and_round_trip(void **)
{
    Report r = make_report({"default", "fifo"}, Mode::sim, 4);
    r.config.workload = "messaging:groups=2";
    r.config.metric = Metric{};
    ScriptedRunner runner;
    runner.values["default"] = {2, 3, 4, 5};
    runner.values["fifo"] = {1, 2, 3, 4};
    assert_true(run_plan(r, runner).ok());
    analyse(r);
    const std::string text = scx::json::dump(to_json(r).get());
    auto doc = scx::json::parse(text, "bench.json");
    assert_true(doc.ok());
    const json_t *res0 = json_array_get(json_object_get(doc->get(), "results"), 0);
    for (const char *k : {"command", "mean", "stddev", "median", "user", "system", "min", "max", "times", "exit_codes"})
        assert_non_null(json_object_get(res0, k));
    assert_int_equal(json_array_size(json_object_get(res0, "times")), 4);
    assert_str_equal(scx::json::get_string(doc->get(), "schema"), "scxkit.bench/1");

    auto back = from_json(doc->get(), "bench.json");
    assert_true(back.ok());
    assert_int_equal(back->results.size(), 2);
    assert_str_equal(back->results[1].subject.label, "fifo");
    assert_int_equal(back->results[1].values().size(), 4);
    assert_true(back->results[1].samples[2].seed.value() == 3);
    assert_str_equal(back->config.metric.name, "makespan_s");
    assert_int_equal(static_cast<int>(back->config.mode), static_cast<int>(Mode::sim));
}

static void from_json__other_schema__refused(void **)
{
    auto doc = scx::json::parse(R"({"schema": "scxkit.build/1"})", "x.json");
    auto r = from_json(doc->get(), "x.json");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    auto doc2 = scx::json::parse(R"({"schema": "scxkit.bench/1", "mode": "sim",
        "metric": {"name": "makespan_s", "better": "lower"}, "results": []})", "y.json");
    assert_false(from_json(doc2->get(), "y.json").ok());
}

static void infer_direction__known_names__lower_or_higher(void **)
{
    using scx::stats::Direction;
    assert_true(infer_direction("makespan_s") == Direction::lower_is_better);
    assert_true(infer_direction("wakeup_latency_p99_ns") == Direction::lower_is_better);
    assert_true(infer_direction("context_switches") == Direction::lower_is_better);
    assert_true(infer_direction("throughput") == Direction::higher_is_better);
    assert_true(infer_direction("events_per_s") == Direction::higher_is_better);
    assert_true(infer_direction("jain_fairness") == Direction::higher_is_better);
    assert_false(infer_direction("dispatches").has_value());
    assert_str_equal(infer_unit("wakeup_latency_p99_ns"), "ns");
    assert_str_equal(infer_unit("events_per_s"), "/s");
    assert_str_equal(infer_unit("makespan_s"), "s");
    assert_str_equal(infer_unit("dispatches"), "");
}

static void format_value__units__scaled_readably(void **)
{
    assert_str_equal(format_value(5.312, "s"), "5.312 s");
    assert_str_equal(format_value(0.01234, "s"), "12.34 ms");
    assert_str_equal(format_value(1500, "ns"), "1.500 µs");
    assert_str_equal(format_value(42, ""), "42.00");
    assert_str_equal(format_value(123456, ""), "123456");
    assert_str_equal(format_value(1270, ""), "1270");
    assert_str_equal(format_value(1270, "s"), "1270 s");
    assert_str_equal(format_value(NAN, "s"), "-");
    // Enough digits to show a millisecond on 23 s.
    assert_int_equal(digits_for(23.1719, 0.001), 7);
    assert_str_equal(format_value(23.171912, "s", digits_for(23.1719, 0.001)), "23.17191 s");
    assert_int_equal(digits_for(5.3, 0.1), 4);
    assert_int_equal(digits_for(5.3, 0), 4);
}

static void extract_metric__perf_outputs__number_found(void **)
{
    auto a = extract_metric("# 20 sender and receiver threads per group\n Total time: 5.312 [sec]\n",
                            "Total time: ([0-9.]+)");
    assert_true(a.ok());
    assert_close(*a, 5.312, 1e-12);
    auto b = extract_metric("4.903\n", "[0-9.]+");
    assert_true(b.ok());
    assert_close(*b, 4.903, 1e-12);
    auto c = extract_metric("nothing here\n", "Total time: ([0-9.]+)");
    assert_false(c.ok());
    auto d = extract_metric("Total time: fast\n", "Total time: (\\w+)");
    assert_false(d.ok());
    assert_non_null(std::strstr(d.error().message.c_str(), "not a number"));
    assert_false(check_regex("([0-9").ok());
}

static void native_workload__messaging_spec__scx_messaging_command(void **)
{
    auto a = native_workload_command("messaging:groups=24,loops=2000,thread=1,pipe=0", "/bin/scx-messaging");
    assert_true(a.ok());
    assert_str_equal(scx::join(*a), "/bin/scx-messaging --json -g 24 -l 2000 -t");
    auto b = native_workload_command("messaging", "m");
    assert_true(b.ok());
    assert_str_equal(scx::join(*b), "m --json");
    auto c = native_workload_command("messaging:groupz=2", "m");
    assert_false(c.ok());
    assert_int_equal(static_cast<int>(c.error().exit), 64);
    assert_false(native_workload_command("messaging:thread=maybe", "m").ok());
    assert_false(native_workload_command("cpu:tasks=2", "m").ok());
}

static void native_workload_time__messaging_document__first_duration(void **)
{
    auto t = native_workload_time(R"({"schema":"scxkit.messaging/1","groups":2,"duration_s":[0.125,0.5]})");
    assert_true(t.ok());
    assert_close(*t, 0.125, 0);
    assert_false(native_workload_time(R"({"schema":"scxkit.messaging/1","duration_s":[]})").ok());
    assert_false(native_workload_time("0.125\n").ok());
}

static void add_subject__names__labels_and_refusals(void **)
{
    Report r;
    r.config.mode = Mode::kernel;
    const std::string so = env_path("SCX_FIFO_SO");
    auto a = add_subject(r, so);
    assert_true(a.ok());
    assert_str_equal(*a, "fifo");
    auto d = add_subject(r, "default");
    assert_true(d.ok());
    assert_true(r.results[1].subject.is_default && r.results[1].subject.path.empty());
    auto twice = add_subject(r, so);
    assert_false(twice.ok());
    assert_int_equal(static_cast<int>(twice.error().exit), 64);
    auto missing = add_subject(r, "/nonexistent/x.so");
    assert_int_equal(static_cast<int>(missing.error().exit), 66);
    // Same file name in another directory: both labelled by their paths.
    const std::string other = env_path("SCX_POLICY_DIR") + "/../policies/fifo.so";
    assert_true(add_subject(r, other).ok());
    assert_str_equal(r.results[0].subject.label, so);
    assert_str_equal(r.results[2].subject.label, other);
    assert_str_equal(default_baseline(r), "default");
}

static void set_better_than__subject_or_file__reference_and_baseline(void **)
{
    Report r;
    r.config.mode = Mode::sim;
    assert_true(add_subject(r, env_path("SCX_FIFO_SO")).ok());
    auto f = set_better_than(r, "best.json");
    assert_true(f.ok());
    assert_str_equal(*f, "best.json");
    assert_str_equal(r.better_than->reference_file, "best.json");
    // A subject not listed is added and becomes the baseline; in the
    // simulator "default" is the model of the Linux default (no file).
    auto s = set_better_than(r, "default");
    assert_true(s.ok());
    assert_true(s->empty());
    assert_int_equal(r.results.size(), 2);
    assert_true(r.results[1].subject.path.empty() && r.results[1].subject.is_default);
    assert_str_equal(r.baseline, "default");
    assert_str_equal(r.better_than->reference, "default");
    Report alone;
    alone.config.mode = Mode::kernel;
    auto lone = set_better_than(alone, "default");
    assert_false(lone.ok());
    assert_non_null(std::strstr(lone.error().message.c_str(), "needs another subject"));
}

static void render_svg__markup_in_labels__escaped(void **)
{
    Report r = make_report({"default", "a<b&c"}, Mode::kernel, 4);
    ScriptedRunner runner;
    assert_true(run_plan(r, runner).ok());
    analyse(r);
    const std::string svg = render_svg(r);
    assert_non_null(std::strstr(svg.c_str(), "a&lt;b&amp;c"));
    assert_null(std::strstr(svg.c_str(), "a<b"));
    assert_non_null(std::strstr(svg.c_str(), "</svg>"));
}

static void format_table__comparison__rows_and_verdict(void **)
{
    const Report r = default_vs_fifo(SLOW, FAST);
    assert_true(r.complete);
    const std::string t = format_table(r);
    assert_non_null(std::strstr(t.c_str(), "fifo vs default"));
    // The verdict column of the one comparison row, then the legend.
    assert_non_null(std::strstr(t.c_str(), "  better\nratio: "));
    assert_non_null(std::strstr(t.c_str(), "Significantly better than default"));
}

static void analyse__simulator_with_failed_run__paired_without_its_seed(void **)
{
    // Run i of both subjects used seed 6+i: paired. b's run 2 failed, so
    // a's run 2 has no counterpart: left out of the pairs and counted.
    Report r = make_report({"a", "b"}, Mode::sim, 8);
    r.config.seed = 7;
    r.config.keep_going = true;
    r.config.metric.name = "makespan_s";
    ScriptedRunner runner;
    runner.values["a"] = {10, 14, 9, 20, 12, 16, 11, 18};
    runner.values["b"] = {11, 16, 12, 24, 17, 22, 18, 26}; // a + 1, 2, ..., 8
    runner.fail_at["b"] = 2;
    assert_true(run_plan(r, runner).ok());
    analyse(r);
    assert_int_equal(r.comparisons.size(), 1);
    const auto &c = r.comparisons[0];
    assert_true(c.paired);
    assert_int_equal(c.unpaired, 1);
    assert_int_equal(static_cast<int>(c.cmp.test), static_cast<int>(scx::stats::Test::wilcoxon_signed_rank));
    assert_int_equal(c.cmp.signed_rank.pairs, 7);
    // b is higher on every seed: V = 28 of 28, p = 2/128 (exact); b is worse.
    assert_str_equal(c.subject, "b");
    assert_true(c.cmp.signed_rank.v == 28);
    assert_true(std::fabs(c.cmp.p_value - 2.0 / 128) < 1e-15);
    assert_int_equal(static_cast<int>(c.cmp.verdict), static_cast<int>(scx::stats::Verdict::worse));
    bool noted = false;
    for (const auto &n : r.notes)
        noted = noted || std::strstr(n.c_str(), "left out of the paired comparison");
    assert_true(noted);
    // The kernel's runs are not paired, whatever their order.
    Report k = make_report({"a", "b"}, Mode::kernel, 8);
    runner.fail_at.clear();
    assert_true(run_plan(k, runner).ok());
    analyse(k);
    assert_false(k.comparisons[0].paired);
    assert_int_equal(static_cast<int>(k.comparisons[0].cmp.test), static_cast<int>(scx::stats::Test::mann_whitney_u));
}

static void analyse__every_run_the_same__note_instead_of_verdict(void **)
{
    Report r = make_report({"a", "b"}, Mode::sim, 6);
    r.config.metric.name = "makespan_s";
    ScriptedRunner runner;
    runner.values["a"] = {0.1};
    runner.values["b"] = {0.1};
    assert_true(run_plan(r, runner).ok());
    analyse(r);
    assert_int_equal(static_cast<int>(r.comparisons[0].cmp.verdict), static_cast<int>(scx::stats::Verdict::same));
    bool noted = false;
    for (const auto &n : r.notes)
        noted = noted || std::strstr(n.c_str(), "every run of every subject gave the same makespan_s");
    assert_true(noted);
}

static void default_sim_metric__workloads__one_that_varies(void **)
{
    assert_str_equal(default_sim_metric("messaging:groups=2"), "makespan_s");
    assert_str_equal(default_sim_metric("fork"), "makespan_s");
    assert_str_equal(default_sim_metric("latency"), "wakeup_latency_p99_ns");
    assert_str_equal(default_sim_metric("interactive:duration=2s"), "wakeup_latency_p99_ns");
    assert_str_equal(default_sim_metric("cpu:tasks=4"), "throughput");
    assert_str_equal(default_sim_metric("my.workload.json"), "makespan_s");
}

static void resolve_method__choices__mode_metric_and_refusals(void **)
{
    Config cfg;
    MethodChoice c;
    c.sim = "latency:duration=1s";
    assert_true(resolve_method(c, cfg).ok());
    assert_int_equal(static_cast<int>(cfg.mode), static_cast<int>(Mode::sim));
    assert_str_equal(cfg.metric.name, "wakeup_latency_p99_ns");
    assert_str_equal(cfg.metric.unit, "ns");
    assert_true(cfg.metric.is_default);
    assert_int_equal(cfg.warmup, 0);
    c.metric = "fairness_jain";
    assert_true(resolve_method(c, cfg).ok());
    assert_false(cfg.metric.is_default);
    assert_int_equal(static_cast<int>(cfg.metric.direction), static_cast<int>(scx::stats::Direction::higher_is_better));

    Config k;
    MethodChoice w;
    w.command = {"true"};
    assert_true(resolve_method(w, k).ok());
    assert_int_equal(static_cast<int>(k.mode), static_cast<int>(Mode::kernel));
    assert_str_equal(k.metric.name, "wall_s");
    assert_int_equal(k.warmup, 1);
    w.regex = "n=([0-9]+)";
    auto unknown = resolve_method(w, k);
    assert_false(unknown.ok());
    assert_int_equal(static_cast<int>(unknown.error().exit), 64);
    assert_non_null(std::strstr(unknown.error().message.c_str(), "--lower-is-better"));
    w.lower = w.higher = true;
    assert_non_null(std::strstr(resolve_method(w, k).error().message.c_str(), "contradict"));

    MethodChoice none;
    assert_non_null(std::strstr(resolve_method(none, k).error().message.c_str(), "missing the workload"));
    MethodChoice seed;
    seed.command = {"true"};
    seed.seed = true;
    assert_non_null(std::strstr(resolve_method(seed, k).error().message.c_str(), "--seed applies only with --sim"));
}

static void plan_outputs__standard_output__one_document(void **)
{
    auto table = plan_outputs(false, "", "");
    assert_true(table.ok() && table->to_stdout == StdoutContent::table);
    auto json = plan_outputs(true, "-", "p.svg");
    assert_true(json.ok() && json->to_stdout == StdoutContent::json);
    assert_str_equal(json->json_file, "");
    assert_str_equal(json->plot_file, "p.svg");
    auto svg = plan_outputs(false, "b.json", "-");
    assert_true(svg.ok() && svg->to_stdout == StdoutContent::svg);
    assert_str_equal(svg->json_file, "b.json");
    for (auto bad : {plan_outputs(true, "", "-"), plan_outputs(false, "-", "-"), plan_outputs(false, "x", "x")}) {
        assert_false(bad.ok());
        assert_int_equal(static_cast<int>(bad.error().exit), 64);
    }
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(analyse__simulator_with_failed_run__paired_without_its_seed),
        cmocka_unit_test(analyse__every_run_the_same__note_instead_of_verdict),
        cmocka_unit_test(default_sim_metric__workloads__one_that_varies),
        cmocka_unit_test(resolve_method__choices__mode_metric_and_refusals),
        cmocka_unit_test(plan_outputs__standard_output__one_document),
        cmocka_unit_test(run_plan__two_subjects__warmups_then_interleaved),
        cmocka_unit_test(run_plan__simulator__same_seed_for_every_subject_in_a_round),
        cmocka_unit_test(run_plan__failed_run__stops_with_reason),
        cmocka_unit_test(run_plan__failed_run_with_keep_going__runs_all_and_excludes_it),
        cmocka_unit_test(run_plan__runner_error__aborts),
        cmocka_unit_test(run_plan__cancelled__interrupted),
        cmocka_unit_test(analyse__faster_subject__better_and_better_than_satisfied),
        cmocka_unit_test(analyse__slower_subject__better_than_not_satisfied),
        cmocka_unit_test(analyse__too_few_runs__note_and_not_satisfied),
        cmocka_unit_test(analyse__outlier__flagged_by_run_number),
        cmocka_unit_test(analyse__compare_with_old__pairs_by_label_then_leftovers),
        cmocka_unit_test(check_comparable__other_metric__refused),
        cmocka_unit_test(json__report__hyperfine_members_and_round_trip),
        cmocka_unit_test(from_json__other_schema__refused),
        cmocka_unit_test(infer_direction__known_names__lower_or_higher),
        cmocka_unit_test(format_value__units__scaled_readably),
        cmocka_unit_test(extract_metric__perf_outputs__number_found),
        cmocka_unit_test(native_workload__messaging_spec__scx_messaging_command),
        cmocka_unit_test(native_workload_time__messaging_document__first_duration),
        cmocka_unit_test(add_subject__names__labels_and_refusals),
        cmocka_unit_test(set_better_than__subject_or_file__reference_and_baseline),
        cmocka_unit_test(render_svg__markup_in_labels__escaped),
        cmocka_unit_test(format_table__comparison__rows_and_verdict),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
