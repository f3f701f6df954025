// SPDX-License-Identifier: MIT
#include "loop/history.hpp"

#include "loop/feedback.hpp"
#include "base/json.hpp"

#include <cstdio>

namespace scx {

namespace {

// "name=value; group.name=value" for every scalar member but the ones the
// round line shows anyway and "cost" (what the loop spent on the model and
// its own time: bookkeeping that says nothing about a policy, and would make
// every prompt differ); arrays are counted, not listed.
void flatten(const json_t *o, const std::string &prefix, std::string &out)
{
    const char *key;
    const json_t *v;
    json_object_foreach(const_cast<json_t *>(o), key, v)
    {
        const std::string k(key);
        if (prefix.empty() && (k == "schema" || k == "type" || k == "round" || k == "change" || k == "outcome" ||
                               k == "cost"))
            continue;
        std::string item;
        if (json_is_object(v)) {
            flatten(v, prefix + k + ".", out);
            continue;
        }
        if (json_is_array(v))
            item = std::to_string(json_array_size(v)) + " items";
        else if (json_is_string(v))
            item = json_string_value(v);
        else if (json_is_integer(v))
            item = std::to_string(json_integer_value(v));
        else if (json_is_real(v)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.6g", json_real_value(v));
            item = buf;
        } else
            item = json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null";
        out += (out.empty() ? "" : "; ") + prefix + k + "=" + item;
    }
}

} // namespace

Result<std::vector<HistoryRound>> read_history(std::string_view text, const std::string &source)
{
    std::vector<HistoryRound> out;
    size_t pos = 0;
    long line_no = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        line_no++;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        auto v = json::parse_line(line, source, line_no);
        if (!v)
            return std::move(v).error();
        const json_t *o = v->get();
        const std::string where = source + ":" + std::to_string(line_no);
        if (!json_is_object(o))
            return Error(Exit::data, where + ": expected a JSON object per line (scxkit.history/1)");
        if (json_object_get(o, "schema"))
            if (auto r = json::check_schema(o, "scxkit.history", 1, where); !r)
                return std::move(r).error();
        const char *type = json::get_string(o, "type");
        if (!type)
            return Error(Exit::data, where + ": no \"type\" member (expected \"round\")");
        if (std::string_view(type) != "round")
            continue;
        HistoryRound r;
        r.round = static_cast<long>(json::get_int(o, "round", static_cast<long>(out.size()) + 1));
        const char *change = json::get_string(o, "change");
        const char *outcome = json::get_string(o, "outcome");
        r.change = change ? change : "";
        r.outcome = outcome ? outcome : "";
        std::string details;
        flatten(o, "", details);
        r.details = details;
        out.push_back(std::move(r));
    }
    return out;
}

std::string render_history(const std::vector<HistoryRound> &rounds, std::size_t max_rounds)
{
    std::string s;
    const size_t first = rounds.size() > max_rounds ? rounds.size() - max_rounds : 0;
    if (first > 0)
        s += "(" + std::to_string(first) + " earlier rounds left out)\n";
    for (size_t i = first; i < rounds.size(); i++) {
        const auto &r = rounds[i];
        s += "- round " + std::to_string(r.round) + ": " + (r.change.empty() ? "(no description)" : r.change);
        if (!r.outcome.empty())
            s += " -> " + r.outcome;
        if (!r.details.empty())
            s += " [" + r.details + "]";
        s += "\n";
    }
    return s;
}

} // namespace scx
