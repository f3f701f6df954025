// SPDX-License-Identifier: MIT
// The simulator engine: channel semantics, messaging counts, slices, the
// watchdog, dispatch rules, failures and determinism.
#include "base/json.hpp"
#include <scx/loader.hpp>
#include "sim/backend.hpp"
#include "sim/sim.hpp"

#include <memory>
#include <string>
#include <vector>

#include "sim_support.hpp"
#include "test.hpp"

namespace {

std::unique_ptr<scx::LoadedPolicy> fifo, never, throws, bad_dispatch;

std::unique_ptr<scx::LoadedPolicy> load(const std::string &path)
{
    auto lp = scx::LoadedPolicy::open(path);
    if (!lp)
        return nullptr;
    return std::make_unique<scx::LoadedPolicy>(std::move(lp).value());
}

std::optional<scx::sim::Outcome> run(scx::LoadedPolicy &p, const std::optional<scx::sim::Workload> &w,
                                     const scx::sim::Options &o)
{
    if (!w)
        return std::nullopt;
    auto out = scx::sim::simulate(p, *w, o);
    if (!out)
        return std::nullopt;
    return *out;
}

const scx::sim::ChannelStats *channel(const scx::sim::Outcome &out, const char *name)
{
    for (const auto &c : out.channels)
        if (c.name == name)
            return &c;
    return nullptr;
}

const scx::sim::TaskStats *task(const scx::sim::Outcome &out, const char *comm)
{
    for (const auto &t : out.tasks)
        if (t.comm == comm)
            return &t;
    return nullptr;
}

// Keeps the events a test looks at.
struct Recorder final : scx::sim::EventSink {
    struct Stop {
        std::int32_t pid;
        std::uint64_t t, ran;
        scx::sim::StopReason why;
    };
    std::vector<Stop> stops;
    void on_event(const scx::sim::Event &e) override
    {
        if (e.type == scx::sim::EventType::stop)
            stops.push_back(Stop{e.pid, e.t, e.a, static_cast<scx::sim::StopReason>(e.aux)});
    }
    scx::Result<void> finish(std::uint64_t) override { return {}; }
};
Recorder recorder;

std::string document(const scx::sim::Outcome &out, const scx::sim::Workload &w, const scx::sim::Options &o)
{
    return scx::report_json(scx::sim::outcome_report(out, w, o, "fifo", "fifo.so"));
}

} // namespace

static int setup(void **)
{
    const std::string dir = env_path("SCX_TEST_POLICIES");
    fifo = load(env_path("SCX_FIFO_SO"));
    never = load(dir + "/never_dispatches.so");
    throws = load(dir + "/throws.so");
    bad_dispatch = load(dir + "/bad_dispatch.so");
    return fifo && never && throws && bad_dispatch ? 0 : -1;
}

static int teardown(void **)
{
    fifo.reset();
    never.reset();
    throws.reset();
    bad_dispatch.reset();
    return 0;
}

static void messaging__sockets__each_receiver_gets_fds_times_loops(void **)
{
    const auto o = options(4);
    const auto out = run(*fifo, builtin("messaging:groups=2,loops=7", o), o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    std::uint64_t total = 0;
    for (const auto &c : out->channels) {
        if (c.name == "ready")
            continue;
        assert_int_equal(c.received, 20 * 7);
        assert_int_equal(c.sent, 20 * 7);
        assert_true(c.max_fill <= 278);
        total += c.received;
    }
    assert_int_equal(total, 2 * 400 * 7);
    assert_int_equal(metric(*out, "work_items"), 2 * 400 * 7);
    assert_int_equal(channel(*out, "ready")->received, 80);
    for (const auto &t : out->tasks)
        assert_true(t.exited);
}

static void messaging__pipes_threads__same_counts(void **)
{
    const auto o = options(3);
    const auto out = run(*fifo, builtin("messaging:groups=3,loops=5,pipe=1,thread=1", o), o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    assert_int_equal(metric(*out, "work_items"), 3 * 400 * 5);
    assert_int_equal(channel(*out, "g2.r19")->received, 100);
    assert_true(metric(*out, "makespan_s") > 0);
}

static void channel__full__writer_blocks_until_reader_reads(void **)
{
    // Room for 2 messages; the reader starts reading after 10 ms.
    const auto o = options(2);
    const auto out = run(*fifo, from_json(R"({"schema": "scxkit.workload/1",
        "channels": [{"name": "c", "kind": "queue", "capacity": 2}],
        "tasks": [{"name": "writer", "program": [{"loop": 5, "do": [{"send": "c", "cost": "1us"}]}]},
                  {"name": "reader", "program": [{"sleep": "10ms"},
                                                 {"loop": 5, "do": [{"recv": "c", "cost": "1us"}]}]}]})", o),
                         o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    assert_int_equal(channel(*out, "c")->max_fill, 2);
    assert_int_equal(channel(*out, "c")->received, 5);
    assert_true(task(*out, "writer")->exit_ns > 10 * scx::NSEC_PER_MSEC);
    assert_true(task(*out, "writer")->wakeups >= 1);
}

static void channel__empty__reader_blocks_until_writer_sends(void **)
{
    const auto o = options(2);
    const auto out = run(*fifo, from_json(R"({"schema": "scxkit.workload/1",
        "channels": [{"name": "c", "kind": "pipe", "size": 100}],
        "tasks": [{"name": "reader", "program": [{"recv": "c"}, {"recv": "c"}]},
                  {"name": "writer", "program": [{"sleep": "10ms"}, {"send": "c"}, {"sleep": "5ms"}, {"send": "c"}]}]})",
                                          o),
                         o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    const auto *r = task(*out, "reader");
    assert_true(r->exit_ns > 15 * scx::NSEC_PER_MSEC);
    assert_int_equal(r->wakeups, 2);
    assert_int_equal(channel(*out, "c")->max_fill, 1);
}

static void channel__pipe_and_socket__kernel_capacities(void **)
{
    // A writer of 1000 100-byte messages, a reader that starts late: the
    // buffers fill to what Linux allows (64 KiB pipe: 16 pages of 40
    // messages; AF_UNIX socket: 278 skbs of 768 bytes in a 212992-byte
    // send buffer).
    const auto o = options(2);
    const auto out = run(*fifo, from_json(R"({"schema": "scxkit.workload/1",
        "channels": [{"name": "p", "kind": "pipe", "size": 100}, {"name": "s", "kind": "socket", "size": 100}],
        "tasks": [{"name": "pw", "program": [{"loop": 1000, "do": [{"send": "p", "cost": "100ns"}]}]},
                  {"name": "sw", "program": [{"loop": 1000, "do": [{"send": "s", "cost": "100ns"}]}]},
                  {"name": "pr", "program": [{"sleep": "5ms"}, {"loop": 1000, "do": [{"recv": "p", "cost": "100ns"}]}]},
                  {"name": "sr", "program": [{"sleep": "5ms"}, {"loop": 1000, "do": [{"recv": "s", "cost": "100ns"}]}]}]})",
                                          o),
                         o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    assert_int_equal(channel(*out, "p")->max_fill, 640);
    assert_int_equal(channel(*out, "s")->max_fill, 278);
    assert_int_equal(channel(*out, "p")->received, 1000);
    assert_int_equal(channel(*out, "s")->received, 1000);
}

static void slice__two_hogs_one_cpu__runs_last_the_slice_rounded_to_the_tick(void **)
{
    // fifo gives 5 ms slices (and so does the runtime here, for the tasks
    // it dispatches itself). With a 1000 Hz tick a slice ends at the first
    // tick after 5 ms of running (the switch to the task included); with
    // 250 Hz (4 ms ticks) at the first tick after that, up to 8 ms.
    for (unsigned hz : {1000u, 250u}) {
        auto o = options(1);
        o.machine.hz = hz;
        o.machine.slice_ns = 5 * scx::NSEC_PER_MSEC;
        o.machine.jitter_pct = 0;
        recorder.stops.clear();
        o.sinks = {&recorder};
        const auto out = run(*fifo, builtin("cpu:tasks=2,duration=200ms", o), o);
        assert_true(out.has_value());
        assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
        int expiries = 0;
        for (const auto &s : recorder.stops) {
            if (s.why != scx::sim::StopReason::expire || s.pid == scx::sim::SCHEDULER_PID)
                continue;
            expiries++;
            // The switch before the run (1.5 us) counts against the slice.
            assert_true(s.ran >= 5 * scx::NSEC_PER_MSEC - 1500);
            assert_true(s.ran <= (hz == 1000 ? 6 : 8) * scx::NSEC_PER_MSEC);
            assert_int_equal(s.t % (scx::NSEC_PER_SEC / hz), 0); // at a tick
        }
        assert_true(expiries >= 20);
        assert_true(metric(*out, "slice_expiries") >= expiries);
        // Both hogs got about half of the CPU.
        assert_true(metric(*out, "fairness_jain") > 0.99);
    }
}

static void watchdog__never_dispatches__ejects_naming_the_task(void **)
{
    auto o = options(2);
    o.watchdog_ns = 1 * scx::NSEC_PER_SEC;
    const auto out = run(*never, builtin("cpu:tasks=4,duration=10s", o), o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::stall));
    assert_str_equal(out->exit.reason, "runnable task stall");
    assert_non_null(std::strstr(out->exit.message.c_str(), "cpu-hog["));
    assert_non_null(std::strstr(out->exit.message.c_str(), "failed to run for 1."));
    // The kernel checks every timeout / 2: ejection between 1 s and 1.5 s.
    assert_true(out->end_ns > 1 * scx::NSEC_PER_SEC);
    assert_true(out->end_ns <= 1500 * scx::NSEC_PER_MSEC);
}

static void dispatch__invalid_decisions__rejected_bounced_counted(void **)
{
    // Tasks pinned to CPU 1; the policy tries every invalid decision and
    // throws if a return value differs from the contract, then sends each
    // task to CPU 0, which the runtime bounces to the shared queue.
    const auto o = options(2);
    const auto out = run(*bad_dispatch, from_json(R"({"schema": "scxkit.workload/1",
        "tasks": [{"name": "pinned", "count": 3, "cpus": [1],
                   "program": [{"loop": 3, "do": [{"run": "1ms"}, {"sleep": "1ms"}]}]}]})", o),
                         o);
    assert_true(out.has_value());
    if (out->exit.kind != scx::sim::ExitKind::done)
        fail_msg("%s", out->exit.message.c_str());
    const std::uint64_t decisions = out->counters.nr_user_dispatches;
    assert_true(decisions >= 12); // 3 tasks x (start + 3 wake-ups)
    assert_int_equal(out->counters.nr_bounce_dispatches, decisions);
    assert_int_equal(out->counters.nr_cancel_dispatches, decisions - 3);  // older seq: all but each first record
    assert_int_equal(out->counters.nr_failed_dispatches, 5 * decisions);  // range x2, new seq, unknown pid, twice
    assert_int_equal(out->counters.nr_kernel_dispatches, 0);              // idle bypass off
    for (const auto &t : out->tasks)
        assert_true(t.exited);
}

static void policy__throws__error_outcome(void **)
{
    const auto o = options(2);
    const auto out = run(*throws, builtin("cpu:tasks=4,duration=1s", o), o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::error));
    assert_non_null(std::strstr(out->exit.message.c_str(), "deliberate failure"));
}

static void ring__tiny__congestion_falls_back_to_shared_queue(void **)
{
    auto o = options(2);
    o.machine.ring = 2;
    const auto out = run(*fifo, builtin("messaging:groups=1,loops=20", o), o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    assert_true(out->counters.nr_congestion > 0);
    assert_true(out->counters.nr_kernel_dispatches >= out->counters.nr_congestion);
    assert_int_equal(metric(*out, "work_items"), 400 * 20);
}

static void workload__waits_forever__deadlock_reported(void **)
{
    const auto o = options(1);
    const auto out = run(*fifo, from_json(R"({"schema": "scxkit.workload/1",
        "channels": [{"name": "c"}],
        "tasks": [{"name": "lonely", "program": [{"recv": "c"}]}]})", o),
                         o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::deadlock));
    assert_non_null(std::strstr(out->exit.message.c_str(), "lonely["));
}

static void fork__make_dag__every_job_runs(void **)
{
    const auto o = options(4);
    const auto out = run(*fifo, builtin("fork:jobs=20,levels=3,parallel=3", o), o);
    assert_true(out.has_value());
    assert_int_equal(static_cast<int>(out->exit.kind), static_cast<int>(scx::sim::ExitKind::done));
    assert_int_equal(metric(*out, "work_items"), 20);
    assert_int_equal(out->tasks.size(), 21);
    for (const auto &t : out->tasks)
        assert_true(t.exited);
}

static void run__same_seed__identical_documents(void **)
{
    auto o = options(3);
    const auto w = builtin("messaging:groups=2,loops=20", o);
    assert_true(w.has_value());
    const auto a = run(*fifo, w, o), b = run(*fifo, w, o);
    assert_true(a && b);
    assert_str_equal(document(*a, *w, o), document(*b, *w, o));
    o.seed = 2;
    const auto c = run(*fifo, w, o);
    assert_true(c.has_value());
    assert_true(document(*a, *w, o) != document(*c, *w, o));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(messaging__sockets__each_receiver_gets_fds_times_loops),
        cmocka_unit_test(messaging__pipes_threads__same_counts),
        cmocka_unit_test(channel__full__writer_blocks_until_reader_reads),
        cmocka_unit_test(channel__empty__reader_blocks_until_writer_sends),
        cmocka_unit_test(channel__pipe_and_socket__kernel_capacities),
        cmocka_unit_test(slice__two_hogs_one_cpu__runs_last_the_slice_rounded_to_the_tick),
        cmocka_unit_test(watchdog__never_dispatches__ejects_naming_the_task),
        cmocka_unit_test(dispatch__invalid_decisions__rejected_bounced_counted),
        cmocka_unit_test(policy__throws__error_outcome),
        cmocka_unit_test(ring__tiny__congestion_falls_back_to_shared_queue),
        cmocka_unit_test(workload__waits_forever__deadlock_reported),
        cmocka_unit_test(fork__make_dag__every_job_runs),
        cmocka_unit_test(run__same_seed__identical_documents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
