// SPDX-License-Identifier: MIT
// scx-bench's runner on the kernel, with the backend faked: the runner asks
// the run seam for a run and turns the RunReport into a Sample (the figure,
// the failure in words, the detail). The real kernel backend is exercised by
// the vm suite (tests/vm/scenarios/scx_bench.sh).
#include "bench/runners.hpp"
#include "base/fs.hpp"

#include <cstring>
#include <memory>
#include <unistd.h>

#include "test.hpp"

using namespace scx::bench;

// A Backend that answers with a prepared report (or error) and remembers
// the request.
class FakeBackend final : public scx::Backend {
public:
    scx::Result<scx::RunReport> answer = scx::Error(scx::Exit::software, "no answer");
    scx::RunRequest seen;
    scx::BackendKind kind() const override { return scx::BackendKind::kernel; }
    scx::Result<scx::RunReport> run(const scx::RunRequest &req, const scx::StatsSink &) override
    {
        seen = req;
        return answer;
    }
};

static std::unique_ptr<scx::TempDir> g_dir;
static Config g_cfg;

static int setup(void **)
{
    auto d = scx::TempDir::create("scx-bench-kernel-test");
    if (!d)
        return -1;
    g_dir = std::make_unique<scx::TempDir>(std::move(*d));
    return scx::make_dirs(g_dir->path() + "/sched_ext/root") ? 0 : -1;
}

static int teardown(void **)
{
    g_dir.reset();
    return 0;
}

static int reset_config(void **)
{
    g_cfg = Config{};
    g_cfg.mode = Mode::kernel;
    g_cfg.command = {"scx-messaging", "--json"};
    g_cfg.metric.name = "wall_s";
    g_cfg.metric.source = MetricSource::wall;
    return 0;
}

// A kernel run's report: the workload's result and the states around it.
static scx::RunReport kernel_report(const char *before, const char *after, int exit_code = 0)
{
    scx::RunReport r;
    r.host.backend = scx::BackendKind::kernel;
    r.policy = "fifo";
    r.counters = scx::Counters{};
    scx::CommandRun c;
    c.argv = g_cfg.command;
    c.exit_code = exit_code;
    c.wall_s = 0.25;
    c.user_s = 0.1;
    r.command = c;
    r.sched_ext = scx::SchedExtChecks{before, after, "disabled"};
    return r;
}

static Subject policy() { return policy_subject("/nonexistent/fifo.so"); }

static Slot first() { return Slot{0, 1, false, std::nullopt}; }

static std::string detail_str(const Sample &s, const char *obj, const char *key)
{
    const json_t *o = json_object_get(s.detail.get(), obj);
    const char *v = o ? scx::json::get_string(o, key) : nullptr;
    return v ? v : "";
}

static void default__kernel_scheduler__measured_wall_time(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    fake->answer = kernel_report("disabled", "disabled");
    FakeBackend *f = fake.get();
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(default_subject(Mode::kernel), first());
    assert_true(s.ok());
    assert_true(s->ok);
    assert_true(s->value == 0.25);
    assert_true(s->user_s == 0.1);
    assert_int_equal(static_cast<int>(f->seen.scheduler), static_cast<int>(scx::RunRequest::Scheduler::builtin));
    assert_true(f->seen.capture_output);
    assert_true(f->seen.command == g_cfg.command);
    assert_str_equal(detail_str(*s, "sched_ext", "before"), "disabled");
    assert_str_equal(detail_str(*s, "sched_ext", "after"), "disabled");
}

static void default__scheduler_attached_meanwhile__failed(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    auto rep = kernel_report("disabled", "enabled (rusty)");
    rep.exit = scx::RunExit{scx::ExitKind::error, "scheduler attached",
                            "a sched_ext scheduler was attached during the run (enabled (rusty))", 0};
    fake->answer = rep;
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(default_subject(Mode::kernel), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_non_null(std::strstr(s->failure.c_str(), "attached during the run (enabled (rusty))"));
}

static void policy__normal_run__enabled_before_and_after(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    fake->answer = kernel_report("enabled (scxkit)", "enabled (scxkit)");
    FakeBackend *f = fake.get();
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_true(s->ok);
    assert_int_equal(static_cast<int>(f->seen.scheduler), static_cast<int>(scx::RunRequest::Scheduler::policy));
    assert_str_equal(f->seen.policy_path.c_str(), "/nonexistent/fifo.so");
    assert_str_equal(detail_str(*s, "sched_ext", "before"), "enabled (scxkit)");
    assert_str_equal(detail_str(*s, "sched_ext", "after"), "enabled (scxkit)");
    assert_str_equal(detail_str(*s, "sched_ext", "after_stop"), "disabled");
    assert_str_equal(detail_str(*s, "exit", "kind"), "done");
}

static void policy__ejected_during_workload__failed_with_reason(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    auto rep = kernel_report("enabled (scxkit)", "disabled");
    rep.exit = scx::RunExit{scx::ExitKind::stall, "runnable task stall", "watchdog failed to check in", 1026};
    fake->answer = rep;
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_non_null(std::strstr(s->failure.c_str(), "not enabled any more after the workload (disabled)"));
    assert_non_null(std::strstr(s->failure.c_str(), "runnable task stall: watchdog failed to check in"));
}

static void policy__backend_refuses__its_error_stops_the_benchmark(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    fake->answer = scx::Error(scx::Exit::no_perm, "hosting a policy on the kernel needs root");
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_false(s.ok());
    assert_int_equal(static_cast<int>(s.error().exit), 77);
    assert_non_null(std::strstr(s.error().message.c_str(), "needs root"));
}

static void policy__init_fails__failed_run_with_reason(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    fake->answer = scx::Error(scx::Exit::failure, "policy 'x' threw an exception in init(): nope");
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_int_equal(s->exit_code, 1);
    assert_non_null(std::strstr(s->failure.c_str(), "before it ran"));
    assert_non_null(std::strstr(s->failure.c_str(), "threw an exception in init(): nope"));
}

static void policy__workload_fails__failed_run_with_its_last_line(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    auto rep = kernel_report("enabled (scxkit)", "enabled (scxkit)", 3);
    rep.command->err = "warming up\nbroken pipe\n";
    fake->answer = rep;
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_int_equal(s->exit_code, 3);
    assert_non_null(std::strstr(s->failure.c_str(), "exited with status 3: broken pipe"));
}

static void policy__regex_metric__read_from_the_output(void **)
{
    g_cfg.metric.name = "ops";
    g_cfg.metric.source = MetricSource::regex;
    g_cfg.metric.regex = "ops: ([0-9.]+)";
    auto fake = std::make_unique<FakeBackend>();
    auto rep = kernel_report("enabled (scxkit)", "enabled (scxkit)");
    rep.command->out = "run 1\nops: 1234.5\n";
    fake->answer = rep;
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_true(s->ok);
    assert_true(s->value == 1234.5);
}

static void policy__interrupted__benchmark_stops(void **)
{
    auto fake = std::make_unique<FakeBackend>();
    auto rep = kernel_report("enabled (scxkit)", "enabled (scxkit)");
    rep.exit = scx::RunExit{scx::ExitKind::interrupted, "Interrupt (SIGINT) received", "", 0};
    fake->answer = rep;
    BackendRunner r(g_cfg, std::move(fake), nullptr);
    auto s = r.run(policy(), first());
    assert_false(s.ok());
    assert_int_equal(static_cast<int>(s.error().exit), 130);
}

static void check_kernel_ready__policy_on_kernel__root_then_sched_ext(void **)
{
    const std::string absent = g_dir->path() + "/absent", sysfs = g_dir->path() + "/sched_ext";
    assert_true(scx::write_file_atomic(sysfs + "/state", "disabled\n").ok());
    Report rep;
    rep.config.mode = Mode::kernel;
    SubjectResult d, p;
    d.subject = default_subject(Mode::kernel);
    p.subject = policy();
    rep.results.push_back(d);
    assert_true(check_kernel_ready(rep, absent).ok()); // nothing hosted
    rep.results.push_back(p);
    auto k = check_kernel_ready(rep, absent);
    assert_false(k.ok());
    if (::geteuid() == 0) {
        assert_int_equal(static_cast<int>(k.error().exit), 69);
        assert_non_null(std::strstr(k.error().message.c_str(), "has no sched_ext"));
        assert_true(check_kernel_ready(rep, sysfs).ok());
    } else {
        assert_int_equal(static_cast<int>(k.error().exit), 77);
        assert_non_null(std::strstr(k.error().message.c_str(), "needs root"));
    }
    rep.config.mode = Mode::sim;
    assert_true(check_kernel_ready(rep, absent).ok());
}

static void make_runner__bad_run_arg__usage(void **)
{
    g_cfg.run_args = {"--no-such-option"};
    auto r = make_runner(g_cfg, nullptr);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 64);
    assert_non_null(std::strstr(r.error().message.c_str(), "--run-arg"));
    g_cfg.mode = Mode::sim;
    g_cfg.run_args = {"--partial"};
    auto s = make_runner(g_cfg, nullptr);
    assert_false(s.ok());
    assert_non_null(std::strstr(s.error().message.c_str(), "not an option of the sim backend"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(default__kernel_scheduler__measured_wall_time, reset_config),
        cmocka_unit_test_setup(default__scheduler_attached_meanwhile__failed, reset_config),
        cmocka_unit_test_setup(policy__normal_run__enabled_before_and_after, reset_config),
        cmocka_unit_test_setup(policy__ejected_during_workload__failed_with_reason, reset_config),
        cmocka_unit_test_setup(policy__backend_refuses__its_error_stops_the_benchmark, reset_config),
        cmocka_unit_test_setup(policy__init_fails__failed_run_with_reason, reset_config),
        cmocka_unit_test_setup(policy__workload_fails__failed_run_with_its_last_line, reset_config),
        cmocka_unit_test_setup(policy__regex_metric__read_from_the_output, reset_config),
        cmocka_unit_test_setup(policy__interrupted__benchmark_stops, reset_config),
        cmocka_unit_test_setup(check_kernel_ready__policy_on_kernel__root_then_sched_ext, reset_config),
        cmocka_unit_test_setup(make_runner__bad_run_arg__usage, reset_config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
