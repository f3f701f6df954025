// SPDX-License-Identifier: MIT
// The simulator's model of the Linux default scheduler (simulate_default):
// CPU shares follow the weights, a waking short task preempts a hog (on
// another CPU: at the hog's next return to user space), lag
// survives a short sleep (an under-served task is picked at once, one that
// overran comes back behind), load balancing evens out queues but cannot
// see a wake-up still on a CPU's wake list, the base
// slice scales with the CPUs, and the same seed gives the same result.
#include "sim/backend.hpp"
#include "sim/sim.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim_support.hpp"
#include "test.hpp"

namespace {

std::optional<scx::sim::Outcome> run(const std::optional<scx::sim::Workload> &w, const scx::sim::Options &o)
{
    if (!w)
        return std::nullopt;
    auto out = scx::sim::simulate_default(*w, o);
    if (!out)
        return std::nullopt;
    return *out;
}

const scx::sim::TaskStats *task(const scx::sim::Outcome &out, const char *comm)
{
    for (const auto &t : out.tasks)
        if (t.comm == comm)
            return &t;
    return nullptr;
}

std::string document(const scx::sim::Outcome &out, const scx::sim::Workload &w, const scx::sim::Options &o)
{
    return scx::report_json(scx::sim::outcome_report(out, w, o, "default", ""));
}

// Wake-up latencies per task (wake-up to running), the lag each wake-up
// placed the task with (insert events), the request sizes seen, and a
// digest of the whole event stream.
struct Recorder final : scx::sim::EventSink {
    std::map<std::int32_t, std::uint64_t> woke;
    std::map<std::int32_t, bool> placing;
    std::map<std::string, std::vector<std::uint64_t>> latency;
    std::map<std::string, std::vector<std::int64_t>> lag;
    std::vector<std::uint64_t> slices;
    std::map<std::string, std::vector<std::uint64_t>> ran; // runtime of each stint that ended in a preemption or expiry
    struct Seen {
        scx::sim::EventType type;
        std::uint64_t t;
        std::int32_t cpu;
        std::string comm;
    };
    std::vector<Seen> runs_and_exits;
    std::uint64_t digest = 1469598103934665603ULL;

    void clear()
    {
        runs_and_exits.clear();
        woke.clear();
        placing.clear();
        latency.clear();
        lag.clear();
        slices.clear();
        ran.clear();
        digest = 1469598103934665603ULL;
    }
    void on_event(const scx::sim::Event &e) override
    {
        for (std::uint64_t v : {static_cast<std::uint64_t>(e.type), static_cast<std::uint64_t>(e.cpu),
                                static_cast<std::uint64_t>(e.pid), e.t, e.a, e.b, e.c})
            digest = (digest ^ v) * 1099511628211ULL;
        if (e.type == scx::sim::EventType::wakeup && !e.a) {
            woke[e.pid] = e.t;
            placing[e.pid] = true;
        }
        if (e.type == scx::sim::EventType::insert) {
            slices.push_back(e.a);
            if (placing[e.pid]) {
                lag[e.comm].push_back(static_cast<std::int64_t>(e.c));
                placing[e.pid] = false;
            }
        }
        if (e.type == scx::sim::EventType::stop &&
            (static_cast<scx::sim::StopReason>(e.aux) == scx::sim::StopReason::expire ||
             static_cast<scx::sim::StopReason>(e.aux) == scx::sim::StopReason::preempt))
            ran[e.comm].push_back(e.a);
        if (e.type == scx::sim::EventType::run || e.type == scx::sim::EventType::exit)
            runs_and_exits.push_back(Seen{e.type, e.t, e.cpu, e.comm});
        if (e.type == scx::sim::EventType::run) {
            auto it = woke.find(e.pid);
            if (it != woke.end()) {
                latency[e.comm].push_back(e.t - it->second);
                woke.erase(it);
            }
        }
    }
    scx::Result<void> finish(std::uint64_t) override { return {}; }

    // The q-quantile of a task's wake-up latencies (0 when it never woke).
    std::uint64_t quantile(const std::string &comm, double q)
    {
        auto &v = latency[comm];
        if (v.empty())
            return 0;
        std::sort(v.begin(), v.end());
        return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
    }
    // ... of the lags its wake-ups placed it with.
    std::int64_t lag_quantile(const std::string &comm, double q)
    {
        auto &v = lag[comm];
        if (v.empty())
            return 0;
        std::sort(v.begin(), v.end());
        return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
    }
};
Recorder recorder;

// One CPU, a CPU hog and one more task with the given program steps.
std::string hog_and(const char *name, const char *steps, const char *extra = "")
{
    return std::string(R"({"schema": "scxkit.workload/1", "name": "eevdf", "duration": "2s", "tasks": [)"
                       R"({"name": "hog", "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]},)"
                       R"({"name": ")") +
           name + R"(", "program": [{"loop": "forever", "do": [)" + steps + "]}]}" + extra + "]}";
}

} // namespace

static void shares__nice0_and_nice5_hogs_one_cpu__cpu_time_follows_weights(void **)
{
    const auto o = options(1);
    const auto out = run(from_json(R"({"schema": "scxkit.workload/1", "name": "nice", "duration": "2s", "tasks": [
        {"name": "n0", "nice": 0, "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]},
        {"name": "n5", "nice": 5, "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]}]})",
                                   o),
                         o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    const auto *n0 = task(*out, "n0"), *n5 = task(*out, "n5");
    assert_true(n0 && n5);
    // sched_prio_to_weight: 1024 against 335; ticks (4 ms) quantise the split.
    const double ratio = static_cast<double>(n0->cpu_ns) / static_cast<double>(n5->cpu_ns);
    assert_close(ratio, 1024.0 / 335.0, 0.03 * 1024.0 / 335.0);
    assert_close(static_cast<double>(n0->cpu_ns + n5->cpu_ns), 2e9, 2e7);
}

static void shares__equal_hogs_two_cpus__fair_and_busy(void **)
{
    const auto o = options(2);
    const auto out = run(builtin("cpu:tasks=6,duration=1s", o), o);
    assert_true(out.has_value());
    assert_true(metric(*out, "fairness_jain") > 0.99);
    assert_true(metric(*out, "utilisation") > 0.99);
    assert_int_equal(metric(*out, "user_dispatches"), 0);
    assert_int_equal(metric(*out, "scheduler_runs"), 0);
}

static void preempt__short_task_wakes_beside_hog__runs_at_once(void **)
{
    auto o = options(1);
    o.sinks = {&recorder};
    recorder.clear();
    const auto out = run(from_json(hog_and("short", R"({"sleep": "10ms"}, {"run": "100us", "item": true})"), o), o);
    assert_true(out.has_value());
    const auto *s = task(*out, "short");
    assert_true(s && s->wakeups > 150);
    // The slice of the hog is 0.7 ms and its tick 4 ms: the short task gets
    // the CPU within a context switch (1.5 us) on nine wake-ups out of ten.
    assert_true(recorder.quantile("short", 0.9) < 50'000);
    assert_true(metric(*out, "preemptions") > 100);
}

// PREEMPT_LAZY: a wake-up on another CPU reschedules that CPU's task when
// the task next returns to user space - at the end of the system call it
// is in - or, computing in user space, at the next tick. (Without HRTICK:
// with it, the busy task has used its slice since it was picked whenever
// the short one wakes, and the enqueue reschedules it at once.)
namespace {

// CPU 1 runs `busies` "busy" tasks (in system calls of 300 us, or in user
// space); "waker" on CPU 0 wakes "short", on CPU 1, every 7 ms. The wake-up
// latencies of short (p50, p99) with the EEVDF tunables given; 0 when the
// run failed or short woke too rarely.
std::pair<std::uint64_t, std::uint64_t> remote_wakeup(const char *busy, const char *eevdf, int busies = 1)
{
    auto o = options(2);
    if (!scx::sim::set_eevdf_params(o.eevdf, eevdf).ok())
        return {0, 0};
    o.sinks = {&recorder};
    recorder.clear();
    const std::string w =
        std::string(R"({"schema": "scxkit.workload/1", "name": "lazy", "duration": "2s",
          "channels": [{"name": "sink", "kind": "queue", "capacity": 100000}, {"name": "ping", "kind": "queue"}],
          "tasks": [
            {"name": "busy", "count": )") + std::to_string(busies) + R"(, "cpus": [1], "program": [{"loop": "forever", "do": [)" +
        busy + R"(]}]},
            {"name": "waker", "cpus": [0], "program": [{"loop": "forever", "do": [{"sleep": "7ms"}, {"send": "ping"}]}]},
            {"name": "short", "cpus": [1], "program": [{"loop": "forever", "do": [{"recv": "ping"}, {"run": "50us"}]}]}]})";
    const auto out = run(from_json(w, o), o);
    const auto *s = out ? task(*out, "short") : nullptr;
    if (!s || s->wakeups < 200)
        return {0, 0};
    return {recorder.quantile("short", 0.5), recorder.quantile("short", 0.99)};
}

constexpr const char *IN_SYSCALL = R"({"send": "sink", "cost": "300us"})";
constexpr const char *IN_USER = R"({"run": "300us"})";

} // namespace

// PREEMPT_LAZY without HRTICK: the CPU that woke short sends no interrupt.
static void preempt__remote_wakeup_lazy__at_syscall_end_or_tick(void **)
{
    const auto [sys_p50, sys_p99] = remote_wakeup(IN_SYSCALL, "hrtick=0");
    const auto [user_p50, user_p99] = remote_wakeup(IN_USER, "hrtick=0");
    assert_true(sys_p99 > 0 && user_p99 > 0);
    // In a system call of 300 us: within it (plus a context switch).
    assert_true(sys_p99 < 320'000);
    // In user space: up to a tick (4 ms), 2 ms in the middle.
    assert_true(user_p50 > 1'000'000 && user_p99 > 3'000'000 && user_p99 < 4'100'000);
}

// With HRTICK the queue change re-arms CPU 1's timer by an IPI
// (hrtick_update), and a busy task in user space goes at that interrupt's
// return. Two busy tasks take turns, so the running one was picked less
// than a request ago (with one, the request since its pick is long used up
// and hrtick_update reschedules it outright).
static void preempt__remote_wakeup_lazy_hrtick__at_the_ipi(void **)
{
    const auto [p50, p99] = remote_wakeup(IN_USER, "hrtick=1", 2);
    const auto [tick_p50, tick_p99] = remote_wakeup(IN_USER, "hrtick=0", 2);
    assert_true(p99 > 0 && tick_p99 > 0);
    assert_true(p50 < 20'000);       // a context switch
    assert_true(tick_p50 > 300'000); // the next tick, or the other task's turn
}

// HRTICK: with another task queued, a slice ends when the task has run its
// request since it was picked (0.7 ms on one CPU), not at the next tick.
static void slice__hrtick__ends_at_the_request_not_the_tick(void **)
{
    for (const char *param : {"hrtick=1", "hrtick=0", "late", "tail"}) {
        auto o = options(1);
        const bool late = std::string(param) == "late", tail = std::string(param) == "tail";
        assert_true(scx::sim::set_eevdf_params(o.eevdf, late || tail ? "hrtick=1" : param).ok());
        if (late)
            o.machine.timer_ns = 100'000; // the timer fires 0.1 ms late
        if (tail) {
            // Its one CPU always busy: the timer fires 0 to 2 ms later still, every time.
            o.machine.timer_tail_pct = 100;
            o.machine.timer_tail_ns = 1'000'000;
        }
        o.sinks = {&recorder};
        recorder.clear();
        const auto out = run(builtin("cpu:tasks=2,duration=200ms", o), o);
        assert_true(out.has_value());
        auto &v = recorder.ran["cpu-hog"];
        assert_true(v.size() > 20);
        std::sort(v.begin(), v.end());
        const std::uint64_t p10 = v[v.size() / 10], p90 = v[v.size() * 9 / 10];
        if (std::string(param) == "hrtick=1")
            // The request, to the microsecond, less the switch before the
            // run (1.5 us), which the request pays: its clock starts at the pick.
            assert_true(p10 >= 698'000 && p90 <= 699'000);
        else if (late)
            assert_true(p10 >= 798'000 && p90 <= 799'000);
        else if (tail) {
            // The request and a uniform 0-2 ms, never less than the
            // request; a task the other one's overrun left behind is picked
            // again when the late timer fires and runs on to the tick.
            const std::uint64_t p50 = v[v.size() / 2];
            assert_true(v.front() >= 698'000 && p10 < 1'400'000);
            assert_true(p50 > 1'400'000 && p50 < 2'500'000 && p90 > 2'300'000);
        }
        else
            assert_true(p10 >= 3'000'000); // at a 4 ms tick
    }
    // A task woken beside one that used its slice since it was picked runs
    // at once (hrtick_update reschedules on the enqueue), even in a system
    // call of 300 us.
    auto o = options(2);
    o.sinks = {&recorder};
    recorder.clear();
    const auto out = run(from_json(R"({"schema": "scxkit.workload/1", "name": "hrtick", "duration": "2s",
        "channels": [{"name": "sink", "kind": "queue", "capacity": 100000}, {"name": "ping", "kind": "queue"}],
        "tasks": [
          {"name": "busy", "cpus": [1], "program": [{"loop": "forever", "do": [{"send": "sink", "cost": "300us"}]}]},
          {"name": "waker", "cpus": [0], "program": [{"loop": "forever", "do": [{"sleep": "7ms"}, {"send": "ping"}]}]},
          {"name": "short", "cpus": [1], "program": [{"loop": "forever", "do": [{"recv": "ping"}, {"run": "50us"}]}]}]})",
                                   o),
                         o);
    assert_true(out.has_value());
    assert_true(recorder.quantile("short", 0.5) < 20'000);
}

static void lag__light_sleeper__comes_back_ahead_and_runs_at_once(void **)
{
    for (const char *param : {"delay_dequeue=1", "delay_dequeue=0"}) {
        auto o = options(1);
        o.sinks = {&recorder};
        assert_true(scx::sim::set_eevdf_params(o.eevdf, param).ok());
        recorder.clear();
        const auto out = run(from_json(hog_and("light", R"({"run": "100us", "item": true}, {"sleep": "1ms"})"), o), o);
        assert_true(out.has_value());
        // It uses far less than its half of the CPU: it keeps the lag it
        // earned while it waited over its short sleeps, wakes up ahead of
        // the hog (positive lag) and preempts it.
        assert_true(recorder.lag["light"].size() > 1000);
        assert_true(recorder.lag_quantile("light", 0.5) > 0);
        assert_true(recorder.quantile("light", 0.9) < 50'000);
    }
}

static void lag__overrunning_sleeper__comes_back_behind(void **)
{
    for (const char *param : {"delay_dequeue=1", "delay_dequeue=0", "lazy_preempt=0"}) {
        auto o = options(1);
        o.sinks = {&recorder};
        assert_true(scx::sim::set_eevdf_params(o.eevdf, param).ok());
        // Its runs overrun the request up to the tick (with HRTICK they end
        // at the request and the debt it sleeps with is smaller).
        assert_true(scx::sim::set_eevdf_params(o.eevdf, "hrtick=0").ok());
        recorder.clear();
        const auto out = run(from_json(hog_and("heavy", R"({"run": "3500us", "item": true}, {"sleep": "500us"})"), o), o);
        assert_true(out.has_value());
        // It asks for 7/8 of a CPU it shares with a hog: it blocks owing
        // time, keeps that negative lag over its short sleep (in the queue
        // with DELAY_DEQUEUE, in its own record without) and waits for the
        // hog after most wake-ups.
        assert_true(recorder.lag["heavy"].size() > 200);
        assert_true(recorder.lag_quantile("heavy", 0.5) < -100'000);
        assert_true(recorder.quantile("heavy", 0.5) > 1'000'000);
    }
}

static void balance__three_hogs_two_cpus__take_turns(void **)
{
    const auto o = options(2);
    const auto out = run(builtin("cpu:tasks=3,duration=2s", o), o);
    assert_true(out.has_value());
    // Two hogs share a CPU, one has the other: the periodic balance of the
    // busy CPU below the average load moves one now and then.
    assert_true(metric(*out, "migrations") > 10);
    assert_true(metric(*out, "fairness_jain") > 0.97);
}

static void balance__cpu_runs_out_of_work__pulls_a_waiting_hog(void **)
{
    auto o = options(2);
    o.sinks = {&recorder};
    recorder.clear();
    // Tasks start on CPUs 0, 1, 0: the short one has CPU 1 to itself and
    // exits after 10 ms; CPU 1 at once takes the hog waiting on CPU 0
    // (newly idle balance), not at a later tick.
    const auto out = run(from_json(R"({"schema": "scxkit.workload/1", "name": "pull", "duration": "1s", "tasks": [
        {"name": "hog0", "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]},
        {"name": "short", "program": [{"run": "10ms"}]},
        {"name": "hog1", "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]}]})",
                                   o),
                         o);
    assert_true(out.has_value());
    const auto *h0 = task(*out, "hog0"), *h1 = task(*out, "hog1");
    assert_true(h0 && h1);
    assert_true(metric(*out, "migrations") >= 1);
    assert_true(h0->cpu_ns > 950'000'000 && h1->cpu_ns > 950'000'000);
    std::uint64_t exited = 0, pulled = 0;
    for (const auto &e : recorder.runs_and_exits) {
        if (e.type == scx::sim::EventType::exit && e.comm == "short")
            exited = e.t;
        else if (exited && !pulled && e.type == scx::sim::EventType::run && e.cpu == 1)
            pulled = e.t;
    }
    assert_true(exited > 0 && pulled > 0);
    assert_true(pulled - exited < 100'000); // a migration and a context switch
}

// TTWU_QUEUE: a message thread on CPU 1 wakes its two workers and blocks.
// The first goes to idle CPU 0's wake list; CPU 0 is then no longer idle,
// so the second joins it. CPU 1 goes idle before CPU 0 takes the IPI and
// queues them: its newly idle balance finds nothing to pull, and the second
// worker waits for the first's request (1.4 ms on 2 CPUs), as the kernel's
// traces show. Queued at once (ttwu_queue=0), it is pulled by the idle CPU.
static void balance__wake_list__hides_a_remote_wakeup_from_idle_balance(void **)
{
    std::uint64_t p90[2] = {0, 0};
    for (int queue = 0; queue < 2; queue++) {
        auto o = options(2);
        o.machine.wake_idle_ns = 20'000;
        assert_true(scx::sim::set_eevdf_params(o.eevdf, queue ? "ttwu_queue=1" : "ttwu_queue=0").ok());
        o.sinks = {&recorder};
        recorder.clear();
        const auto out = run(builtin("latency:groups=1,workers=2,duration=1s", o), o);
        assert_true(out.has_value());
        assert_true(recorder.latency["schbench-work"].size() > 200);
        p90[queue] = recorder.quantile("schbench-work", 0.9);
    }
    assert_true(p90[0] < 100'000);
    assert_true(p90[1] > 1'000'000);
}

static void slice__base_slice__scaled_by_cpus(void **)
{
    const std::pair<int, std::uint64_t> cases[] = {{1, 700'000}, {2, 1'400'000}, {4, 2'100'000}, {16, 2'800'000}};
    for (const auto &[cpus, slice] : cases) {
        auto o = options(cpus);
        o.sinks = {&recorder};
        recorder.clear();
        const auto out = run(builtin("cpu:duration=20ms", o), o);
        assert_true(out.has_value());
        assert_false(recorder.slices.empty());
        for (std::uint64_t s : recorder.slices)
            assert_int_equal(s, slice);
    }
    auto o = options(2);
    o.sinks = {&recorder};
    assert_true(scx::sim::set_eevdf_params(o.eevdf, "base_slice_ns=750us,scale_slice=0").ok());
    recorder.clear();
    assert_true(run(builtin("cpu:duration=20ms", o), o).has_value());
    assert_int_equal(recorder.slices.at(0), 750'000);
}

static void params__bad_key_or_value__usage_error(void **)
{
    scx::sim::EevdfParams p;
    assert_false(scx::sim::set_eevdf_param(p, "nope", "1").ok());
    assert_false(scx::sim::set_eevdf_param(p, "lazy_preempt", "2").ok());
    assert_false(scx::sim::set_eevdf_params(p, "base_slice_ns").ok());
    assert_true(scx::sim::set_eevdf_params(p, "migration_cost_ns=1ms,busy_factor=8").ok());
    assert_int_equal(p.migration_cost_ns, 1'000'000);
    assert_int_equal(p.busy_factor, 8);
    assert_int_equal(scx::sim::eevdf_params(p).size(), 10);
    assert_false(scx::sim::set_eevdf_param(p, "hrtick", "2").ok());
    assert_true(scx::sim::set_eevdf_params(p, "hrtick=0").ok());
    assert_int_equal(p.hrtick, 0);
}

static void run__same_seed__identical_documents_and_events(void **)
{
    auto o = options(4);
    o.sinks = {&recorder};
    const auto w = builtin("messaging:groups=2,loops=20", o);
    assert_true(w.has_value());
    recorder.clear();
    const auto a = run(w, o);
    const std::uint64_t digest = recorder.digest;
    recorder.clear();
    const auto b = run(w, o);
    assert_true(a && b);
    assert_int_equal(static_cast<int>(a->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    assert_int_equal(metric(*a, "work_items"), 2 * 20 * 20 * 20);
    assert_str_equal(document(*a, *w, o), document(*b, *w, o));
    assert_int_equal(recorder.digest, digest);
    o.sinks.clear(); // watching it does not change it
    const auto quiet = run(w, o);
    assert_true(quiet.has_value());
    assert_str_equal(document(*a, *w, o), document(*quiet, *w, o));
    o.seed = 2;
    const auto c = run(w, o);
    assert_true(c.has_value());
    assert_true(document(*a, *w, o) != document(*c, *w, o));
}

static void run__every_builtin__finishes_with_migrations_and_preemptions(void **)
{
    const char *specs[] = {"messaging:groups=2,loops=20", "messaging:groups=2,loops=20,thread=1,pipe=1",
                           "cpu:duration=200ms", "latency:duration=200ms", "interactive:duration=200ms", "fork"};
    std::uint64_t migrations = 0, preemptions = 0;
    for (const char *spec : specs) {
        const auto o = options(4);
        const auto out = run(builtin(spec, o), o);
        assert_true(out.has_value());
        assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
        assert_true(metric(*out, "work_items") > 0);
        migrations += static_cast<std::uint64_t>(metric(*out, "migrations"));
        preemptions += static_cast<std::uint64_t>(metric(*out, "preemptions"));
    }
    assert_true(migrations > 0);
    assert_true(preemptions > 0);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shares__nice0_and_nice5_hogs_one_cpu__cpu_time_follows_weights),
        cmocka_unit_test(shares__equal_hogs_two_cpus__fair_and_busy),
        cmocka_unit_test(preempt__short_task_wakes_beside_hog__runs_at_once),
        cmocka_unit_test(preempt__remote_wakeup_lazy__at_syscall_end_or_tick),
        cmocka_unit_test(preempt__remote_wakeup_lazy_hrtick__at_the_ipi),
        cmocka_unit_test(slice__hrtick__ends_at_the_request_not_the_tick),
        cmocka_unit_test(lag__light_sleeper__comes_back_ahead_and_runs_at_once),
        cmocka_unit_test(lag__overrunning_sleeper__comes_back_behind),
        cmocka_unit_test(balance__three_hogs_two_cpus__take_turns),
        cmocka_unit_test(balance__cpu_runs_out_of_work__pulls_a_waiting_hog),
        cmocka_unit_test(balance__wake_list__hides_a_remote_wakeup_from_idle_balance),
        cmocka_unit_test(slice__base_slice__scaled_by_cpus),
        cmocka_unit_test(params__bad_key_or_value__usage_error),
        cmocka_unit_test(run__same_seed__identical_documents_and_events),
        cmocka_unit_test(run__every_builtin__finishes_with_migrations_and_preemptions),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
