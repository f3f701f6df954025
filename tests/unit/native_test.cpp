// SPDX-License-Identifier: MIT
// Native workloads: specs read as the simulator reads them, the command
// lines and metrics the kernel backend gets, the histogram binned as the
// simulator's, the busy loop, and small real runs.
#include "base/clock.hpp"
#include "base/strformat.hpp"
#include "native/run.hpp"
#include "native/shared.hpp"
#include "native/spec.hpp"
#include "native/spin.hpp"
#include "native/workload.hpp"
#include "sim/metrics.hpp"

#include "test.hpp"

#include <cstdlib>

using namespace scx::native;

namespace {

std::string resolved(const Workload &w)
{
    std::string s;
    for (const auto &[k, v] : w.resolved)
        s += (s.empty() ? "" : ",") + k + "=" + v;
    return s;
}

// The error message of a spec that must be refused as a usage error.
std::string refusal(const char *spec)
{
    auto w = parse_workload(spec, 4);
    assert_false(w.ok());
    assert_int_equal(static_cast<int>(w.error().exit), 64);
    return w.error().message;
}

void parse_workload__defaults__the_simulators_for_the_cpus(void **)
{
    auto cpu = parse_workload("cpu", 4);
    assert_true(cpu.ok());
    assert_str_equal(resolved(*cpu), "tasks=8,duration=1s,nice=0");
    assert_str_equal(cpu->throughput_unit, "work-ms/s");
    assert_true(cpu->timed);
    auto lat = parse_workload("latency", 3);
    assert_true(lat.ok());
    assert_str_equal(resolved(*lat), "groups=2,workers=3,work=2ms,think=5ms,duration=1s");
    auto ia = parse_workload("interactive", 2);
    assert_true(ia.ok());
    assert_str_equal(resolved(*ia), "tasks=4,hogs=2,burst=1ms,period=10ms,duration=1s");
    auto fork = parse_workload("fork", 6);
    assert_true(fork.ok());
    assert_str_equal(resolved(*fork), "jobs=64,parallel=6,levels=4,work=20ms,io=1ms,chunks=4");
    assert_false(fork->timed);
    assert_str_equal(fork->throughput_unit, "jobs/s");
}

void parse_workload__values__units_and_lists(void **)
{
    auto w = parse_workload("cpu:tasks=3,duration=1.5s,nice=0/5/-5", 2);
    assert_true(w.ok());
    const auto &p = std::get<CpuParams>(w->params);
    assert_int_equal(p.tasks, 3);
    assert_int_equal(p.duration_ns, 1'500'000'000);
    assert_int_equal(p.nice.size(), 3);
    assert_int_equal(p.nice[2], -5);
    assert_str_equal(resolved(*w), "tasks=3,duration=1500ms,nice=0/5/-5");
    // A plain number is nanoseconds, as in the simulator (not seconds, as
    // in options); the last of a repeated key wins.
    auto l = parse_workload("latency:work=250us,think=500,work=3ms", 2);
    assert_true(l.ok());
    assert_int_equal(std::get<LatencyParams>(l->params).work_ns, 3'000'000);
    assert_int_equal(std::get<LatencyParams>(l->params).think_ns, 500);
    auto i = parse_workload("interactive:hogs=0", 2);
    assert_true(i.ok());
    assert_int_equal(std::get<InteractiveParams>(i->params).hogs, 0);
}

void parse_workload__bad_specs__usage_errors_that_say_why(void **)
{
    assert_str_equal(refusal("cpu:tasks=0"),
                     "invalid value '0' for cpu parameter tasks (an integer from 1 to 100000)");
    assert_str_equal(refusal("cpu:taks=3"), "unknown parameter 'taks' for workload cpu (known: tasks, duration, nice)");
    assert_str_equal(refusal("latency:work=0"),
                     "invalid value '0' for latency parameter work (a duration above zero such as 250us, 10ms, 1.5s)");
    assert_non_null(std::strstr(refusal("interactive:period=soon").c_str(), "invalid value 'soon'"));
    assert_str_equal(refusal("cpu:nice=0/20"),
                     "invalid value '0/20' for cpu parameter nice (integers from -20 to 19 separated by '/')");
    assert_str_equal(refusal("fork:jobs=2,levels=3"), "fork: levels must not exceed jobs");
    assert_non_null(std::strstr(refusal("cpu:tasks").c_str(), "is not key=value"));
    assert_non_null(std::strstr(refusal("nope").c_str(), "unknown workload 'nope' (native workloads: cpu, latency, "
                                                         "interactive, fork"));
    assert_non_null(std::strstr(refusal("messaging:groups=2").c_str(), "scx-messaging"));
    assert_non_null(std::strstr(refusal("").c_str(), "no workload named"));
}

void native_workload_program__each_workload__its_tool(void **)
{
    assert_str_equal(*native_workload_program("messaging:groups=2"), "scx-messaging");
    for (const char *w : {"cpu", "latency:workers=2", "interactive", "fork:jobs=3"})
        assert_str_equal(*native_workload_program(w), "scx-workload");
    auto bad = native_workload_program("nope");
    assert_false(bad.ok());
    assert_int_equal(static_cast<int>(bad.error().exit), 64);
}

void native_workload_command__every_workload__its_command_line(void **)
{
    setenv("SCX_WORKLOAD", "/opt/scx-workload", 1);
    setenv("SCX_MESSAGING", "/opt/scx-messaging", 1);
    auto c = native_workload_command("cpu:tasks=3,duration=250ms");
    assert_true(c.ok());
    assert_str_equal(scx::join(*c), "/opt/scx-workload --json cpu:tasks=3,duration=250ms");
    auto f = native_workload_command("fork");
    assert_true(f.ok());
    assert_str_equal(scx::join(*f), "/opt/scx-workload --json fork");
    auto m = native_workload_command("messaging:groups=2,thread=1");
    assert_true(m.ok());
    assert_str_equal(scx::join(*m), "/opt/scx-messaging --json -g 2 -t");
    // Refused before anything runs, with scx-workload's reason.
    auto bad = native_workload_command("latency:workers=0");
    assert_false(bad.ok());
    assert_int_equal(static_cast<int>(bad.error().exit), 64);
    assert_non_null(std::strstr(bad.error().message.c_str(), "latency parameter workers"));
    assert_false(native_workload_command("nope").ok());
    // The two-argument form stays messaging's (scx-bench --workload).
    assert_false(native_workload_command("cpu", "/opt/scx-messaging").ok());
    unsetenv("SCX_WORKLOAD");
    unsetenv("SCX_MESSAGING");
}

void native_workload_metrics__messaging__time_and_throughput(void **)
{
    auto m = native_workload_metrics(
        "messaging:groups=1",
        R"({"schema":"scxkit.messaging/1","groups":1,"messages":4000,"duration_s":[0.5,0.7]})");
    assert_true(m.ok());
    assert_int_equal(m->size(), 4);
    assert_str_equal((*m)[0].name, "messaging_s");
    assert_close((*m)[0].value, 0.5, 0);
    assert_str_equal((*m)[1].name, "makespan_s");
    assert_str_equal((*m)[2].name, "throughput");
    assert_close((*m)[2].value, 8000, 1e-9);
    assert_str_equal((*m)[3].name, "work_items");
    assert_true((*m)[3].integer);
    // With the context switches (the first run's), three more metrics.
    m = native_workload_metrics("messaging:groups=1",
                                R"({"schema":"scxkit.messaging/1","groups":1,"messages":4000,"duration_s":[0.5,0.7],)"
                                R"("voluntary_switches":[120,90],"involuntary_switches":[7,9]})");
    assert_true(m.ok());
    assert_int_equal(m->size(), 7);
    assert_str_equal((*m)[4].name, "context_switches");
    assert_close((*m)[4].value, 127, 0);
    assert_str_equal((*m)[5].name, "voluntary_switches");
    assert_close((*m)[5].value, 120, 0);
    assert_str_equal((*m)[6].name, "involuntary_switches");
    assert_close((*m)[6].value, 7, 0);
    assert_true((*m)[6].integer);
    // With the tasks' CPU time (the first run's), makespan_cpu_s, in seconds.
    m = native_workload_metrics("messaging:groups=1",
                                R"({"schema":"scxkit.messaging/1","groups":1,"messages":4000,"duration_s":[0.5,0.7],)"
                                R"("voluntary_switches":[120,90],"involuntary_switches":[7,9],"cpu_s":[0.75,0.9]})");
    assert_true(m.ok());
    assert_int_equal(m->size(), 8);
    assert_str_equal((*m)[7].name, "makespan_cpu_s");
    assert_close((*m)[7].value, 0.75, 0);
    assert_false((*m)[7].integer);
    // native_workload_time() reads the same document.
    assert_close(*native_workload_time(R"({"schema":"scxkit.messaging/1","duration_s":[0.5]})"), 0.5, 0);
}

void native_workload_metrics__native_document__every_metric_by_name(void **)
{
    const char *doc = R"({"schema":"scxkit.native/1","workload":{"name":"latency"},
        "metrics":{"makespan_s":1.0,"throughput":250.5,"work_items":250,"wakeup_latency_p99_ns":40960}})";
    auto m = native_workload_metrics("latency:workers=2", doc);
    assert_true(m.ok());
    assert_int_equal(m->size(), 4);
    assert_str_equal((*m)[1].name, "throughput");
    assert_close((*m)[1].value, 250.5, 0);
    assert_false((*m)[1].integer);
    assert_str_equal((*m)[3].name, "wakeup_latency_p99_ns");
    assert_close((*m)[3].value, 40960, 0);
    assert_true((*m)[3].integer);
    // The name alone is enough.
    assert_true(native_workload_metrics("latency", doc).ok());
}

void native_workload_metrics__wrong_output__data_errors(void **)
{
    const char *cases[][2] = {
        {"cpu", R"({"schema":"scxkit.native/1","workload":{"name":"latency"},"metrics":{"tasks":1}})"},
        {"cpu", R"({"schema":"scxkit.native/2","workload":{"name":"cpu"},"metrics":{"tasks":1}})"},
        {"cpu", R"({"schema":"scxkit.native/1","workload":{"name":"cpu"},"metrics":{}})"},
        {"cpu", R"({"schema":"scxkit.native/1","workload":{"name":"cpu"},"metrics":{"tasks":"3"}})"},
        {"cpu", "0.25\n"},
        {"messaging", R"({"schema":"scxkit.native/1","workload":{"name":"cpu"},"metrics":{"tasks":1}})"},
    };
    for (const auto &c : cases) {
        auto m = native_workload_metrics(c[0], c[1]);
        assert_false(m.ok());
        assert_int_equal(static_cast<int>(m.error().exit), 65);
    }
    auto other = native_workload_metrics("cpu", cases[0][1]);
    assert_str_equal(other.error().message, "scx-workload output is for workload 'latency', not 'cpu'");
    assert_int_equal(static_cast<int>(native_workload_metrics("nope", "{}").error().exit), 64);
}

LatencyHistogram *hist; // large: on the heap, made by the fixture

int make_hist(void **)
{
    hist = new LatencyHistogram();
    return 0;
}

int free_hist(void **)
{
    delete hist;
    return 0;
}

void latency_histogram__same_samples__the_simulators_quantiles(void **)
{
    scx::sim::detail::Histogram sim;
    std::uint64_t x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint64_t v = (x >> 33) % (i % 7 == 0 ? 50'000'000 : 200'000); // a long tail
        sim.add(v);
        hist->add(v);
    }
    hist->add(3);
    sim.add(3);
    assert_int_equal(hist->count(), sim.count());
    assert_int_equal(hist->max(), sim.max());
    assert_int_equal(hist->sum(), sim.sum());
    for (double q : {0.0, 0.001, 0.5, 0.9, 0.99, 0.999, 1.0})
        assert_int_equal(hist->quantile(q), sim.quantile(q));
}

void spinner__two_ms__uses_two_ms_of_cpu(void **)
{
    const Spinner s = Spinner::calibrate();
    assert_true(s.loops_per_us() > 0);
    const std::uint64_t t0 = scx::thread_cpu_ns();
    assert_true(s.spin(2'000'000, 0));
    const std::uint64_t used = scx::thread_cpu_ns() - t0;
    // CPU time, not wall time: a loaded machine slows it, not this figure.
    assert_true(used >= 2'000'000);
    assert_true(used < 2'000'000 + 20'000'000);
    // A deadline already past stops it at once.
    assert_false(s.spin(1'000'000'000, scx::monotonic_ns()));
}

// A real run, in this process's children, read back as the kernel backend
// reads scx-workload's output.
void run__small_cpu__report_and_metrics_round_trip(void **)
{
    auto w = parse_workload("cpu:tasks=2,duration=30ms,nice=0/3", 2);
    assert_true(w.ok());
    auto r = run(*w, 2, RunOptions{});
    assert_true(r.ok());
    assert_int_equal(r->tasks.size(), 2);
    assert_str_equal(r->tasks[0].role, "hog");
    assert_int_equal(r->tasks[1].nice, 3);
    assert_true(r->tasks[0].pid != r->tasks[1].pid);
    assert_int_equal(r->roles.size(), 1);
    assert_int_equal(r->roles[0].tasks, 2);
    auto m = native_workload_metrics("cpu", report_json(*r, false));
    assert_true(m.ok());
    assert_int_equal(m->size(), r->metrics.size());
    for (std::size_t i = 0; i < m->size(); i++) {
        assert_str_equal((*m)[i].name, r->metrics[i].name);
        assert_true((*m)[i].integer == r->metrics[i].integer);
    }
    assert_str_equal((*m)[0].name, "makespan_s");
    assert_close((*m)[0].value, 0.03, 1e-12);
}

void run__small_latency_and_fork__their_tasks(void **)
{
    auto l = parse_workload("latency:groups=2,workers=2,work=200us,think=500us,duration=40ms", 2);
    assert_true(l.ok());
    auto lr = run(*l, 2, RunOptions{});
    assert_true(lr.ok());
    assert_int_equal(lr->tasks.size(), 6);
    assert_str_equal(lr->tasks[0].role, "message");
    assert_str_equal(lr->tasks[1].role, "worker");
    assert_int_equal(lr->tasks[1].pid, lr->tasks[0].pid); // threads of the group's process
    assert_true(lr->tasks[3].pid != lr->tasks[0].pid);
    assert_int_equal(lr->processes, 2);
    auto f = parse_workload("fork:jobs=4,levels=2,parallel=2,work=1ms,io=100us,chunks=2", 2);
    assert_true(f.ok());
    auto fr = run(*f, 2, RunOptions{});
    assert_true(fr.ok());
    assert_int_equal(fr->tasks.size(), 5);
    assert_str_equal(fr->tasks[0].role, "make");
    for (std::size_t i = 1; i < 5; i++) {
        assert_int_equal(fr->tasks[i].items, 1);
        assert_int_equal(fr->tasks[i].wakeups, 2); // one per I/O wait
    }
}

} // namespace

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_workload__defaults__the_simulators_for_the_cpus),
        cmocka_unit_test(parse_workload__values__units_and_lists),
        cmocka_unit_test(parse_workload__bad_specs__usage_errors_that_say_why),
        cmocka_unit_test(native_workload_program__each_workload__its_tool),
        cmocka_unit_test(native_workload_command__every_workload__its_command_line),
        cmocka_unit_test(native_workload_metrics__messaging__time_and_throughput),
        cmocka_unit_test(native_workload_metrics__native_document__every_metric_by_name),
        cmocka_unit_test(native_workload_metrics__wrong_output__data_errors),
        cmocka_unit_test_setup_teardown(latency_histogram__same_samples__the_simulators_quantiles, make_hist, free_hist),
        cmocka_unit_test(spinner__two_ms__uses_two_ms_of_cpu),
        cmocka_unit_test(run__small_cpu__report_and_metrics_round_trip),
        cmocka_unit_test(run__small_latency_and_fork__their_tasks),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
