// SPDX-License-Identifier: MIT
#include <scx/feedback.hpp>

#include <scx/diagnostics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace scx {

namespace {

std::string number_text(const json_t *v)
{
    if (json_is_integer(v))
        return std::to_string(json_integer_value(v));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", json_real_value(v));
    return buf;
}

std::string scalar_text(const json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_number(v))
        return number_text(v);
    if (json_is_true(v))
        return "true";
    if (json_is_false(v))
        return "false";
    return "null";
}

bool all_numbers(const json_t *arr)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_number(v))
            return false;
    }
    return json_array_size(arr) > 0;
}

std::string summarise_numbers(const json_t *arr)
{
    std::vector<double> xs;
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) xs.push_back(json_number_value(v));
    std::sort(xs.begin(), xs.end());
    const size_t n = xs.size();
    const double median = n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu values, min %.6g, median %.6g, max %.6g", n, xs.front(), median, xs.back());
    return buf;
}

// A name for an array item: its "name", "command", "subject" or "policy".
std::string item_title(const json_t *o, size_t index)
{
    for (const char *k : {"name", "subject", "policy", "command", "label"})
        if (const char *s = json::get_string(o, k))
            return s;
    return "#" + std::to_string(index + 1);
}

struct Renderer {
    std::string out;
    int lines = 0;
    int max_lines;
    bool cut = false;

    void put(int indent, const std::string &text)
    {
        if (lines >= max_lines) {
            cut = true;
            return;
        }
        out += std::string(static_cast<size_t>(indent) * 2, ' ') + text + "\n";
        lines++;
    }

    void members(const json_t *obj, int indent)
    {
        const char *key;
        const json_t *v;
        json_object_foreach(const_cast<json_t *>(obj), key, v)
        {
            if (indent == 0 && std::string_view(key) == "schema")
                continue;
            value(key, v, indent);
        }
    }

    void value(const std::string &key, const json_t *v, int indent)
    {
        if (json_is_object(v)) {
            if (json_object_size(v) == 0)
                return;
            put(indent, key + ":");
            members(v, indent + 1);
        } else if (json_is_array(v)) {
            if (json_array_size(v) == 0)
                return;
            if (all_numbers(v)) {
                put(indent, key + ": " + summarise_numbers(v));
                return;
            }
            put(indent, key + ":");
            size_t i;
            const json_t *item;
            json_array_foreach(v, i, item)
            {
                if (json_is_object(item)) {
                    put(indent + 1, "- " + item_title(item, i) + ":");
                    members(item, indent + 2);
                } else if (json_is_array(item)) {
                    value("- #" + std::to_string(i + 1), item, indent + 1);
                } else {
                    put(indent + 1, "- " + scalar_text(item));
                }
            }
        } else {
            put(indent, key + ": " + scalar_text(v));
        }
    }
};

} // namespace

std::string render_members(const json_t *obj, int indent, int max_lines)
{
    Renderer r;
    r.max_lines = max_lines;
    if (json_is_object(obj))
        r.members(obj, indent);
    if (r.cut)
        r.out += "(more members left out)\n";
    return r.out;
}

Result<json::Value> parse_json_line(std::string_view line, const std::string &source, long line_no)
{
    json_error_t err;
    json_t *j = json_loadb(line.data(), line.size(), JSON_REJECT_DUPLICATES, &err);
    if (!j)
        return Error(Exit::data, source + ":" + std::to_string(line_no) + ":" + std::to_string(err.column) +
                                     ": invalid JSON: " + err.text);
    return json::Value::steal(j);
}

Result<json::Value> parse_document_or_last_line(std::string_view text, const std::string &source)
{
    // One document?
    json_error_t err;
    json_t *whole = json_loadb(text.data(), text.size(), JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &err);
    if (whole) {
        auto owned = json::Value::steal(whole);
        const std::string_view rest = text.substr(std::min(text.size(), static_cast<size_t>(err.position)));
        if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return owned;
        // More follows: JSON Lines. The document is the last non-empty line.
        size_t end = text.find_last_not_of(" \t\r\n");
        size_t start = text.rfind('\n', end);
        start = start == std::string_view::npos ? 0 : start + 1;
        const long line_no = 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<long>(start), '\n'));
        return parse_json_line(text.substr(start, end + 1 - start), source, line_no);
    }
    return json::parse(text, source);
}

Result<FixInfo> read_fix(const json_t *doc, const std::string &source, int max_diags)
{
    if (auto r = json::check_schema(doc, "scxkit.build", 1, source); !r)
        return std::move(r).error();
    FixInfo fix;
    const char *src = json::get_string(doc, "source");
    fix.source = src ? src : "";
    const json_t *err = json_object_get(doc, "error");
    if (json_is_object(err)) {
        const char *msg = json::get_string(err, "message");
        fix.stopped = true;
        fix.errors = 1;
        fix.text = std::string("scx-build stopped before compiling: ") + (msg ? msg : "(no message)") + "\n";
        return fix;
    }
    const json_t *arr = json_object_get(doc, "diagnostics");
    if (arr && !json_is_array(arr))
        return Error(Exit::data, source + ": \"diagnostics\" is not an array");
    const std::vector<Diagnostic> all = diagnostics_from_json(arr);
    std::vector<Diagnostic> errors, warnings;
    for (const auto &d : all)
        (d.severity == "warning" ? warnings : errors).push_back(d);
    std::erase_if(errors, [](const Diagnostic &d) { return d.severity != "error"; });
    const size_t limit = static_cast<size_t>(std::max(1, max_diags));
    auto quote = [&](std::vector<Diagnostic> &v, const char *what) {
        std::string s;
        const size_t total = v.size();
        if (v.size() > limit)
            v.resize(limit);
        s += format_diagnostics(v);
        if (total > v.size())
            s += "(" + std::to_string(total - v.size()) + " more " + what + " not shown)\n";
        return s;
    };
    fix.errors = static_cast<int>(errors.size());
    fix.warnings = static_cast<int>(warnings.size());
    if (!errors.empty())
        fix.text += quote(errors, "errors");
    if (!warnings.empty())
        fix.text += (fix.text.empty() ? "" : "\nWarnings:\n") + quote(warnings, "warnings");
    if (fix.errors == 0 && !json::get_bool(doc, "ok", false) && fix.text.empty())
        fix.text = "The build failed without a diagnostic.\n";
    return fix;
}

Result<FeedbackInfo> read_feedback(const json_t *doc, const std::string &source)
{
    if (!json_is_object(doc))
        return Error(Exit::data, source + ": expected a JSON object (scxkit.run/1 or scxkit.bench/1)");
    const char *schema = json::get_string(doc, "schema");
    const std::string s = schema ? schema : "";
    const std::string kind = s.substr(0, s.rfind('/'));
    if (kind != "scxkit.run" && kind != "scxkit.bench")
        return Error(Exit::data, source + ": " +
                                     (s.empty() ? std::string("no \"schema\" member") : "schema is \"" + s + "\"") +
                                     ", expected \"scxkit.run/1\" or \"scxkit.bench/1\"");
    if (auto r = json::check_schema(doc, kind, 1, source); !r)
        return std::move(r).error();

    FeedbackInfo info;
    info.schema = s;
    std::string &t = info.text;
    // The exit report first: an ejection is the most important news.
    const json_t *exit = json_object_get(doc, "exit");
    if (json_is_object(exit)) {
        const char *k = json::get_string(exit, "kind");
        const char *reason = json::get_string(exit, "reason");
        const char *message = json::get_string(exit, "message");
        t += std::string("Exit: ") + (k ? k : "unknown");
        if (reason && *reason)
            t += std::string(": ") + reason;
        if (message && *message)
            t += std::string(" (") + message + ")";
        t += "\n";
    }
    for (const char *key : {"metrics", "counters"}) {
        const json_t *o = json_object_get(doc, key);
        if (json_is_object(o) && json_object_size(o) > 0)
            t += std::string(key == std::string_view("metrics") ? "Metrics" : "Counters") + ":\n" + render_members(o, 1);
    }
    // Everything else, generically (bench statistics, comparison, verdict...).
    auto rest = json::Value::steal(json_deep_copy(doc));
    for (const char *key : {"exit", "metrics", "counters"})
        json_object_del(rest.get(), key);
    t += render_members(rest.get(), 0);
    return info;
}

} // namespace scx
