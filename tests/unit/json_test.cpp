// SPDX-License-Identifier: MIT
#include "base/json.hpp"

#include <cstdlib>

#include "test.hpp"

static void parse__malformed__reports_line_and_column(void **)
{
    auto r = scx::json::parse("{\n  \"a\": 1,\n  \"b\": \n}", "doc.json");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_non_null(std::strstr(r.error().message.c_str(), "doc.json:4:1:"));
}

static void parse__duplicate_keys__rejected(void **)
{
    auto r = scx::json::parse("{\"a\": 1, \"a\": 2}", "dup.json");
    assert_false(r.ok());
    assert_non_null(std::strstr(r.error().message.c_str(), "duplicate"));
}

static void check_schema__matching__ok(void **)
{
    auto r = scx::json::parse(R"({"schema": "scxkit.build/1", "ok": true})", "x");
    assert_true(r.ok());
    assert_true(scx::json::check_schema(r->get(), "scxkit.build", 1, "x").ok());
}

static void check_schema__other_kind__names_both(void **)
{
    auto r = scx::json::parse(R"({"schema": "scxkit.bench/1"})", "x.json");
    auto c = scx::json::check_schema(r->get(), "scxkit.build", 1, "x.json");
    assert_false(c.ok());
    assert_non_null(std::strstr(c.error().message.c_str(), "scxkit.bench/1"));
    assert_non_null(std::strstr(c.error().message.c_str(), "scxkit.build/1"));
}

static void check_schema__newer_major__refused(void **)
{
    auto r = scx::json::parse(R"({"schema": "scxkit.build/2"})", "x.json");
    auto c = scx::json::check_schema(r->get(), "scxkit.build", 1, "x.json");
    assert_false(c.ok());
    assert_int_equal(static_cast<int>(c.error().exit), 65);
    assert_non_null(std::strstr(c.error().message.c_str(), "unsupported version"));
}

static void check_schema__missing_or_not_object__refused(void **)
{
    auto a = scx::json::parse(R"({"ok": true})", "a");
    assert_false(scx::json::check_schema(a->get(), "scxkit.build", 1, "a").ok());
    auto b = scx::json::parse(R"([1, 2])", "b");
    assert_false(scx::json::check_schema(b->get(), "scxkit.build", 1, "b").ok());
    auto c = scx::json::parse(R"({"schema": "scxkit.build/x"})", "c");
    assert_false(scx::json::check_schema(c->get(), "scxkit.build", 1, "c").ok());
}

static void setters_and_getters__round_trip(void **)
{
    auto o = scx::json::object();
    scx::json::set(o.get(), "s", std::string_view("text"));
    scx::json::set(o.get(), "i", static_cast<std::int64_t>(-7));
    scx::json::set(o.get(), "u", static_cast<std::uint64_t>(1) << 40);
    scx::json::set(o.get(), "d", 0.25);
    scx::json::set(o.get(), "b", true);
    scx::json::set(o.get(), "n", static_cast<const char *>(nullptr));
    const std::string text = scx::json::dump(o.get(), false);
    assert_str_equal(text, R"({"s":"text","i":-7,"u":1099511627776,"d":0.25,"b":true,"n":null})");
    auto back = scx::json::parse(text, "t");
    assert_string_equal(scx::json::get_string(back->get(), "s"), "text");
    assert_int_equal(scx::json::get_int(back->get(), "i"), -7);
    assert_true(scx::json::get_number(back->get(), "d") == 0.25);
    assert_true(scx::json::get_bool(back->get(), "b"));
    assert_null(scx::json::get_string(back->get(), "missing"));
    assert_int_equal(scx::json::get_int(back->get(), "missing", 42), 42);
}

static void value__copy_and_move__share_reference(void **)
{
    auto a = scx::json::object();
    json_t *raw = a.get();
    {
        scx::json::Value b = a;
        assert_ptr_equal(b.get(), raw);
        assert_int_equal(raw->refcount, 2);
    }
    assert_int_equal(raw->refcount, 1);
    scx::json::Value c = std::move(a);
    assert_null(a.get());
    assert_ptr_equal(c.get(), raw);
}

static void parse__not_utf8__position_and_byte(void **)
{
    auto r = scx::json::parse("{\n  \"requirement\": \"caf\xe9\"\n}", "p.json");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_non_null(std::strstr(r.error().message.c_str(), "p.json:2:22: not valid UTF-8 (byte 0xe9 at offset 23)"));
    // A line of a stream: its own line number.
    r = scx::json::parse_line("{\"a\": \"\xff\"}", "h.jsonl", 5);
    assert_false(r.ok());
    assert_non_null(std::strstr(r.error().message.c_str(), "h.jsonl:5:8: not valid UTF-8 (byte 0xff)"));
}

static void set__not_utf8__carried_visibly(void **)
{
    auto o = scx::json::object();
    scx::json::set(o.get(), "content", std::string_view("caf\xe9"));
    scx::json::set(o.get(), "c_str", "x\xff");
    assert_non_null(scx::json::get_string(o.get(), "content"));
    assert_string_equal(scx::json::get_string(o.get(), "content"), "caf\xef\xbf\xbd");
    assert_string_equal(scx::json::get_string(o.get(), "c_str"), "x\xef\xbf\xbd");
}

static void parse_file__missing__no_input(void **)
{
    auto r = scx::json::parse_file("/nonexistent/x.json");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 66);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse__malformed__reports_line_and_column),
        cmocka_unit_test(parse__duplicate_keys__rejected),
        cmocka_unit_test(check_schema__matching__ok),
        cmocka_unit_test(check_schema__other_kind__names_both),
        cmocka_unit_test(check_schema__newer_major__refused),
        cmocka_unit_test(check_schema__missing_or_not_object__refused),
        cmocka_unit_test(setters_and_getters__round_trip),
        cmocka_unit_test(value__copy_and_move__share_reference),
        cmocka_unit_test(parse__not_utf8__position_and_byte),
        cmocka_unit_test(set__not_utf8__carried_visibly),
        cmocka_unit_test(parse_file__missing__no_input),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
