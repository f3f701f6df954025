// SPDX-License-Identifier: MIT
#include "base/parse.hpp"

#include "test.hpp"

static void parse_int__in_range__value(void **)
{
    assert_int_equal(*scx::parse_int("42", 0, 100), 42);
    assert_int_equal(*scx::parse_int("-7", -10, 10), -7);
    assert_int_equal(*scx::parse_int("+5", 0, 10), 5);
    assert_int_equal(*scx::parse_int(" 3", 0, 10), 3); // strtoll skips leading blanks
    assert_int_equal(*scx::parse_int("100", 0, 100), 100);
    assert_int_equal(*scx::parse_int("0", 0, 0), 0);
}

static void parse_int__malformed_or_out_of_range__nothing(void **)
{
    assert_false(scx::parse_int("", 0, 100).has_value());
    assert_false(scx::parse_int("abc", 0, 100).has_value());
    assert_false(scx::parse_int("12x", 0, 100).has_value());
    assert_false(scx::parse_int("3 ", 0, 100).has_value());
    assert_false(scx::parse_int("1.5", 0, 100).has_value());
    assert_false(scx::parse_int("101", 0, 100).has_value());
    assert_false(scx::parse_int("-1", 0, 100).has_value());
    assert_false(scx::parse_int("99999999999999999999", 0, 9223372036854775807LL).has_value()); // overflow
}

static void parse_duration__units__nanoseconds(void **)
{
    assert_int_equal(*scx::parse_duration_ns("250ns", 1e9, 1e18), 250);
    assert_int_equal(*scx::parse_duration_ns("250us", 1e9, 1e18), 250000);
    assert_int_equal(*scx::parse_duration_ns("10ms", 1e9, 1e18), 10000000);
    assert_int_equal(*scx::parse_duration_ns("1.5s", 1e9, 1e18), 1500000000);
    assert_int_equal(*scx::parse_duration_ns("2m", 1e9, 1e18), 120000000000ULL);
    assert_int_equal(*scx::parse_duration_ns("1min", 1e9, 1e18), 60000000000ULL);
    assert_int_equal(*scx::parse_duration_ns("0", 1e9, 1e18), 0);
}

static void parse_duration__bare_number__default_unit(void **)
{
    assert_int_equal(*scx::parse_duration_ns("2", 1e9, 1e18), 2000000000);
    assert_int_equal(*scx::parse_duration_ns("2", 1, 1e18), 2);
    assert_int_equal(*scx::parse_duration_ns("0.5", 1e6, 1e18), 500000);
}

static void parse_duration__malformed_negative_or_too_long__nothing(void **)
{
    assert_false(scx::parse_duration_ns("", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("ms", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("10 ms", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("10h", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("-1s", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("nan", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("inf", 1, 1e18).has_value());
    assert_false(scx::parse_duration_ns("1e-400", 1, 1e18).has_value()); // underflow: ERANGE
    assert_int_equal(*scx::parse_duration_ns("10s", 1, 1e10), 10000000000ULL); // at the limit
    assert_false(scx::parse_duration_ns("11s", 1, 1e10).has_value());
}

static void split__separators__every_piece_even_empty(void **)
{
    const auto v = scx::split("a=1,,b=2,", ',');
    assert_int_equal(v.size(), 4);
    assert_str_equal(v[0], "a=1");
    assert_str_equal(v[1], "");
    assert_str_equal(v[2], "b=2");
    assert_str_equal(v[3], "");
    assert_int_equal(scx::split("", '/').size(), 1);
    assert_int_equal(scx::split("0/5/-3", '/').size(), 3);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_int__in_range__value),
        cmocka_unit_test(parse_int__malformed_or_out_of_range__nothing),
        cmocka_unit_test(parse_duration__units__nanoseconds),
        cmocka_unit_test(parse_duration__bare_number__default_unit),
        cmocka_unit_test(parse_duration__malformed_negative_or_too_long__nothing),
        cmocka_unit_test(split__separators__every_piece_even_empty),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
