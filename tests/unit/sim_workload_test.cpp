// SPDX-License-Identifier: MIT
// Naming and building workloads, machine parameters, latency histograms.
#include "sim/sim.hpp"

#include <string>

#include "sim/metrics.hpp"
#include "test.hpp"

namespace {

scx::sim::Machine machine(int cpus)
{
    scx::sim::Machine m;
    m.cpus = cpus;
    return m;
}

int load_error(const char *spec, std::string *message = nullptr)
{
    auto s = scx::sim::parse_workload_spec(spec);
    if (!s) {
        if (message)
            *message = s.error().message;
        return static_cast<int>(s.error().exit);
    }
    auto w = scx::sim::load_workload(*s, machine(4));
    if (w)
        return 0;
    if (message)
        *message = w.error().message;
    return static_cast<int>(w.error().exit);
}

int json_error(const char *text, std::string *message)
{
    auto w = scx::sim::parse_workload(text, "w.json", machine(2));
    if (w)
        return 0;
    *message = w.error().message;
    return static_cast<int>(w.error().exit);
}

std::string param(const scx::sim::Workload &w, const char *key)
{
    for (const auto &[k, v] : w.params())
        if (k == key)
            return v;
    return "";
}

} // namespace

static void spec__builtin_with_params__parsed(void **)
{
    auto s = scx::sim::parse_workload_spec("messaging:groups=2,loops=10");
    assert_true(s.ok());
    assert_str_equal(s->name, "messaging");
    assert_int_equal(s->params.size(), 2);
    assert_str_equal(s->params[1].first, "loops");
    assert_str_equal(s->params[1].second, "10");
    // A '/' inside a parameter does not make it a file.
    auto n = scx::sim::parse_workload_spec("cpu:nice=0/5");
    assert_true(n.ok());
    assert_str_equal(n->name, "cpu");
    auto f = scx::sim::parse_workload_spec("dir/w.json");
    assert_true(f.ok());
    assert_str_equal(f->path, "dir/w.json");
}

static void spec__bad__usage_errors_that_explain(void **)
{
    std::string msg;
    assert_int_equal(load_error("nope", &msg), 64);
    assert_non_null(std::strstr(msg.c_str(), "messaging, cpu, latency, interactive, fork"));
    assert_int_equal(load_error("messaging:groups", &msg), 64);
    assert_non_null(std::strstr(msg.c_str(), "key=value"));
    assert_int_equal(load_error("messaging:grups=2", &msg), 64);
    assert_non_null(std::strstr(msg.c_str(), "unknown parameter 'grups'"));
    assert_non_null(std::strstr(msg.c_str(), "groups"));
    assert_int_equal(load_error("messaging:groups=0", &msg), 64);
    assert_int_equal(load_error("cpu:duration=soon", &msg), 64);
    assert_int_equal(load_error("cpu:nice=0/50", &msg), 64);
    assert_int_equal(load_error("missing/w.json", &msg), 66);
}

static void builtin__defaults__recorded_in_params(void **)
{
    auto s = scx::sim::parse_workload_spec("messaging");
    assert_true(s.ok());
    auto w = scx::sim::load_workload(*s, machine(4));
    assert_true(w.ok());
    assert_str_equal(param(*w, "groups"), "10");
    assert_str_equal(param(*w, "loops"), "100");
    assert_str_equal(param(*w, "pipe"), "0");
    assert_str_equal(w->throughput_unit(), "messages/s");
    assert_int_equal(w->nr_tasks(), 10 * 40 + 1);
    auto c = scx::sim::parse_workload_spec("cpu:duration=250ms");
    auto cw = scx::sim::load_workload(*c, machine(3));
    assert_true(cw.ok());
    assert_str_equal(param(*cw, "tasks"), "6"); // twice the CPUs
    assert_str_equal(param(*cw, "duration"), "250ms");
    for (const auto &b : scx::sim::builtin_workloads())
        assert_int_equal(load_error(b.name), 0);
}

static void json__valid_file__built(void **)
{
    auto w = scx::sim::parse_workload(R"({"schema": "scxkit.workload/1", "name": "ring", "duration": "1s",
        "throughput_unit": "laps/s",
        "channels": [{"name": "c", "kind": "socket", "count": 3}],
        "gates": ["go"],
        "tasks": [{"name": "node", "count": 3, "nice": -5, "cpus": "0-1", "threads": true,
                   "program": [{"wait_gate": "go"}, {"loop": "forever", "do": [{"recv": "c[$i]", "item": true},
                                                                              {"run": {"uniform": ["1us", "2us"]}}]}]},
                  {"name": "starter", "program": [{"open_gate": "go"},
                                                  {"loop": 3, "do": [{"send": "c[$0]"}]},
                                                  {"spawn": "helper"}, {"wait": "children"}, {"sleep": {"exp": "1ms"}}]},
                  {"name": "helper", "start": "spawn", "program": [{"run": 1000}]}]})",
                                      "ring.json", machine(2));
    if (!w)
        fail_msg("%s", w.error().message.c_str());
    assert_str_equal(w->name(), "ring");
    assert_str_equal(w->throughput_unit(), "laps/s");
    assert_int_equal(w->nr_tasks(), 5);
}

static void json__mistakes__data_errors_with_location(void **)
{
    std::string msg;
    assert_int_equal(json_error("{", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "w.json:1:"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/2", "tasks": []})", &msg), 65);
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"jump": 1}]}]})", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "tasks[0].program[0]: unknown op 'jump'"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "channels": [{"name": "c", "count": 2}],
        "tasks": [{"name": "t", "count": 3, "program": [{"send": "c[$i]"}]}]})", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "can reach index 2"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "tasks": [{"name": "t", "cpus": [5], "program": []}]})", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "CPU 5 does not exist"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"loop": "forever", "do": [{"mark": "start"}]}]}]})", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "zero time"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"run": "fast"}]}]})", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "invalid duration 'fast'"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"recv": "x"}]}]})", &msg), 65);
    assert_non_null(std::strstr(msg.c_str(), "unknown channel 'x'"));
    assert_int_equal(json_error(R"({"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"spawn": "t"}]}]})", &msg), 65);
}

static void machine__params__set_by_name_or_refused(void **)
{
    scx::sim::Machine m;
    assert_true(scx::sim::set_machine_params(m, "smt=2,hz=1000,cs_ns=1.5us,ring=64").ok());
    assert_int_equal(m.smt, 2);
    assert_int_equal(m.hz, 1000);
    assert_int_equal(m.cs_ns, 1500);
    assert_int_equal(m.ring, 64);
    auto bad = scx::sim::set_machine_params(m, "warp=9");
    assert_false(bad.ok());
    assert_int_equal(static_cast<int>(bad.error().exit), 64);
    assert_non_null(std::strstr(bad.error().message.c_str(), "hop_ns"));
    assert_false(scx::sim::set_machine_params(m, "hz=0").ok());
    assert_false(scx::sim::set_machine_params(m, "smt").ok());
    bool seen = false;
    for (const auto &[k, v] : scx::sim::machine_params(m))
        seen = seen || (k == "ring" && v == 64);
    assert_true(seen);
}

static void histogram__quantiles__within_half_a_percent(void **)
{
    scx::sim::detail::Histogram h;
    for (std::uint64_t v = 1; v <= 100000; v++)
        h.add(v * 10);
    assert_int_equal(h.count(), 100000);
    assert_int_equal(h.max(), 1000000);
    const double p50 = static_cast<double>(h.quantile(0.5)), p99 = static_cast<double>(h.quantile(0.99));
    assert_true(p50 > 500000 * 0.995 && p50 < 500000 * 1.005);
    assert_true(p99 > 990000 * 0.995 && p99 < 990000 * 1.005);
    assert_int_equal(h.quantile(1.0), 1000000);
    scx::sim::detail::Histogram empty;
    assert_int_equal(empty.quantile(0.99), 0);
    scx::sim::detail::Histogram small;
    small.add(3);
    small.add(7);
    assert_int_equal(small.quantile(0.5), 3); // exact below 128 ns
}

static void fairness__jain__equal_shares_one_unequal_less(void **)
{
    std::vector<scx::sim::TaskStats> t(2);
    t[0].cpu_ns = t[1].cpu_ns = 50;
    t[0].wait_ns = t[1].wait_ns = 50;
    assert_true(scx::sim::detail::jain_fairness(t) > 0.9999);
    t[1].cpu_ns = 10;
    t[1].wait_ns = 90;
    assert_true(scx::sim::detail::jain_fairness(t) < 0.75);
    // Weight 200 deserves twice the share of weight 100.
    t[0].weight = 200;
    t[0].cpu_ns = 2;
    t[0].wait_ns = 1;
    t[1].weight = 100;
    t[1].cpu_ns = 1;
    t[1].wait_ns = 2;
    assert_true(scx::sim::detail::jain_fairness(t) > 0.9999);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec__builtin_with_params__parsed),
        cmocka_unit_test(spec__bad__usage_errors_that_explain),
        cmocka_unit_test(builtin__defaults__recorded_in_params),
        cmocka_unit_test(json__valid_file__built),
        cmocka_unit_test(json__mistakes__data_errors_with_location),
        cmocka_unit_test(machine__params__set_by_name_or_refused),
        cmocka_unit_test(histogram__quantiles__within_half_a_percent),
        cmocka_unit_test(fairness__jain__equal_shares_one_unequal_less),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
