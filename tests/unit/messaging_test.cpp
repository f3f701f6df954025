// SPDX-License-Identifier: MIT
// The messaging workload: counts, modes, option checks and perf's formats.
#include "native/messaging.hpp"

#include "test.hpp"

#include <cstring>

namespace {

void run_mode(bool threads, bool pipes)
{
    scx::messaging::Options o;
    o.groups = 2;
    o.loops = 5;
    o.threads = threads;
    o.pipes = pipes;
    auto r = scx::messaging::run(o);
    assert_true(r.ok());
    assert_int_equal(r->tasks, 2 * 2 * 20);
    assert_int_equal(r->messages, 2 * 20 * 20 * 5);
    assert_int_equal(r->bytes, r->messages * scx::messaging::DATASIZE);
    assert_true(r->duration_s > 0 && r->duration_s < 60);
}

void run__processes_sockets__moves_every_message(void **) { run_mode(false, false); }
void run__threads_pipes__moves_every_message(void **) { run_mode(true, true); }
void run__threads_sockets__moves_every_message(void **) { run_mode(true, false); }
void run__processes_pipes__moves_every_message(void **) { run_mode(false, true); }

void validate__zero_groups__usage_error(void **)
{
    scx::messaging::Options o;
    o.groups = 0;
    auto r = scx::messaging::validate(o);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 64);
    o.groups = 1;
    o.loops = 0;
    assert_false(scx::messaging::validate(o).ok());
}

void format_simple__truncates_to_milliseconds(void **)
{
    scx::messaging::Report r;
    r.duration_s = 1.2349;
    assert_string_equal(scx::messaging::format_simple(r).c_str(), "1.234\n");
    r.duration_s = 0.0419;
    assert_string_equal(scx::messaging::format_simple(r).c_str(), "0.041\n");
}

void format_default__matches_perf(void **)
{
    scx::messaging::Options o;
    o.groups = 24;
    o.threads = true;
    scx::messaging::Report r;
    r.duration_s = 5.3019;
    assert_string_equal(scx::messaging::format_default(o, r).c_str(),
                        "# 20 sender and receiver threads per group\n"
                        "# 24 groups == 960 threads run\n\n"
                        "     Total time: 5.301 [sec]\n");
}

} // namespace

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run__processes_sockets__moves_every_message),
        cmocka_unit_test(run__threads_pipes__moves_every_message),
        cmocka_unit_test(run__threads_sockets__moves_every_message),
        cmocka_unit_test(run__processes_pipes__moves_every_message),
        cmocka_unit_test(validate__zero_groups__usage_error),
        cmocka_unit_test(format_simple__truncates_to_milliseconds),
        cmocka_unit_test(format_default__matches_perf),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
