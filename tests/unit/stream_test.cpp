// SPDX-License-Identifier: MIT
#include "llm/stream.hpp"

#include <vector>

#include "test.hpp"

using scx::llm::LineParser;
using scx::llm::SseEvent;
using scx::llm::SseParser;

namespace {

std::vector<SseEvent> events;

// Feed `text` in pieces of `step` bytes.
void sse(const std::string &text, size_t step)
{
    events.clear();
    SseParser p;
    for (size_t i = 0; i < text.size(); i += step)
        p.feed(std::string_view(text).substr(i, step), [](const SseEvent &e) {
            events.push_back(e);
            return true;
        });
}

} // namespace

static void sse__any_split__same_events(void **)
{
    const std::string text = "\xEF\xBB\xBF: keep-alive\n\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\n"
                             "data: line1\ndata:line2\nid: 7\nretry: 10\n\ndata: [DONE]\n\n";
    for (size_t step = 1; step <= text.size(); step++) {
        sse(text, step);
        assert_int_equal(events.size(), 3);
        assert_str_equal(events[0].event, "message_start");
        assert_str_equal(events[0].data, "{\"a\":1}");
        assert_str_equal(events[1].data, "line1\nline2");
        assert_str_equal(events[1].id, "7");
        assert_str_equal(events[2].data, "[DONE]");
    }
}

static void sse__event_without_data__not_dispatched(void **)
{
    sse("event: ping\n\n\n", 4);
    assert_int_equal(events.size(), 0);
}

static void sse__callback_false__stops(void **)
{
    SseParser p;
    int n = 0;
    const bool more = p.feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent &) { return ++n < 1; });
    assert_false(more);
    assert_int_equal(n, 1);
}

static void sse__cr_line_ends__accepted(void **)
{
    sse("data: x\r\rdata: y\r\r", 3);
    assert_int_equal(events.size(), 2);
    assert_str_equal(events[1].data, "y");
}

static void lines__split_blank_and_rest(void **)
{
    LineParser p;
    std::vector<std::string> got;
    const std::string text = "{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}";
    for (char c : text)
        p.feed(std::string_view(&c, 1), [&](std::string_view l) {
            got.emplace_back(l);
            return true;
        });
    assert_int_equal(got.size(), 2);
    assert_str_equal(got[0], "{\"a\":1}");
    assert_str_equal(got[1], "{\"b\":2}");
    assert_str_equal(p.take_rest(), "{\"c\":3}");
    assert_str_equal(p.take_rest(), "");
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sse__any_split__same_events),
        cmocka_unit_test(sse__event_without_data__not_dispatched),
        cmocka_unit_test(sse__callback_false__stops),
        cmocka_unit_test(sse__cr_line_ends__accepted),
        cmocka_unit_test(lines__split_blank_and_rest),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
