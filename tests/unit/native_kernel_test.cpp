// SPDX-License-Identifier: MIT
// The kernel backend runs a native workload and reports its figures under
// the simulator's names. With the kernel's own scheduler and a sched_ext
// directory that does not exist ("disabled"), no root or sched_ext is
// needed: the workload programs come from the build ($SCX_WORKLOAD,
// $SCX_MESSAGING).
#include "kernel/backend.hpp"

#include "test.hpp"

namespace {

scx::kernel::KernelBackend *backend;

int make_backend(void **)
{
    scx::kernel::KernelSettings s;
    s.sysfs = "/nonexistent/sched_ext";
    backend = new scx::kernel::KernelBackend(s);
    return 0;
}

int free_backend(void **)
{
    delete backend;
    return 0;
}

const scx::RunReport *report; // the last run's, kept for the checks

bool has(const char *name) { return report->metric(name) != nullptr; }

scx::RunReport *run(const char *workload)
{
    scx::RunRequest req;
    req.scheduler = scx::RunRequest::Scheduler::builtin;
    req.workload = workload;
    auto r = backend->run(req);
    if (!r.ok()) {
        print_error("%s: %s\n", workload, r.error().message.c_str());
        return nullptr;
    }
    return new scx::RunReport(std::move(*r));
}

void kernel_run__latency__the_simulators_metrics(void **)
{
    report = run("latency:groups=1,workers=2,work=200us,think=500us,duration=50ms");
    assert_non_null(report);
    assert_true(report->ok());
    assert_true(report->command.has_value());
    assert_int_equal(report->command->exit_code, 0);
    for (const char *m : {"makespan_s", "throughput", "work_items", "wakeups", "wakeup_latency_p50_ns",
                          "wakeup_latency_p90_ns", "wakeup_latency_p99_ns", "wakeup_latency_max_ns", "tasks"})
        assert_true(has(m));
    assert_close(report->metric("makespan_s")->value, 0.05, 1e-12);
    assert_close(report->metric("tasks")->value, 3, 0);
    assert_true(report->metric("wakeup_latency_p99_ns")->integer);
    // Its output is not kept unless asked.
    assert_true(report->command->out.empty());
    delete report;
}

void kernel_run__messaging__still_messaging_s(void **)
{
    report = run("messaging:groups=1,loops=5,thread=1");
    assert_non_null(report);
    assert_true(report->ok());
    assert_true(has("messaging_s"));
    assert_true(has("makespan_s"));
    assert_close(report->metric("work_items")->value, 20 * 20 * 5, 0);
    delete report;
}

void kernel_run__bad_spec__usage_error_before_running(void **)
{
    scx::RunRequest req;
    req.scheduler = scx::RunRequest::Scheduler::builtin;
    req.workload = "cpu:tasks=0";
    auto r = backend->run(req);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 64);
}

} // namespace

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kernel_run__latency__the_simulators_metrics),
        cmocka_unit_test(kernel_run__messaging__still_messaging_s),
        cmocka_unit_test(kernel_run__bad_spec__usage_error_before_running),
    };
    return cmocka_run_group_tests(tests, make_backend, free_backend);
}
