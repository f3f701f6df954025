// SPDX-License-Identifier: MIT
// UTF-8 checks, control characters and "did you mean".
#include "base/text.hpp"

#include "test.hpp"

static void utf8__valid_text__nothing_found(void **)
{
    assert_false(scx::find_invalid_utf8("plain ASCII\n").has_value());
    assert_false(scx::find_invalid_utf8("caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80").has_value());
    assert_false(scx::find_invalid_utf8("").has_value());
}

static void utf8__latin1_byte__offset_line_column(void **)
{
    // "line one\ncaf\xe9" : the Latin-1 e-acute is byte 12, line 2, column 4.
    auto p = scx::find_invalid_utf8("line one\ncaf\xe9 au lait");
    assert_true(p.has_value());
    assert_int_equal(p->offset, 12);
    assert_int_equal(p->line, 2);
    assert_int_equal(p->column, 4);
    assert_int_equal(p->byte, 0xe9);
    // Columns count characters, not bytes.
    p = scx::find_invalid_utf8("\xc3\xa9\xc3\xa9\xff");
    assert_int_equal(p->offset, 4);
    assert_int_equal(p->column, 3);
    // Lines counted from first_line (a line of a JSON Lines stream).
    p = scx::find_invalid_utf8("x\xe9", 7);
    assert_int_equal(p->line, 7);
}

static void utf8__forbidden_forms__refused(void **)
{
    assert_true(scx::find_invalid_utf8("\xc0\xaf").has_value());         // overlong '/'
    assert_true(scx::find_invalid_utf8("\xe0\x80\xaf").has_value());     // overlong
    assert_true(scx::find_invalid_utf8("\xed\xa0\x80").has_value());     // surrogate U+D800
    assert_true(scx::find_invalid_utf8("\xf4\x90\x80\x80").has_value()); // above U+10FFFF
    assert_true(scx::find_invalid_utf8("ab\xe2\x82").has_value());       // cut short
    assert_true(scx::find_invalid_utf8("\x80").has_value());             // lone continuation
}

static void utf8__error__names_source_position_and_byte(void **)
{
    auto r = scx::check_utf8("prefer caf\xe9 tasks", "the requirement (argument 1)");
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_str_equal(r.error().message, "the requirement (argument 1):1:11: not valid UTF-8 (byte 0xe9 at offset 10): "
                                        "convert the text to UTF-8, e.g. with iconv -f LATIN1 -t UTF-8");
    assert_true(scx::check_utf8("caf\xc3\xa9", "x").ok());
}

static void utf8__replace__bad_bytes_visible(void **)
{
    assert_str_equal(scx::replace_invalid_utf8("caf\xe9!"), "caf\xef\xbf\xbd!");
    assert_str_equal(scx::replace_invalid_utf8("caf\xc3\xa9"), "caf\xc3\xa9");
}

static void control_char__found_and_named(void **)
{
    assert_false(scx::find_control_char("sk-abc_DEF.123 ~").has_value());
    assert_int_equal(*scx::find_control_char("sk-abc\r\nX-Injected: 1"), 6);
    assert_int_equal(*scx::find_control_char("a\x7f"), 1);
    assert_int_equal(*scx::find_control_char(std::string_view("a\0b", 3)), 1);
    assert_str_equal(scx::control_char_name('\r'), "a carriage return (0x0d)");
    assert_str_equal(scx::control_char_name('\n'), "a line feed (0x0a)");
    assert_str_equal(scx::control_char_name(0x1b), "byte 0x1b");
}

static void edit_distance__insertions_and_transpositions(void **)
{
    assert_int_equal(scx::edit_distance("cout", "count"), 1);
    assert_int_equal(scx::edit_distance("durration", "duration"), 1);
    assert_int_equal(scx::edit_distance("sned", "send"), 1);
    assert_int_equal(scx::edit_distance("", "abc"), 3);
    assert_int_equal(scx::edit_distance("kitten", "sitting"), 3);
    assert_int_equal(scx::edit_distance("same", "same"), 0);
}

static void closest_word__near_only(void **)
{
    const std::vector<std::string> keys = {"name", "count", "nice", "weight", "cpus", "program"};
    assert_str_equal(scx::closest_word("cout", keys), "count");
    assert_str_equal(scx::closest_word("cpu", keys), "cpus");
    assert_str_equal(scx::closest_word("programme", keys), "program");
    assert_str_equal(scx::closest_word("colour", keys), "");
    assert_str_equal(scx::closest_word("x", keys), ""); // one letter is no misspelling
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8__valid_text__nothing_found),
        cmocka_unit_test(utf8__latin1_byte__offset_line_column),
        cmocka_unit_test(utf8__forbidden_forms__refused),
        cmocka_unit_test(utf8__error__names_source_position_and_byte),
        cmocka_unit_test(utf8__replace__bad_bytes_visible),
        cmocka_unit_test(control_char__found_and_named),
        cmocka_unit_test(edit_distance__insertions_and_transpositions),
        cmocka_unit_test(closest_word__near_only),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
