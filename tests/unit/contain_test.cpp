// SPDX-License-Identifier: MIT
// The containment of policy code: a contained child reports through the
// shared record, and every way it can end becomes one exit kind. The body
// here stands in for a backend's work; the policy loaded is the reference
// FIFO (every contained run loads one).
#include "contain/confine.hpp"
#include "contain/record.hpp"

#include <csignal>
#include <cstring>
#include <new>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "test.hpp"

using namespace scx;

namespace {

std::string g_fifo;
std::unique_ptr<contain::SharedRecord> g_rec;

contain::Confinement quick()
{
    contain::Confinement c;
    c.call_timeout_ns = 300 * NSEC_PER_MSEC;
    return c;
}

// Run `body` contained and classify how it ended.
Result<RunExit> contained(const contain::Body &body, contain::Confinement c = quick(),
                          const volatile std::sig_atomic_t *cancel = nullptr)
{
    g_rec->reset();
    auto end = contain::run_contained(g_fifo, c, **g_rec, {}, body, cancel);
    if (!end)
        return std::move(end).error();
    return contain::classify(**g_rec, *end, g_fifo, c, " (near the end)");
}

void set_phase(contain::Phase p) { (*g_rec)->watch.phase = static_cast<std::uint32_t>(p); }

} // namespace

static int setup(void **)
{
    g_fifo = env_path("SCX_FIFO_SO");
    auto r = contain::SharedRecord::create();
    if (!r)
        return -1;
    g_rec = std::make_unique<contain::SharedRecord>(std::move(*r));
    return 0;
}

static int teardown(void **)
{
    g_rec.reset();
    return 0;
}

static void record__fields__bounded_and_checked(void **)
{
    contain::Record &r = **g_rec;
    g_rec->reset();
    contain::finish(r, RunExit{ExitKind::stall, std::string(1000, 'r'), "m", 7});
    auto e = contain::read_exit(r);
    assert_true(e.has_value());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::stall));
    assert_int_equal(e->reason.size(), sizeof r.reason - 1);
    assert_int_equal(e->code, 7);
    // A child that scribbled over the record: no terminator, an unknown kind.
    std::memset(r.message, 'x', sizeof r.message);
    assert_int_equal(contain::read_exit(r)->message.size(), sizeof r.message);
    r.kind = 250;
    assert_false(contain::read_exit(r).has_value());
    std::vector<RunMetric> many(100, RunMetric{"m", 1, true});
    contain::set_metrics(r, many);
    assert_int_equal(contain::read_metrics(r).size(), contain::MAX_METRICS);
    r.nr_metrics = 1000000;
    assert_int_equal(contain::read_metrics(r).size(), contain::MAX_METRICS);
}

static void run__body_finishes__its_exit(void **)
{
    auto e = contained([](LoadedPolicy *lp) {
        contain::finish(**g_rec, RunExit{ExitKind::done, "", lp->name(), 0});
    });
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::done));
    assert_str_equal(e->message, "fifo");
    assert_str_equal(contain::policy_name(**g_rec), "fifo");
}

static void run__segfault__crash_with_signal_and_phase(void **)
{
    auto e = contained([](LoadedPolicy *) {
        set_phase(contain::Phase::schedule);
        ::raise(SIGSEGV);
    });
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::crash));
    assert_int_equal(e->code, SIGSEGV);
    assert_non_null(std::strstr(e->message.c_str(), "policy 'fifo' was killed by"));
    assert_non_null(std::strstr(e->message.c_str(), "SIGSEGV) in schedule() (near the end)"));
}

static void run__no_progress__hang(void **)
{
    auto e = contained([](LoadedPolicy *) {
        set_phase(contain::Phase::init);
        for (;;)
            ;
    });
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::hang));
    assert_non_null(std::strstr(e->message.c_str(), "did not return from init() within 300 ms"));
}

static void run__progress__not_a_hang_but_the_run_timeout(void **)
{
    auto c = quick();
    c.run_timeout_ns = 600 * NSEC_PER_MSEC;
    auto e = contained(
        [](LoadedPolicy *) {
            for (;;) {
                (*g_rec)->watch.beat();
                ::usleep(10000);
            }
        },
        c);
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::timeout));
    assert_non_null(std::strstr(e->message.c_str(), "(--timeout)"));
}

static void run__body_exits__exited_never_done(void **)
{
    auto e = contained([](LoadedPolicy *) {
        set_phase(contain::Phase::schedule);
        std::exit(0);
    });
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::exited));
    assert_non_null(std::strstr(e->message.c_str(), "ended its own process (exit status 0) in schedule()"));
}

static void run__allocation_past_the_limit__oom(void **)
{
    auto c = quick();
    c.memory_bytes = 256ULL << 20;
    auto e = contained(
        [](LoadedPolicy *) {
            std::vector<char> big(1ULL << 30, 1);
            (*g_rec)->values[0] = static_cast<std::uint64_t>(big[12345]);
        },
        c);
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::oom));
    assert_non_null(std::strstr(e->message.c_str(), "ran out of memory"));
    assert_non_null(std::strstr(e->message.c_str(), "256 MiB"));
}

static void run__forbidden_calls__sandbox_with_the_call_named(void **)
{
    auto e = contained([](LoadedPolicy *) {
        set_phase(contain::Phase::schedule);
        (void)::socket(AF_UNIX, SOCK_STREAM, 0);
        contain::finish(**g_rec, RunExit{});
    });
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::sandbox));
    assert_non_null(std::strstr(e->message.c_str(), "forbidden system call (socket) in schedule()"));
    // Signalling the parent, creating a process: the same.
    for (int what = 0; what < 2; what++) {
        auto f = contained([what](LoadedPolicy *) {
            if (what == 0)
                ::kill(::getppid(), SIGKILL);
            else
                (void)::fork();
            contain::finish(**g_rec, RunExit{});
        });
        assert_true(f.ok());
        assert_int_equal(static_cast<int>(f->kind), static_cast<int>(ExitKind::sandbox));
    }
}

static void run__cancelled__interrupted(void **)
{
    static volatile std::sig_atomic_t cancel = 1;
    auto e = contained(
        [](LoadedPolicy *) {
            for (;;)
                ::usleep(1000);
        },
        quick(), &cancel);
    assert_true(e.ok());
    assert_int_equal(static_cast<int>(e->kind), static_cast<int>(ExitKind::interrupted));
}

static void run__not_a_policy__the_loader_error(void **)
{
    g_rec->reset();
    auto end = contain::run_contained("/etc/hostname", quick(), **g_rec, {}, [](LoadedPolicy *) {});
    assert_true(end.ok());
    auto e = contain::classify(**g_rec, *end, "/etc/hostname", quick());
    assert_false(e.ok());
    assert_int_equal(static_cast<int>(e.error().exit), 65);
    assert_non_null(std::strstr(e.error().message.c_str(), "not a shared object"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(record__fields__bounded_and_checked),
        cmocka_unit_test(run__body_finishes__its_exit),
        cmocka_unit_test(run__segfault__crash_with_signal_and_phase),
        cmocka_unit_test(run__no_progress__hang),
        cmocka_unit_test(run__progress__not_a_hang_but_the_run_timeout),
        cmocka_unit_test(run__body_exits__exited_never_done),
        cmocka_unit_test(run__allocation_past_the_limit__oom),
        cmocka_unit_test(run__forbidden_calls__sandbox_with_the_call_named),
        cmocka_unit_test(run__cancelled__interrupted),
        cmocka_unit_test(run__not_a_policy__the_loader_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
