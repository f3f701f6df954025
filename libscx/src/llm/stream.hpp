// SPDX-License-Identifier: MIT
//
// <scx/llm/stream.hpp> - incremental parsers for streamed HTTP bodies:
// Server-Sent Events (OpenAI, Anthropic) and newline-delimited JSON
// (Ollama). Bytes arrive in arbitrary pieces; complete events and lines are
// handed out as soon as they are whole.

#ifndef SCX_LLM_STREAM_HPP
#define SCX_LLM_STREAM_HPP

#include <functional>
#include <string>
#include <string_view>

namespace scx::llm {

struct SseEvent {
    std::string event; // "event:" field ("" when absent: a "message" event)
    std::string data;  // "data:" fields joined with '\n'
    std::string id;
};

// text/event-stream as the HTML Living Standard defines it: fields
// "event", "data", "id" ("retry" and unknown fields ignored), comment lines
// starting with ':', an event dispatched at each blank line, lines ended by
// LF, CRLF or CR, a leading byte-order mark skipped.
class SseParser {
public:
    // Feed bytes; on_event is called for every complete event and may return
    // false to stop (feed() then returns false at once).
    bool feed(std::string_view bytes, const std::function<bool(const SseEvent &)> &on_event);

private:
    bool line(std::string_view l, const std::function<bool(const SseEvent &)> &on_event);
    std::string line_;
    SseEvent cur_;
    bool data_seen_ = false, started_ = false, last_cr_ = false;
};

// JSON Lines / NDJSON: one value per line; blank lines skipped.
class LineParser {
public:
    bool feed(std::string_view bytes, const std::function<bool(std::string_view)> &on_line);
    // The last line when the stream did not end with a newline ("" if none).
    std::string take_rest();

private:
    std::string buf_;
};

} // namespace scx::llm

#endif // SCX_LLM_STREAM_HPP
