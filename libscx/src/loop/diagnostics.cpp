// SPDX-License-Identifier: MIT
#include "loop/diagnostics.hpp"

#include "base/text.hpp"

#include <cstdlib>
#include <cstring>

namespace scx {

namespace {

std::string normalise_severity(std::string_view kind)
{
    if (kind.find("error") != std::string_view::npos || kind == "sorry, unimplemented")
        return "error";
    if (kind.find("warning") != std::string_view::npos)
        return "warning";
    return "note";
}

// ---- GCC: -fdiagnostics-format=json ---------------------------------------

Diagnostic gcc_diag(const json_t *d)
{
    Diagnostic out;
    const char *kind = json::get_string(d, "kind");
    out.severity = normalise_severity(kind ? kind : "note");
    const char *msg = json::get_string(d, "message");
    out.message = msg ? msg : "";
    const char *opt = json::get_string(d, "option");
    out.option = opt ? opt : "";
    const json_t *locs = json_object_get(d, "locations");
    if (json_is_array(locs) && json_array_size(locs) > 0) {
        const json_t *caret = json_object_get(json_array_get(locs, 0), "caret");
        if (caret) {
            const char *file = json::get_string(caret, "file");
            out.file = file ? file : "";
            out.line = static_cast<int>(json::get_int(caret, "line"));
            out.column = static_cast<int>(json::get_int(caret, "column"));
        }
    }
    const json_t *children = json_object_get(d, "children");
    size_t i;
    const json_t *c;
    json_array_foreach(children, i, c)
    {
        Diagnostic note = gcc_diag(c);
        note.severity = "note";
        out.notes.push_back(std::move(note));
    }
    return out;
}

// ---- Clang: SARIF 2.1 -------------------------------------------------------

std::string uri_to_path(const char *uri)
{
    if (!uri)
        return {};
    std::string s(uri);
    if (s.rfind("file://", 0) == 0)
        s.erase(0, 7);
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

Diagnostic sarif_diag(const json_t *r)
{
    Diagnostic out;
    const char *level = json::get_string(r, "level");
    out.severity = normalise_severity(level ? level : "note");
    const char *text = json::get_string(json_object_get(r, "message"), "text");
    out.message = text ? text : "";
    const json_t *loc = json_array_get(json_object_get(r, "locations"), 0);
    const json_t *phys = json_object_get(loc, "physicalLocation");
    out.file = uri_to_path(json::get_string(json_object_get(phys, "artifactLocation"), "uri"));
    const json_t *region = json_object_get(phys, "region");
    out.line = static_cast<int>(json::get_int(region, "startLine"));
    out.column = static_cast<int>(json::get_int(region, "startColumn"));
    return out;
}

// ---- plain text -------------------------------------------------------------

// "file:line:col: severity: message" or "file:line: severity: message".
bool parse_text_line(std::string_view line, Diagnostic &d)
{
    static const char *const severities[] = {"fatal error: ", "error: ", "warning: ", "note: "};
    for (const char *sev : severities) {
        const auto pos = line.find(std::string(": ") + sev);
        if (pos == std::string_view::npos)
            continue;
        std::string_view loc = line.substr(0, pos);
        d = Diagnostic{};
        d.severity = normalise_severity(std::string_view(sev, std::strlen(sev) - 2));
        d.message = std::string(line.substr(pos + 2 + std::strlen(sev)));
        // Peel ":col" and ":line" off the location when they are numbers.
        int nums[2] = {0, 0};
        int found = 0;
        while (found < 2) {
            const auto colon = loc.rfind(':');
            if (colon == std::string_view::npos)
                break;
            std::string_view tail = loc.substr(colon + 1);
            if (tail.empty() || tail.find_first_not_of("0123456789") != std::string_view::npos)
                break;
            nums[found++] = std::atoi(std::string(tail).c_str());
            loc = loc.substr(0, colon);
        }
        d.file = std::string(loc);
        if (found == 2) {
            d.line = nums[1];
            d.column = nums[0];
        } else if (found == 1) {
            d.line = nums[0];
        }
        return true;
    }
    return false;
}

void parse_text(std::string_view text, std::vector<Diagnostic> &out)
{
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty())
            continue;
        Diagnostic d;
        if (line.find("undefined reference to") != std::string_view::npos ||
            line.find("multiple definition of") != std::string_view::npos) {
            // /usr/bin/ld: /tmp/x.o: in function `f': x.cpp:(.text+0x5): undefined reference to `g'
            d.severity = "error";
            const auto what = line.find("undefined reference to") != std::string_view::npos
                                  ? line.find("undefined reference to")
                                  : line.find("multiple definition of");
            d.message = std::string(line.substr(what));
            out.push_back(std::move(d));
        } else if (line.rfind("collect2: ", 0) == 0 || line.rfind("clang", 0) == 0) {
            continue; // "ld returned 1 exit status": the errors above say more
        } else if (parse_text_line(line, d)) {
            if (d.severity == "note" && !out.empty())
                out.back().notes.push_back(std::move(d));
            else
                out.push_back(std::move(d));
        }
    }
}

std::string line_of(std::string_view text, int line)
{
    if (line <= 0)
        return {};
    size_t pos = 0;
    for (int i = 1; i < line; i++) {
        pos = text.find('\n', pos);
        if (pos == std::string_view::npos)
            return {};
        pos++;
    }
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
        end = text.size();
    return std::string(text.substr(pos, end - pos));
}

void fixup(Diagnostic &d, const std::string &from, const std::string &to, std::string_view source)
{
    if (!from.empty() && d.file == from) {
        d.file = to;
        d.source_line = line_of(source, d.line);
    }
    for (auto &n : d.notes)
        fixup(n, from, to, source);
}

json::Value to_json(const Diagnostic &d)
{
    auto o = json::object();
    json::set(o.get(), "severity", d.severity);
    json::set(o.get(), "file", d.file);
    json::set(o.get(), "line", d.line);
    json::set(o.get(), "column", d.column);
    json::set(o.get(), "message", d.message);
    if (!d.option.empty())
        json::set(o.get(), "option", d.option);
    json::set(o.get(), "source_line", d.source_line);
    auto notes = json::array();
    for (const auto &n : d.notes)
        json::append(notes.get(), to_json(n));
    json::set(o.get(), "notes", notes);
    return o;
}

Diagnostic from_json(const json_t *o)
{
    Diagnostic d;
    auto str = [&](const char *k) {
        const char *s = json::get_string(o, k);
        return std::string(s ? s : "");
    };
    d.severity = str("severity");
    d.file = str("file");
    d.line = static_cast<int>(json::get_int(o, "line"));
    d.column = static_cast<int>(json::get_int(o, "column"));
    d.message = str("message");
    d.option = str("option");
    d.source_line = str("source_line");
    d.notes = diagnostics_from_json(json_object_get(o, "notes"));
    return d;
}

void format_one(const Diagnostic &d, std::string &out)
{
    if (!d.file.empty()) {
        out += d.file;
        if (d.line > 0)
            out += ":" + std::to_string(d.line);
        if (d.column > 0)
            out += ":" + std::to_string(d.column);
        out += ": ";
    }
    out += d.severity + ": " + d.message;
    if (!d.option.empty())
        out += " [" + d.option + "]";
    out += "\n";
    if (!d.source_line.empty()) {
        const std::string num = std::to_string(d.line);
        out += " " + std::string(num.size() < 5 ? 5 - num.size() : 0, ' ') + num + " | " + d.source_line + "\n";
        if (d.column > 0)
            out += "       | " + std::string(static_cast<size_t>(d.column - 1), ' ') + "^\n";
    }
}

} // namespace

Result<std::vector<Diagnostic>> parse_diagnostics(std::string_view raw, DiagFormat format)
{
    // Compilers echo the source's bytes as they are (a string literal in a
    // static_assert, an #error line): a Latin-1 byte there is not UTF-8,
    // and JSON readers refuse the whole document. Replace such bytes with
    // U+FFFD first; the locations are numbers, untouched.
    const std::string valid = replace_invalid_utf8(raw);
    const std::string_view text = valid;
    std::vector<Diagnostic> out;
    if (format == DiagFormat::text) {
        parse_text(text, out);
        return out;
    }
    // The structured document starts at a line beginning with '[' (GCC) or
    // '{' (SARIF); everything else is plain text from other programs.
    const char open = format == DiagFormat::gcc_json ? '[' : '{';
    size_t pos = 0;
    std::string rest;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        if (text[pos] == open) {
            json_error_t err;
            json_t *doc = json_loadb(text.data() + pos, text.size() - pos, JSON_DISABLE_EOF_CHECK, &err);
            if (!doc)
                return Error(Exit::data, "compiler diagnostics:" + std::to_string(err.line) + ":" +
                                             std::to_string(err.column) + ": invalid JSON: " + err.text);
            auto owned = json::Value::steal(doc);
            size_t i;
            json_t *item;
            if (format == DiagFormat::gcc_json) {
                json_array_foreach(doc, i, item) out.push_back(gcc_diag(item));
            } else {
                json_t *run;
                size_t r;
                json_array_foreach(json_object_get(doc, "runs"), r, run)
                {
                    json_array_foreach(json_object_get(run, "results"), i, item)
                    {
                        Diagnostic d = sarif_diag(item);
                        if (d.severity == "note" && !out.empty())
                            out.back().notes.push_back(std::move(d));
                        else
                            out.push_back(std::move(d));
                    }
                }
            }
            pos += static_cast<size_t>(err.position);
            continue;
        }
        rest.append(text.substr(pos, end - pos));
        rest += '\n';
        pos = end + 1;
    }
    parse_text(rest, out);
    return out;
}

void attach_source(std::vector<Diagnostic> &diags, const std::string &from, const std::string &to,
                   std::string_view source)
{
    for (auto &d : diags)
        fixup(d, from, to, source);
}

int count_severity(const std::vector<Diagnostic> &diags, std::string_view severity)
{
    int n = 0;
    for (const auto &d : diags)
        n += d.severity == severity;
    return n;
}

json::Value diagnostics_to_json(const std::vector<Diagnostic> &diags)
{
    auto arr = json::array();
    for (const auto &d : diags)
        json::append(arr.get(), to_json(d));
    return arr;
}

std::vector<Diagnostic> diagnostics_from_json(const json_t *array)
{
    std::vector<Diagnostic> out;
    size_t i;
    const json_t *o;
    json_array_foreach(array, i, o)
    {
        if (json_is_object(o))
            out.push_back(from_json(o));
    }
    return out;
}

std::string format_diagnostics(const std::vector<Diagnostic> &diags)
{
    std::string out;
    for (const auto &d : diags) {
        format_one(d, out);
        for (const auto &n : d.notes)
            format_one(n, out);
    }
    return out;
}

} // namespace scx
