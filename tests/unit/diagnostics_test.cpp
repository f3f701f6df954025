// SPDX-License-Identifier: MIT
#include "loop/diagnostics.hpp"
#include "base/fs.hpp"

#include "test.hpp"

static std::string data(const char *name)
{
    auto r = scx::read_file(env_path("SCX_TEST_DATA") + "/" + name);
    return r ? *r : std::string();
}

static const char *SOURCE = "#include <vector>\nint f(int x) {\n  int unused = x;\n  return y;\n}\n";

static void gcc_json__error_and_warning__parsed_with_locations(void **)
{
    auto r = scx::parse_diagnostics(data("gcc-errors.txt"), scx::DiagFormat::gcc_json);
    assert_true(r.ok());
    assert_int_equal(r->size(), 2);
    const auto &e = (*r)[0];
    assert_str_equal(e.severity, "error");
    assert_str_equal(e.file, "bad.cpp");
    assert_int_equal(e.line, 4);
    assert_int_equal(e.column, 10);
    assert_non_null(std::strstr(e.message.c_str(), "was not declared"));
    const auto &w = (*r)[1];
    assert_str_equal(w.severity, "warning");
    assert_str_equal(w.option, "-Wunused-variable");
    assert_int_equal(w.line, 3);
}

static void gcc_link__undefined_reference__is_an_error(void **)
{
    auto r = scx::parse_diagnostics(data("gcc-link.txt"), scx::DiagFormat::gcc_json);
    assert_true(r.ok());
    assert_int_equal(r->size(), 1);
    assert_str_equal((*r)[0].severity, "error");
    assert_non_null(std::strstr((*r)[0].message.c_str(), "undefined reference to `helper(int)'"));
}

static void sarif__clang_output__parsed(void **)
{
    auto r = scx::parse_diagnostics(data("clang-errors.sarif"), scx::DiagFormat::sarif);
    assert_true(r.ok());
    assert_int_equal(scx::count_severity(*r, "error"), 1);
    for (const auto &d : *r) {
        if (d.severity == "error") {
            assert_int_equal(d.line, 4);
            assert_int_equal(d.column, 10);
            assert_true(d.file.size() >= 7 && d.file.compare(d.file.size() - 7, 7, "bad.cpp") == 0);
        }
    }
}

static void text__classic_lines__parsed_and_notes_attached(void **)
{
    auto r = scx::parse_diagnostics("p.cpp:7:3: error: expected ';' before '}' token\n"
                                    "p.cpp:2:1: note: in this function\n"
                                    "p.cpp:9: warning: no column here\n"
                                    "collect2: error: ld returned 1 exit status\n",
                                    scx::DiagFormat::text);
    assert_true(r.ok());
    assert_int_equal(r->size(), 2);
    assert_int_equal((*r)[0].line, 7);
    assert_int_equal((*r)[0].column, 3);
    assert_int_equal((*r)[0].notes.size(), 1);
    assert_int_equal((*r)[1].line, 9);
    assert_int_equal((*r)[1].column, 0);
}

static void malformed_json__data_error(void **)
{
    auto r = scx::parse_diagnostics("[{\"kind\": \"error\",\n", scx::DiagFormat::gcc_json);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
}

// What GCC 12 prints for a static_assert and an #error whose text holds a
// Latin-1 byte (0xe9): the byte is echoed as it is.
static void gcc_json__invalid_utf8__bytes_replaced_locations_kept(void **)
{
    const std::string err =
        "[{\"kind\": \"error\", \"children\": [], \"locations\": [{\"caret\": {\"line\": 2, \"file\": \"p.cpp\", "
        "\"column\": 1}}], \"message\": \"static assertion failed: caf\xe9\"}, "
        "{\"kind\": \"error\", \"children\": [], \"locations\": [{\"caret\": {\"line\": 3, \"file\": \"p.cpp\", "
        "\"column\": 2}}], \"message\": \"#error caf\xe9 \xff here\"}]\n"
        "p.cpp:9:1: warning: plain caf\xe9\n";
    auto r = scx::parse_diagnostics(err, scx::DiagFormat::gcc_json);
    assert_true(r.ok());
    assert_int_equal(r->size(), 3);
    assert_str_equal((*r)[0].message, "static assertion failed: caf\xef\xbf\xbd");
    assert_int_equal((*r)[0].line, 2);
    assert_int_equal((*r)[0].column, 1);
    assert_str_equal((*r)[1].message, "#error caf\xef\xbf\xbd \xef\xbf\xbd here");
    assert_int_equal((*r)[1].line, 3);
    assert_int_equal((*r)[1].column, 2);
    assert_str_equal((*r)[2].severity, "warning");
    assert_str_equal((*r)[2].message, "plain caf\xef\xbf\xbd");
    assert_int_equal((*r)[2].line, 9);
}

static void attach_source__renames_and_quotes_line(void **)
{
    auto r = scx::parse_diagnostics(data("gcc-errors.txt"), scx::DiagFormat::gcc_json);
    assert_true(r.ok());
    scx::attach_source(*r, "bad.cpp", "policy.cpp", SOURCE);
    assert_str_equal((*r)[0].file, "policy.cpp");
    assert_str_equal((*r)[0].source_line, "  return y;");
    assert_str_equal((*r)[1].source_line, "  int unused = x;");
    const std::string text = scx::format_diagnostics(*r);
    assert_non_null(std::strstr(text.c_str(), "policy.cpp:4:10: error:"));
    assert_non_null(std::strstr(text.c_str(), "    4 |   return y;\n       |          ^\n"));
}

static void json__round_trip__preserves_fields(void **)
{
    auto r = scx::parse_diagnostics(data("gcc-errors.txt"), scx::DiagFormat::gcc_json);
    assert_true(r.ok());
    scx::attach_source(*r, "bad.cpp", "p.cpp", SOURCE);
    auto j = scx::diagnostics_to_json(*r);
    auto back = scx::diagnostics_from_json(j.get());
    assert_int_equal(back.size(), r->size());
    assert_str_equal(back[1].option, "-Wunused-variable");
    assert_str_equal(back[0].source_line, (*r)[0].source_line);
    assert_int_equal(back[0].column, 10);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gcc_json__error_and_warning__parsed_with_locations),
        cmocka_unit_test(gcc_link__undefined_reference__is_an_error),
        cmocka_unit_test(sarif__clang_output__parsed),
        cmocka_unit_test(text__classic_lines__parsed_and_notes_attached),
        cmocka_unit_test(malformed_json__data_error),
        cmocka_unit_test(gcc_json__invalid_utf8__bytes_replaced_locations_kept),
        cmocka_unit_test(attach_source__renames_and_quotes_line),
        cmocka_unit_test(json__round_trip__preserves_fields),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
