// SPDX-License-Identifier: MIT
#include "llm/stream.hpp"

namespace scx::llm {

bool SseParser::feed(std::string_view bytes, const std::function<bool(const SseEvent &)> &on_event)
{
    for (size_t i = 0; i < bytes.size(); i++) {
        const char c = bytes[i];
        if (last_cr_) {
            last_cr_ = false;
            if (c == '\n')
                continue; // CRLF: the line ended at the CR
        }
        if (c == '\r' || c == '\n') {
            last_cr_ = c == '\r';
            std::string l;
            l.swap(line_);
            if (!line(l, on_event))
                return false;
            continue;
        }
        line_ += c;
    }
    return true;
}

bool SseParser::line(std::string_view l, const std::function<bool(const SseEvent &)> &on_event)
{
    if (!started_) {
        started_ = true;
        if (l.substr(0, 3) == "\xEF\xBB\xBF")
            l.remove_prefix(3);
    }
    if (l.empty()) {
        const bool dispatch = data_seen_;
        SseEvent ev = std::move(cur_);
        cur_ = SseEvent{};
        data_seen_ = false;
        if (dispatch)
            return on_event(ev);
        return true;
    }
    if (l.front() == ':')
        return true; // comment (keep-alive)
    const size_t colon = l.find(':');
    std::string_view field = l.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
    if (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    if (field == "data") {
        if (data_seen_)
            cur_.data += '\n';
        cur_.data.append(value);
        data_seen_ = true;
    } else if (field == "event") {
        cur_.event.assign(value);
    } else if (field == "id") {
        cur_.id.assign(value);
    }
    return true;
}

bool LineParser::feed(std::string_view bytes, const std::function<bool(std::string_view)> &on_line)
{
    buf_.append(bytes);
    size_t start = 0, nl;
    while ((nl = buf_.find('\n', start)) != std::string::npos) {
        std::string_view l(buf_.data() + start, nl - start);
        start = nl + 1;
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (l.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        if (!on_line(l)) {
            buf_.erase(0, start);
            return false;
        }
    }
    buf_.erase(0, start);
    return true;
}

std::string LineParser::take_rest()
{
    std::string rest;
    rest.swap(buf_);
    if (rest.find_first_not_of(" \t\r") == std::string::npos)
        rest.clear();
    return rest;
}

} // namespace scx::llm
