// SPDX-License-Identifier: MIT
// The run seam's report: one struct, two printers, one exit taxonomy.
#include <scx/run.hpp>

#include <string>

#include "test.hpp"

static scx::RunReport kernel_report()
{
    scx::RunReport r;
    r.host.backend = scx::BackendKind::kernel;
    r.host.kernel = "7.3.4";
    r.host.user = "nobody";
    r.host.cpus = 2;
    r.policy = "fifo";
    r.policy_path = "fifo.so";
    r.exit = scx::RunExit{scx::ExitKind::stall, "runnable task stall", "x[1] failed to run for 2s", 1026};
    scx::Counters c;
    c.nr_user_dispatches = 100;
    r.counters = c;
    r.metrics = {{"duration_s", 2.0, false}, {"decisions_per_s", 50, false}, {"schedule_calls", 7, true}};
    return r;
}

static void report_json__kernel__run_schema_with_code_and_host(void **)
{
    const std::string s = scx::report_json(kernel_report(), false);
    for (const char *want : {"\"schema\":\"scxkit.run/1\"", "\"type\":\"final\"", "\"mode\":\"kernel\"",
                             "\"kind\":\"stall\"", "\"code\":1026", "\"reason\":\"runnable task stall\"",
                             "\"nr_user_dispatches\":100", "\"decisions_per_s\":50", "\"schedule_calls\":7",
                             "\"nr_congestion\":0", "\"host\":{\"kernel\":\"7.3.4\",\"user\":\"nobody\",\"cpus\":2}"})
        if (s.find(want) == std::string::npos) {
            print_error("%s not in %s\n", want, s.c_str());
            fail();
        }
}

static void report_json__no_counters__empty_objects(void **)
{
    auto r = kernel_report();
    r.counters.reset();
    r.metrics.clear();
    r.policy_path.clear();
    const std::string s = scx::report_json(r, false);
    assert_true(s.find("\"counters\":{}") != std::string::npos);
    assert_true(s.find("\"metrics\":{}") != std::string::npos);
    assert_true(s.find("\"policy_path\":null") != std::string::npos);
}

static void report_table__same_data__every_metric_and_the_exit(void **)
{
    const std::string t = scx::report_table(kernel_report());
    for (const char *want : {"fifo  (fifo.so)", "kernel 7.3.4, 2 CPUs, policy as nobody",
                             "stall: runnable task stall (x[1] failed to run for 2s)", "schedule_calls", "7\n",
                             "nr_user_dispatches", "100\n"})
        if (t.find(want) == std::string::npos) {
            print_error("%s not in\n%s\n", want, t.c_str());
            fail();
        }
}

static void exit_status__one_place(void **)
{
    assert_int_equal(scx::exit_status(scx::ExitKind::done), 0);
    assert_int_equal(scx::exit_status(scx::ExitKind::interrupted), 130);
    for (auto k : {scx::ExitKind::stall, scx::ExitKind::error, scx::ExitKind::crash, scx::ExitKind::hang,
                   scx::ExitKind::limit, scx::ExitKind::deadlock, scx::ExitKind::ejected, scx::ExitKind::sandbox,
                   scx::ExitKind::oom, scx::ExitKind::timeout, scx::ExitKind::exited})
        assert_int_equal(scx::exit_status(k), 1);
    assert_str_equal(scx::exit_kind_name(scx::ExitKind::oom), "oom");
    assert_str_equal(scx::exit_kind_name(scx::ExitKind::sandbox), "sandbox");
}

static void stats__json_line_and_text(void **)
{
    scx::StatsLine l;
    l.time_s = 1.5;
    l.counters.nr_running = 2;
    const std::string s = scx::stats_json(l);
    assert_true(s.find("\"type\":\"stats\"") != std::string::npos);
    assert_true(s.find("\"time_s\":1.5") != std::string::npos);
    assert_true(s.find("\"nr_running\":2") != std::string::npos);
    assert_true(scx::stats_text(l).find("running 2") != std::string::npos);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_json__kernel__run_schema_with_code_and_host),
        cmocka_unit_test(report_json__no_counters__empty_objects),
        cmocka_unit_test(report_table__same_data__every_metric_and_the_exit),
        cmocka_unit_test(exit_status__one_place),
        cmocka_unit_test(stats__json_line_and_text),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
