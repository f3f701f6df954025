// SPDX-License-Identifier: MIT
// The kernel runner's protocol, with the kernel boundary faked: sysfs is a
// temporary directory and scx-run a small shell script that flips its
// "state" and "root/ops" files the way the kernel does when a scheduler
// attaches, detaches or is ejected. The real kernel is exercised by the vm
// suite (tests/vm/bench.sh).
#include "bench/runners.hpp"
#include "base/fs.hpp"

#include <cstdlib>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "test.hpp"

using namespace scx::bench;

static std::unique_ptr<scx::TempDir> g_dir;
static std::string g_sysfs, g_fake;

static const char *FAKE_SCX_RUN = R"SH(#!/bin/sh
# A stand-in for scx-run --json POLICY.so; FAKE_MODE picks the behaviour.
S=$FAKE_SYSFS
case "$FAKE_MODE" in
refuse) echo "scx-run: error: attaching a scheduler needs root" >&2; exit 77 ;;
initfail)
    echo '{"schema":"scxkit.run/1","type":"final","mode":"kernel","exit":{"kind":"error","reason":"init","message":"the policy threw in init()"}}'
    exit 1 ;;
esac
trap 'echo disabled > "$S/state"; rm -f "$S/root/ops"; echo "{\"schema\":\"scxkit.run/1\",\"type\":\"final\",\"mode\":\"kernel\",\"exit\":{\"kind\":\"unregistered\",\"reason\":\"\",\"message\":\"\"},\"counters\":{\"dispatched\":3}}"; exit 0' INT TERM
mkdir -p "$S/root"
echo scxkit > "$S/root/ops"
echo enabled > "$S/state"
echo '{"type":"stats"}'
while :; do
    if [ "$(cat "$S/state")" = disabled ]; then
        echo '{"schema":"scxkit.run/1","type":"final","mode":"kernel","exit":{"kind":"error","reason":"runnable task stall","message":"watchdog failed to check in"}}'
        exit 1
    fi
    sleep 0.02
done
)SH";

static int setup(void **)
{
    auto d = scx::TempDir::create("scx-bench-kernel-test");
    if (!d)
        return -1;
    g_dir = std::make_unique<scx::TempDir>(std::move(*d));
    g_sysfs = g_dir->path() + "/sched_ext";
    g_fake = g_dir->path() + "/scx-run";
    if (!scx::make_dirs(g_sysfs + "/root") || !scx::write_file_atomic(g_sysfs + "/state", "disabled\n") ||
        !scx::write_file_atomic(g_fake, FAKE_SCX_RUN, 0755))
        return -1;
    ::setenv("FAKE_SYSFS", g_sysfs.c_str(), 1);
    return 0;
}

static int teardown(void **)
{
    g_dir.reset();
    return 0;
}

static int reset_state(void **)
{
    ::setenv("FAKE_MODE", "normal", 1);
    std::remove((g_sysfs + "/root/ops").c_str());
    return scx::write_file_atomic(g_sysfs + "/state", "disabled\n") ? 0 : -1;
}

static KernelOptions options(std::vector<std::string> workload)
{
    KernelOptions o;
    o.scx_run = g_fake;
    o.workload = std::move(workload);
    o.metric.name = "wall_s";
    o.metric.source = MetricSource::wall;
    o.sysfs = g_sysfs;
    o.attach_timeout_ns = 5'000'000'000LL;
    o.detach_timeout_ns = 2'000'000'000LL;
    o.work_dir = g_dir->path();
    return o;
}

static Subject policy() { return policy_subject("/nonexistent/fifo.so"); }

static Slot first() { return Slot{0, 1, false, std::nullopt}; }

static std::string detail_str(const Sample &s, const char *obj, const char *key)
{
    const json_t *o = json_object_get(s.detail.get(), obj);
    const char *v = o ? scx::json::get_string(o, key) : nullptr;
    return v ? v : "";
}

static void default__sched_ext_disabled__measured(void **)
{
    KernelRunner r(options({"true"}));
    auto s = r.run(default_subject(Mode::kernel), first());
    assert_true(s.ok());
    assert_true(s->ok);
    assert_true(s->value > 0 && s->value < 5);
    assert_str_equal(detail_str(*s, "sched_ext", "before"), "disabled");
    assert_str_equal(detail_str(*s, "sched_ext", "after"), "disabled");
}

static void default__another_scheduler_attached__unavailable(void **)
{
    assert_true(scx::write_file_atomic(g_sysfs + "/state", "enabled\n").ok());
    assert_true(scx::write_file_atomic(g_sysfs + "/root/ops", "rusty\n").ok());
    auto o = options({"true"});
    o.detach_timeout_ns = 100'000'000;
    KernelRunner r(o);
    auto s = r.run(default_subject(Mode::kernel), first());
    assert_false(s.ok());
    assert_int_equal(static_cast<int>(s.error().exit), 69);
    assert_non_null(std::strstr(s.error().message.c_str(), "enabled (rusty)"));
}

static void policy__normal_run__enabled_before_and_after_then_disabled(void **)
{
    // The workload sees the scheduler enabled with scxkit's ops.
    const std::string check = "grep -qx enabled " + g_sysfs + "/state && grep -qx scxkit " + g_sysfs + "/root/ops";
    KernelRunner r(options({"sh", "-c", check}));
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    if (!s->ok)
        print_error("failure: %s\n", s->failure.c_str());
    assert_true(s->ok);
    assert_str_equal(detail_str(*s, "sched_ext", "before"), "enabled (scxkit)");
    assert_str_equal(detail_str(*s, "sched_ext", "after"), "enabled (scxkit)");
    assert_str_equal(detail_str(*s, "sched_ext", "after_stop"), "disabled");
    const json_t *host = json_object_get(s->detail.get(), "scx_run");
    assert_int_equal(scx::json::get_int(host, "exit_code", -5), 0);
    assert_str_equal(scx::json::get_string(json_object_get(host, "exit"), "kind"), "unregistered");
    assert_str_equal(*scx::read_file(g_sysfs + "/state"), "disabled\n");
}

static void policy__ejected_during_workload__failed_with_reason(void **)
{
    // The "kernel" ejects the scheduler while the workload runs.
    KernelRunner r(options({"sh", "-c", "echo disabled > " + g_sysfs + "/state"}));
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_non_null(std::strstr(s->failure.c_str(), "not enabled any more"));
    assert_non_null(std::strstr(s->failure.c_str(), "runnable task stall"));
}

static void policy__scx_run_refuses__its_exit_status(void **)
{
    ::setenv("FAKE_MODE", "refuse", 1);
    KernelRunner r(options({"true"}));
    auto s = r.run(policy(), first());
    assert_false(s.ok());
    assert_int_equal(static_cast<int>(s.error().exit), 77);
    assert_non_null(std::strstr(s.error().message.c_str(), "needs root"));
}

static void policy__init_fails__failed_run_with_reason(void **)
{
    ::setenv("FAKE_MODE", "initfail", 1);
    KernelRunner r(options({"true"}));
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_non_null(std::strstr(s->failure.c_str(), "before the scheduler was seen enabled"));
    assert_non_null(std::strstr(s->failure.c_str(), "the policy threw in init()"));
}

static void policy__workload_fails__failed_run_and_scheduler_stopped(void **)
{
    KernelRunner r(options({"sh", "-c", "echo broken pipe >&2; exit 3"}));
    auto s = r.run(policy(), first());
    assert_true(s.ok());
    assert_false(s->ok);
    assert_int_equal(s->exit_code, 3);
    assert_non_null(std::strstr(s->failure.c_str(), "exited with status 3: broken pipe"));
    assert_str_equal(*scx::read_file(g_sysfs + "/state"), "disabled\n");
}

static void policy__same_file_name_in_two_directories__both_run(void **)
{
    // a/fifo.so and b/fifo.so: their labels become the paths, which must
    // not end up in the names of the runner's files.
    Report rep;
    rep.config.mode = Mode::kernel;
    for (const char *dir : {"/a", "/b"}) {
        assert_true(scx::make_dirs(g_dir->path() + dir).ok());
        assert_true(scx::write_file_atomic(g_dir->path() + dir + "/fifo.so", "").ok());
        assert_true(add_subject(rep, g_dir->path() + dir + "/fifo.so").ok());
    }
    assert_int_equal(rep.results.size(), 2);
    assert_non_null(std::strchr(rep.results[1].subject.label.c_str(), '/'));
    KernelRunner r(options({"true"}));
    for (std::size_t k = 0; k < rep.results.size(); k++) {
        Slot slot = first();
        slot.subject = k;
        auto s = r.run(rep.results[k].subject, slot);
        assert_true(s.ok());
        if (!s->ok)
            print_error("failure: %s\n", s->failure.c_str());
        assert_true(s->ok);
    }
}

static void policy__no_sched_ext__unavailable(void **)
{
    auto o = options({"true"});
    o.sysfs = g_dir->path() + "/absent";
    KernelRunner r(o);
    auto s = r.run(policy(), first());
    assert_false(s.ok());
    assert_int_equal(static_cast<int>(s.error().exit), 69);
    assert_non_null(std::strstr(s.error().message.c_str(), "has no sched_ext"));
}

static void check_kernel_ready__policy_on_kernel__root_then_sched_ext(void **)
{
    const std::string absent = g_dir->path() + "/absent";
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
        assert_true(check_kernel_ready(rep, g_sysfs).ok());
    } else {
        assert_int_equal(static_cast<int>(k.error().exit), 77);
        assert_non_null(std::strstr(k.error().message.c_str(), "needs root"));
    }
    rep.config.mode = Mode::sim;
    assert_true(check_kernel_ready(rep, absent).ok());
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(default__sched_ext_disabled__measured, reset_state),
        cmocka_unit_test_setup(default__another_scheduler_attached__unavailable, reset_state),
        cmocka_unit_test_setup(policy__normal_run__enabled_before_and_after_then_disabled, reset_state),
        cmocka_unit_test_setup(policy__ejected_during_workload__failed_with_reason, reset_state),
        cmocka_unit_test_setup(policy__scx_run_refuses__its_exit_status, reset_state),
        cmocka_unit_test_setup(policy__same_file_name_in_two_directories__both_run, reset_state),
        cmocka_unit_test_setup(policy__init_fails__failed_run_with_reason, reset_state),
        cmocka_unit_test_setup(policy__workload_fails__failed_run_and_scheduler_stopped, reset_state),
        cmocka_unit_test_setup(policy__no_sched_ext__unavailable, reset_state),
        cmocka_unit_test_setup(check_kernel_ready__policy_on_kernel__root_then_sched_ext, reset_state),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
