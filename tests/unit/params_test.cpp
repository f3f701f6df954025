// SPDX-License-Identifier: MIT
// A policy's parameters: NAME=VALUE text checked against the declarations
// (durations, integers, reals, booleans, ranges, unknown names), the
// declarations read from a real policy through the loader (and refused
// when wrong), the values written into it before init(), and the same
// through a contained child and the check and simulator backends.
#include "policy/params.hpp"

#include <scx/loader.hpp>
#include <scx/run.hpp>
#include <scx/test_backend.hpp>

#include <optional>

#include "test.hpp"

using namespace scx;

namespace {

std::string policy(const char *name) { return env_path("SCX_TEST_POLICIES") + "/" + name; }

ParamSpec slice_spec()
{
    ParamSpec s;
    s.name = "slice_ns";
    s.type = "int";
    s.def = 5e6;
    s.min = 1e5;
    s.max = 1e8;
    s.unit = "ns";
    s.description = "time slice";
    return s;
}

ParamSpec spec(const char *name, const char *type, double def, double min, double max)
{
    ParamSpec s;
    s.name = name;
    s.type = type;
    s.def = def;
    s.min = min;
    s.max = max;
    return s;
}

// Fixtures own what outlives an assertion.
std::optional<LoadedPolicy> g_lp;
std::unique_ptr<Backend> g_backend;

std::string message_of(const Result<double> &r) { return r ? "" : r.error().message; }

} // namespace

static void assignment__name_equals_value__split_at_first_equals(void **)
{
    auto a = parse_param_assignment("slice_ns=2ms");
    assert_true(a.ok());
    assert_str_equal(a->first, "slice_ns");
    assert_str_equal(a->second, "2ms");
    auto b = parse_param_assignment("x=a=b");
    assert_true(b.ok());
    assert_str_equal(b->second, "a=b");
}

static void assignment__no_equals_or_no_name__usage(void **)
{
    for (const char *bad : {"slice_ns", "=5", ""}) {
        auto a = parse_param_assignment(bad);
        assert_false(a.ok());
        assert_int_equal(static_cast<int>(a.error().exit), 64);
        assert_non_null(std::strstr(a.error().message.c_str(), "expected NAME=VALUE"));
    }
}

static void list__commas__every_assignment(void **)
{
    auto l = parse_param_list("a=1,b=2ms");
    assert_true(l.ok());
    assert_int_equal(l->size(), 2);
    assert_str_equal((*l)[1].first, "b");
    assert_str_equal((*l)[1].second, "2ms");
    assert_false(parse_param_list("a=1,b").ok());
}

static void value__ns_unit__durations_and_plain_integers(void **)
{
    const ParamSpec s = slice_spec();
    assert_close(*param_value(s, "2ms"), 2e6, 0);
    assert_close(*param_value(s, "500us"), 5e5, 0);
    assert_close(*param_value(s, "2500000"), 2.5e6, 0);
    assert_close(*param_value(s, "0.1s"), 1e8, 0);
}

static void value__out_of_range__data_error_with_range_and_unit(void **)
{
    const ParamSpec s = slice_spec();
    auto r = param_value(s, "1");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_str_equal(r.error().message, "slice_ns=1: out of range [100000, 100000000] ns");
    assert_str_equal(message_of(param_value(s, "1s")), "slice_ns=1s: out of range [100000, 100000000] ns");
    assert_str_equal(message_of(param_value(s, "-5")), "slice_ns=-5: out of range [100000, 100000000] ns");
}

static void value__not_a_value__names_what_was_expected(void **)
{
    assert_str_equal(message_of(param_value(slice_spec(), "fast")),
                     "slice_ns=fast: not a duration (examples: 5000000, 2ms, 500us)");
    assert_str_equal(message_of(param_value(spec("n", "int", 1, 0, 10), "1.5")), "n=1.5: not an integer");
    assert_str_equal(message_of(param_value(spec("n", "int", 1, 0, 10), "")), "n=: not an integer");
    assert_str_equal(message_of(param_value(spec("r", "real", 0, 0, 1), "half")), "r=half: not a number");
    assert_str_equal(message_of(param_value(spec("r", "real", 0, 0, 1), "nan")), "r=nan: not a number");
    // Decimal only, as the tools' other numbers: no hexadecimal (strtod's
    // 0x10, 0x1p4), no spaces.
    assert_str_equal(message_of(param_value(spec("n", "int", 1, 0, 100), "0x10")), "n=0x10: not an integer");
    assert_str_equal(message_of(param_value(spec("n", "int", 1, 0, 100), "0x1p4")), "n=0x1p4: not an integer");
    assert_str_equal(message_of(param_value(spec("n", "int", 1, 0, 100), " 5")), "n= 5: not an integer");
    assert_str_equal(message_of(param_value(spec("n", "int", 1, 0, 100), "5 ")), "n=5 : not an integer");
    assert_str_equal(message_of(param_value(spec("r", "real", 0, 0, 100), "0x10")), "r=0x10: not a number");
    assert_str_equal(message_of(param_value(spec("r", "real", 0, 0, 100), " 1")), "r= 1: not a number");
    assert_str_equal(message_of(param_value(spec("r", "real", 0, 0, 1), "inf")), "r=inf: not a number");
    assert_str_equal(message_of(param_value(slice_spec(), "0x186a0")),
                     "slice_ns=0x186a0: not a duration (examples: 5000000, 2ms, 500us)");
    assert_str_equal(message_of(param_value(slice_spec(), " 2ms")),
                     "slice_ns= 2ms: not a duration (examples: 5000000, 2ms, 500us)");
    assert_str_equal(message_of(param_value(spec("n", "int", 0, 0, 4.6e18), "9007199254740993")),
                     "n=9007199254740993: beyond 2^53 (9007199254740992), where a parameter's integer is no longer "
                     "exact");
    assert_str_equal(message_of(param_value(spec("b", "bool", 0, 0, 1), "maybe")),
                     "b=maybe: not a boolean (true, false, 1, 0, yes, no)");
}

static void value__kinds__parsed_in_range(void **)
{
    assert_close(*param_value(spec("n", "int", 0, -10, 10), "-7"), -7, 0);
    assert_close(*param_value(spec("n", "int", 0, 0, 1e7), "1e6"), 1e6, 0);
    assert_close(*param_value(spec("n", "int", 0, 0, 100), "010"), 10, 0); // decimal, not octal
    assert_close(*param_value(spec("n", "int", 0, 0, 100), "+5"), 5, 0);
    assert_close(*param_value(spec("n", "int", 0, 0, 4.6e18), "9007199254740992"), 9007199254740992.0, 0);
    assert_close(*param_value(spec("r", "real", 0, 0, 1), "0.125"), 0.125, 0);
    assert_str_equal(message_of(param_value(spec("r", "real", 0, 0, 1), "1.5")), "r=1.5: out of range [0, 1]");
    for (const char *t : {"true", "1", "yes"})
        assert_close(*param_value(spec("b", "bool", 0, 0, 1), t), 1, 0);
    for (const char *f : {"false", "0", "no"})
        assert_close(*param_value(spec("b", "bool", 1, 0, 1), f), 0, 0);
}

static void resolve__defaults_then_assignments_last_wins(void **)
{
    const std::vector<ParamSpec> specs = {slice_spec(), spec("boost", "real", 0.5, 0, 1)};
    auto r = resolve_params(specs, {{"boost", "0.1"}, {"boost", "0.75"}}, "vruntime.so");
    assert_true(r.ok());
    assert_int_equal(r->size(), 2);
    assert_close((*r)[0].value, 5e6, 0);
    assert_close((*r)[1].value, 0.75, 0);
}

static void resolve__unknown_name__lists_the_parameters(void **)
{
    const std::vector<ParamSpec> specs = {slice_spec(), spec("wakeup_boost", "real", 0.5, 0, 1)};
    auto r = resolve_params(specs, {{"foo", "1"}}, "vruntime.so");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_str_equal(r.error().message, "vruntime.so: no parameter 'foo' (its parameters: slice_ns, wakeup_boost)");
    auto none = resolve_params({}, {{"foo", "1"}}, "fifo.so");
    assert_false(none.ok());
    assert_str_equal(none.error().message, "fifo.so: no parameter 'foo' (it declares none)");
    auto bad = resolve_params(specs, {{"slice_ns", "1"}}, "vruntime.so");
    assert_false(bad.ok());
    assert_str_equal(bad.error().message, "vruntime.so: slice_ns=1: out of range [100000, 100000000] ns");
}

static void text__values_and_ranges(void **)
{
    assert_str_equal(param_value_text("int", 5e6), "5000000");
    assert_str_equal(param_value_text("real", 0.1), "0.1");
    assert_str_equal(param_value_text("bool", 1), "true");
    assert_str_equal(param_range_text(slice_spec()), "[100000, 100000000] ns");
}

static int close_policy(void **)
{
    g_lp.reset();
    g_backend.reset();
    return 0;
}

static void loader__declarations__in_order_with_types(void **)
{
    auto lp = LoadedPolicy::open(policy("params.so"));
    assert_true(lp.ok());
    g_lp.emplace(std::move(*lp));
    auto specs = param_specs(g_lp->params(), "params.so");
    assert_true(specs.ok());
    assert_int_equal(specs->size(), 5);
    const char *names[] = {"slice_ns", "offset", "ratio", "enabled", "small"};
    const char *types[] = {"int", "int", "real", "bool", "int"};
    for (std::size_t i = 0; i < 5; i++) {
        assert_str_equal((*specs)[i].name, names[i]);
        assert_str_equal((*specs)[i].type, types[i]);
    }
    assert_close((*specs)[0].def, 5e6, 0);
    assert_str_equal((*specs)[0].unit, "ns");
    assert_str_equal((*specs)[0].description, "time slice of every task");
    assert_close((*specs)[1].min, -100, 0);
    assert_close((*specs)[2].def, 0.25, 0);
    assert_close((*specs)[4].max, 200, 0);
}

// The values written before init() reach the decisions: slice, then the
// others packed into vtime (see tests/support/policies/params.cpp).
static void loader__apply__values_seen_from_init_on(void **)
{
    auto lp = LoadedPolicy::open(policy("params.so"));
    assert_true(lp.ok());
    g_lp.emplace(std::move(*lp));
    auto set = apply_params(*g_lp, {{"slice_ns", "2ms"}, {"offset", "-100"}, {"ratio", "0.5"}, {"enabled", "yes"},
                                    {"small", "200"}},
                            "params.so");
    assert_true(set.ok());
    assert_int_equal(set->size(), 5);
    assert_close((*set)[1].value, -100, 0);
    testing::ScriptedContext ctx(2);
    assert_true(g_lp->init(ctx).ok());
    ctx.queue(testing::ScriptedContext::make_task(1));
    assert_true(g_lp->schedule(ctx).ok());
    assert_int_equal(ctx.dispatches().size(), 1);
    assert_int_equal(ctx.dispatches()[0].slice_ns, 2 * NSEC_PER_MSEC);
    assert_int_equal(ctx.dispatches()[0].vtime, 900ULL + 500ULL * 10'000 + 100'000'000ULL + 200ULL * 1'000'000'000ULL);
}

static void loader__apply_nothing__defaults(void **)
{
    auto lp = LoadedPolicy::open(policy("params.so"));
    assert_true(lp.ok());
    g_lp.emplace(std::move(*lp));
    assert_true(apply_params(*g_lp, {}, "params.so").ok());
    testing::ScriptedContext ctx(2);
    assert_true(g_lp->init(ctx).ok());
    ctx.queue(testing::ScriptedContext::make_task(1));
    assert_true(g_lp->schedule(ctx).ok());
    assert_int_equal(ctx.dispatches()[0].slice_ns, 5 * NSEC_PER_MSEC);
    assert_int_equal(ctx.dispatches()[0].vtime, 997ULL + 250ULL * 10'000 + 7ULL * 1'000'000'000ULL);
}

static void loader__64_bit_defaults__left_exact(void **)
{
    auto lp = LoadedPolicy::open(policy("big_params.so"));
    assert_true(lp.ok());
    g_lp.emplace(std::move(*lp));
    auto set = apply_params(*g_lp, {}, "big_params.so");
    if (!set.ok())
        fail_msg("%s", set.error().message.c_str());
    testing::ScriptedContext ctx(2);
    assert_true(g_lp->init(ctx).ok());
    ctx.queue(testing::ScriptedContext::make_task(1));
    assert_true(g_lp->schedule(ctx).ok());
    assert_int_equal(ctx.dispatches()[0].vtime, (1ULL << 60) + 1);
    auto big = apply_params(*g_lp, {{"exact", "9007199254740993"}}, "big_params.so");
    assert_false(big.ok());
    assert_int_equal(static_cast<int>(big.error().exit), 65);
    assert_non_null(std::strstr(big.error().message.c_str(), "exact=9007199254740993: beyond 2^53"));
}

static void loader__local_param__not_a_parameter(void **)
{
    auto lp = LoadedPolicy::open(policy("local_params.so"));
    assert_true(lp.ok());
    g_lp.emplace(std::move(*lp));
    auto set = apply_params(*g_lp, {}, "local_params.so");
    if (!set.ok())
        fail_msg("%s", set.error().message.c_str());
    assert_int_equal(set->size(), 5); // slice_ns, offset, ratio, enabled, small
    for (const auto &p : *set)
        assert_string_not_equal(p.spec.name.c_str(), "local");
    auto local = apply_params(*g_lp, {{"local", "1"}}, "local_params.so");
    assert_false(local.ok());
    assert_int_equal(static_cast<int>(local.error().exit), 65);
}

static void loader__bad_declarations__refused_with_the_reason(void **)
{
    const char *want[] = {"parameter 'Bad-Name': invalid name", "parameter 'ratio': declared twice",
                          "parameter 'outside': default 5 is outside its range [0, 2]",
                          "parameter 'empty': empty range [2, 0.5]"};
    for (int i = 1; i <= 4; i++) {
        const std::string name = "bad_params_" + std::to_string(i) + ".so";
        auto lp = LoadedPolicy::open(policy(name.c_str()));
        assert_true(lp.ok());
        g_lp.emplace(std::move(*lp));
        auto r = apply_params(*g_lp, {}, name);
        assert_false(r.ok());
        assert_int_equal(static_cast<int>(r.error().exit), 65);
        if (!std::strstr(r.error().message.c_str(), want[i - 1]))
            fail_msg("%s: %s", name.c_str(), r.error().message.c_str());
        g_lp.reset();
    }
}

static void loader__no_params__empty_list(void **)
{
    auto lp = LoadedPolicy::open(policy("throws.so"));
    assert_true(lp.ok());
    g_lp.emplace(std::move(*lp));
    assert_null(g_lp->params());
    auto r = apply_params(*g_lp, {{"x", "1"}}, "throws.so");
    assert_false(r.ok());
    assert_str_equal(r.error().message, "throws.so: no parameter 'x' (it declares none)");
}

static void read_policy_params__contained__the_declarations(void **)
{
    auto specs = read_policy_params(policy("params.so"));
    assert_true(specs.ok());
    assert_int_equal(specs->size(), 5);
    assert_str_equal((*specs)[3].name, "enabled");
    assert_str_equal((*specs)[3].type, "bool");
    auto fifo = read_policy_params(env_path("SCX_FIFO_SO"));
    assert_true(fifo.ok());
    assert_int_equal(fifo->size(), 1);
    assert_str_equal((*fifo)[0].name, "slice_ns");
    auto missing = read_policy_params("/nonexistent/policy.so");
    assert_false(missing.ok());
    assert_int_equal(static_cast<int>(missing.error().exit), 66);
    auto bad = read_policy_params(policy("bad_params_2.so"));
    assert_false(bad.ok());
    assert_int_equal(static_cast<int>(bad.error().exit), 65);
}

static void check_backend__params__applied_and_reported(void **)
{
    auto b = make_backend(BackendKind::check);
    assert_true(b.ok());
    g_backend = std::move(*b);
    RunRequest req;
    req.policy_path = policy("params.so");
    req.params = {{"ratio", "0.75"}};
    auto r = g_backend->run(req);
    assert_true(r.ok());
    assert_true(r->ok());
    assert_int_equal(r->params.size(), 5);
    assert_str_equal(r->params[2].spec.name, "ratio");
    assert_close(r->params[2].value, 0.75, 0);
    assert_close(r->params[0].value, 5e6, 0);
    req.params = {{"nope", "1"}};
    auto bad = g_backend->run(req);
    assert_false(bad.ok());
    assert_int_equal(static_cast<int>(bad.error().exit), 65);
    assert_non_null(std::strstr(bad.error().message.c_str(), "no parameter 'nope' (its parameters: slice_ns, offset"));
}

static void sim_backend__slice__changes_the_run(void **)
{
    auto b = make_backend(BackendKind::sim, {"--cpus=2"});
    assert_true(b.ok());
    g_backend = std::move(*b);
    RunRequest req;
    req.policy_path = env_path("SCX_FIFO_SO");
    req.workload = "cpu:tasks=4";
    auto def = g_backend->run(req);
    req.params = {{"slice_ns", "200us"}};
    auto small = g_backend->run(req);
    assert_true(def.ok() && small.ok());
    assert_true(def->ok() && small->ok());
    const RunMetric *a = def->metric("context_switches"), *c = small->metric("context_switches");
    assert_non_null(a);
    assert_non_null(c);
    // Slices end at a simulated tick (every 4 ms): about twice the switches.
    if (!(c->value > 1.5 * a->value))
        fail_msg("context switches: %g with 5 ms slices, %g with 200 us", a->value, c->value);
    assert_close(small->params[0].value, 2e5, 0);
    req.scheduler = RunRequest::Scheduler::builtin;
    auto builtin = g_backend->run(req);
    assert_false(builtin.ok());
    assert_int_equal(static_cast<int>(builtin.error().exit), 64);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assignment__name_equals_value__split_at_first_equals),
        cmocka_unit_test(assignment__no_equals_or_no_name__usage),
        cmocka_unit_test(list__commas__every_assignment),
        cmocka_unit_test(value__ns_unit__durations_and_plain_integers),
        cmocka_unit_test(value__out_of_range__data_error_with_range_and_unit),
        cmocka_unit_test(value__not_a_value__names_what_was_expected),
        cmocka_unit_test(value__kinds__parsed_in_range),
        cmocka_unit_test(resolve__defaults_then_assignments_last_wins),
        cmocka_unit_test(resolve__unknown_name__lists_the_parameters),
        cmocka_unit_test(text__values_and_ranges),
        cmocka_unit_test_teardown(loader__declarations__in_order_with_types, close_policy),
        cmocka_unit_test_teardown(loader__apply__values_seen_from_init_on, close_policy),
        cmocka_unit_test_teardown(loader__apply_nothing__defaults, close_policy),
        cmocka_unit_test_teardown(loader__64_bit_defaults__left_exact, close_policy),
        cmocka_unit_test_teardown(loader__local_param__not_a_parameter, close_policy),
        cmocka_unit_test_teardown(loader__bad_declarations__refused_with_the_reason, close_policy),
        cmocka_unit_test_teardown(loader__no_params__empty_list, close_policy),
        cmocka_unit_test(read_policy_params__contained__the_declarations),
        cmocka_unit_test_teardown(check_backend__params__applied_and_reported, close_policy),
        cmocka_unit_test_teardown(sim_backend__slice__changes_the_run, close_policy),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
