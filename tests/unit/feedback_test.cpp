// SPDX-License-Identifier: MIT
#include "loop/feedback.hpp"
#include "loop/history.hpp"
#include "loop/runfix.hpp"

#include "test.hpp"

static void last_line__json_lines__real_line_numbers(void **)
{
    auto a = scx::parse_document_or_last_line("{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n", "s.jsonl");
    assert_true(a.ok());
    assert_int_equal(scx::json::get_int(a->get(), "a"), 3);
    auto b = scx::parse_document_or_last_line("{\"a\":1}\n{\"a\":", "s.jsonl");
    assert_false(b.ok());
    assert_non_null(std::strstr(b.error().message.c_str(), "s.jsonl:2:"));
    auto c = scx::parse_document_or_last_line("{\n \"a\": [1,\n 2]\n}\n", "d.json");
    assert_true(c.ok());
    auto d = scx::parse_document_or_last_line("{\n \"a\": [1,\n}\n", "d.json");
    assert_non_null(std::strstr(d.error().message.c_str(), "d.json:3:1:"));
}

static void fix__errors_quoted_with_lines_and_notes(void **)
{
    auto doc = scx::json::parse(R"({"schema":"scxkit.build/1","ok":false,"source":"p.cpp","diagnostics":[
      {"severity":"warning","file":"p.cpp","line":2,"column":1,"message":"unused","source_line":"int y;","notes":[]},
      {"severity":"error","file":"p.cpp","line":7,"column":14,"message":"'SLICE' was not declared","source_line":"    d.slice = SLICE;",
       "notes":[{"severity":"note","file":"p.cpp","line":3,"column":1,"message":"did you mean 'SLICE_NS'?","source_line":"constexpr auto SLICE_NS = 1;","notes":[]}]}]})",
                                "b.json");
    auto fix = scx::read_fix(doc->get(), "b.json");
    assert_true(fix.ok());
    assert_int_equal(fix->errors, 1);
    assert_int_equal(fix->warnings, 1);
    assert_str_equal(fix->source, "p.cpp");
    const char *want = "p.cpp:7:14: error: 'SLICE' was not declared\n"
                       "     7 |     d.slice = SLICE;\n"
                       "       |              ^\n"
                       "p.cpp:3:1: note: did you mean 'SLICE_NS'?\n";
    assert_int_equal(fix->text.rfind(want, 0), 0);
    assert_non_null(std::strstr(fix->text.c_str(), "Warnings:\np.cpp:2:1: warning: unused"));
}

static void fix__limit_and_stopped_build(void **)
{
    std::string diags;
    for (int i = 1; i <= 30; i++)
        diags += std::string(i > 1 ? "," : "") + R"({"severity":"error","file":"p.cpp","line":)" + std::to_string(i) +
                 R"(,"column":1,"message":"e"})";
    auto doc = scx::json::parse(R"({"schema":"scxkit.build/1","diagnostics":[)" + diags + "]}", "b");
    auto fix = scx::read_fix(doc->get(), "b", 25);
    assert_non_null(std::strstr(fix->text.c_str(), "(5 more errors not shown)"));
    auto stopped = scx::json::parse(
        R"({"schema":"scxkit.build/1","ok":false,"source":"-","error":{"code":"data","exit_status":65,"message":"<stdin> registers no policy"}})",
        "b");
    auto s = scx::read_fix(stopped->get(), "b");
    assert_true(s->stopped);
    assert_non_null(std::strstr(s->text.c_str(), "stopped before compiling: <stdin> registers no policy"));
}

static void feedback__run_and_bench_rendered(void **)
{
    auto run = scx::json::parse(R"({"schema":"scxkit.run/1","mode":"sim","exit":{"kind":"stall","reason":"runnable task stall","message":"pid 7"},
      "counters":{"nr_congestion":3},"metrics":{"makespan_s":4.9,"wakeup_latency_p99_ns":1830000},"future_member":{"x":[1,2,3]}})",
                                "r");
    auto f = scx::read_feedback(run->get(), "r");
    assert_true(f.ok());
    assert_str_equal(f->schema, "scxkit.run/1");
    const char *want = "Exit: stall: runnable task stall (pid 7)\nMetrics:\n  makespan_s: 4.9\n  wakeup_latency_p99_ns: 1830000\n"
                       "Counters:\n  nr_congestion: 3\nmode: sim\nfuture_member:\n  x: 3 values, min 1, median 2, max 3\n";
    assert_str_equal(f->text, want);
    auto bench = scx::json::parse(R"({"schema":"scxkit.bench/1","complete":false,"failure":"b, run 2: stall","mode":"sim",
      "workload":{"spec":"cpu","command":null},"cpus":2,"metric":{"name":"makespan_s","unit":"s","better":"lower"},"runs":3,
      "results":[{"subject":"a","median":1.5,"median_ci":{"low":1.25,"high":2,"level":0.9},"n":3,"failed":0,
                  "samples":[{"ok":true,"detail":{"metrics":{"context_switches":10}}},{"ok":true,"detail":{"metrics":{"context_switches":30}}}]},
                 {"subject":"b","median":null,"median_ci":null,"n":0,"failed":3,"samples":[{"ok":false,"failure":"b, run 2: stall"}]}],
      "comparisons":[{"subject":"b","reference":"a","ratio":null,"ratio_ci":null,"p_value":null,"test":"wilcoxon-signed-rank","verdict":"~"}],
      "notes":["too few runs"],"bootstrap":{"seed":7}})", "b");
    auto g = scx::read_feedback(bench->get(), "b");
    assert_true(g.ok());
    assert_str_equal(g->text, "Benchmark (sim): simulator workload cpu, 2 CPUs; metric makespan_s (lower is better); 3 runs per subject\n"
                              "Incomplete: b, run 2: stall\n"
                              "Results (median [90% CI], n successful runs):\n"
                              "  - a: 1.500 s [1.250 s, 2.000 s], n=3\n"
                              "    other metrics (medians): context_switches 20.00\n"
                              "  - b: n/a [n/a, n/a], n=0, 3 failed\n"
                              "    failed run: b, run 2: stall\n"
                              "Comparisons (ratio of medians [90% CI], two-sided p-value (rank test), verdict):\n"
                              "  - b vs a: n/a [n/a, n/a], p=n/a (wilcoxon-signed-rank), ~\n"
                              "Note: too few runs\n");
}

static void feedback__other_schemas__refused(void **)
{
    for (const char *d : {R"({"schema":"scxkit.build/1"})", R"({"schema":"scxkit.run/2"})", R"({"metrics":{}})", "[1]"}) {
        auto doc = scx::json::parse(d, "x");
        auto f = scx::read_feedback(doc->get(), "x");
        assert_false(f.ok());
        assert_int_equal(static_cast<int>(f.error().exit), 65);
    }
}

static void render_members__line_limit(void **)
{
    auto doc = scx::json::parse(R"({"a":1,"b":2,"c":3,"d":4})", "x");
    assert_str_equal(scx::render_members(doc->get(), 0, 2), "a: 1\nb: 2\n(more members left out)\n");
}

static void history__rounds_details_and_errors(void **)
{
    auto h = scx::read_history("{\"type\":\"round\",\"change\":\"a\",\"outcome\":\"kept\",\"metrics\":{\"m\":1.5},\"n\":[1,2],"
                               "\"cost\":{\"requests\":2,\"model_s\":3.5}}\n"
                               "{\"type\":\"other\"}\n\n"
                               "{\"schema\":\"scxkit.history/1\",\"type\":\"round\",\"round\":7,\"change\":\"b\"}\n",
                               "h");
    assert_true(h.ok());
    assert_int_equal(h->size(), 2);
    assert_int_equal((*h)[0].round, 1);
    assert_str_equal((*h)[0].details, "metrics.m=1.5; n=2 items");
    assert_str_equal(scx::render_history(*h), "- round 1: a -> kept [metrics.m=1.5; n=2 items]\n- round 7: b\n");
    assert_str_equal(scx::render_history(*h, 1), "(1 earlier rounds left out)\n- round 7: b\n");
    auto bad = scx::read_history("{\"type\":\"round\"}\n{\"type\":\n", "h.jsonl");
    assert_non_null(std::strstr(bad.error().message.c_str(), "h.jsonl:2:"));
    auto newer = scx::read_history("{\"schema\":\"scxkit.history/2\",\"type\":\"round\"}\n", "h.jsonl");
    assert_non_null(std::strstr(newer.error().message.c_str(), "unsupported version"));
    auto arr = scx::read_history("[1]\n", "h.jsonl");
    assert_non_null(std::strstr(arr.error().message.c_str(), "h.jsonl:1: expected a JSON object"));
}

static void run_fix__words_data_and_events(void **)
{
    auto doc = scx::json::parse(R"({"schema":"scxkit.run/1","type":"final","mode":"sim","policy":"lazy",
        "policy_path":"lazy.so","workload":{"name":"interactive","params":{"duration_ns":200000000,"hogs":4},"tasks":6},
        "cpus":4,"watchdog_ns":5000000000,
        "exit":{"kind":"stall","reason":"runnable task stall","message":"hog[3] failed to run for 5.001s",
                "stalled":{"pid":3,"comm":"hog","waited_ns":5001000000}},
        "counters":{"nr_user_dispatches":12},"metrics":{}})", "run.json");
    assert_true(doc.ok());
    auto fix = scx::read_run_fix(doc->get(), "run.json");
    assert_true(fix.ok());
    assert_str_equal(fix->exit_kind, "stall");
    assert_str_equal(fix->policy_path, "lazy.so");
    for (const char *want : {"The policy \"lazy\" built, but its run in the simulator failed.", "watchdog ejected",
                             "Exit kind: stall\n", "Reason: runnable task stall\n",
                             "Message: hog[3] failed to run for 5.001s\n",
                             "Stalled task: pid 3 (hog), runnable and not dispatched for 5001.000 ms\n",
                             "Workload: interactive (duration_ns=200000000, hogs=4), 6 tasks\n", "CPUs: 4\n",
                             "Watchdog limit: 5000.000 ms\n", "nr_user_dispatches: 12"})
        assert_non_null(std::strstr(fix->text.c_str(), want));
    // A run that completed has nothing to fix; a build report is not a run.
    auto done = scx::json::parse(R"({"schema":"scxkit.run/1","exit":{"kind":"done"}})", "ok.json");
    assert_int_equal(static_cast<int>(scx::read_run_fix(done->get(), "ok.json").error().exit), 65);
    auto build = scx::json::parse(R"({"schema":"scxkit.build/1","ok":false})", "b.json");
    assert_false(scx::read_run_fix(build->get(), "b.json").ok());

    std::string ev = "{\"type\":\"header\",\"schema\":\"scxkit.events/1\",\"cpus\":2}\n";
    for (int k = 0; k < 30; k++)
        ev += "{\"type\":\"dispatch\",\"t\":" + std::to_string(k * 1000) + ",\"cpu\":1,\"pid\":7,\"comm\":\"w\",\"slice_ns\":5}\n";
    ev += "{\"type\":\"stall\",\"t\":5001000000,\"cpu\":-1,\"pid\":3,\"comm\":\"hog\",\"waited_ns\":5001000000}\n";
    ev += "{\"type\":\"end\",\"t\":5001000000}\n";
    auto last = scx::render_last_events(ev, "ev.jsonl", 3);
    assert_true(last.ok());
    assert_str_equal(*last, "t=0.028000ms cpu 1 dispatch pid 7 (w) slice_ns=5\n"
                            "t=0.029000ms cpu 1 dispatch pid 7 (w) slice_ns=5\n"
                            "t=5001.000000ms stall pid 3 (hog) waited_ns=5001000000\n");
    auto bad = scx::render_last_events("{\"type\":\"x\",\"t\":1}\nnot json\n", "ev.jsonl");
    assert_non_null(std::strstr(bad.error().message.c_str(), "ev.jsonl:2"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(last_line__json_lines__real_line_numbers),
        cmocka_unit_test(fix__errors_quoted_with_lines_and_notes),
        cmocka_unit_test(fix__limit_and_stopped_build),
        cmocka_unit_test(feedback__run_and_bench_rendered),
        cmocka_unit_test(feedback__other_schemas__refused),
        cmocka_unit_test(render_members__line_limit),
        cmocka_unit_test(history__rounds_details_and_errors),
        cmocka_unit_test(run_fix__words_data_and_events),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
