// SPDX-License-Identifier: MIT
#include "base/json.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"

#include <cmath>
#include <cstdlib>

namespace scx::json {

Value object() { return Value::steal(json_object()); }
Value array() { return Value::steal(json_array()); }

Value string(std::string_view s)
{
    if (json_t *j = json_stringn(s.data(), s.size()))
        return Value::steal(j);
    // jansson refuses invalid UTF-8: carry the text with the bad bytes
    // replaced rather than lose the member.
    const std::string valid = replace_invalid_utf8(s);
    return Value::steal(json_stringn(valid.data(), valid.size()));
}

void set(json_t *obj, const char *key, const Value &v) { json_object_set(obj, key, v.get() ? v.get() : json_null()); }
void set(json_t *obj, const char *key, std::string_view s) { json_object_set_new(obj, key, string(s).release()); }
void set(json_t *obj, const char *key, const char *s)
{
    json_object_set_new(obj, key, s ? string(s).release() : json_null());
}
void set(json_t *obj, const char *key, std::int64_t n) { json_object_set_new(obj, key, json_integer(n)); }
void set(json_t *obj, const char *key, std::uint64_t n)
{
    json_object_set_new(obj, key, json_integer(static_cast<json_int_t>(n)));
}
void set(json_t *obj, const char *key, int n) { json_object_set_new(obj, key, json_integer(n)); }
void set(json_t *obj, const char *key, double d) { json_object_set_new(obj, key, json_real(d)); }
void set(json_t *obj, const char *key, bool b) { json_object_set_new(obj, key, json_boolean(b)); }
void set_null(json_t *obj, const char *key) { json_object_set_new(obj, key, json_null()); }
void set_number(json_t *obj, const char *key, double d)
{
    json_object_set_new(obj, key, std::isfinite(d) ? json_real(d) : json_null());
}
void append(json_t *arr, const Value &v) { json_array_append(arr, v.get()); }

const char *get_string(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : nullptr;
}

std::int64_t get_int(const json_t *obj, const char *key, std::int64_t fallback)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_real(v))
        return static_cast<std::int64_t>(json_real_value(v));
    return fallback;
}

double get_number(const json_t *obj, const char *key, double fallback)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : fallback;
}

bool get_bool(const json_t *obj, const char *key, bool fallback)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? json_is_true(v) : fallback;
}

namespace {

// Parse `text`; errors name "source:line:column", the line counted from
// `first_line`.
Result<Value> load(std::string_view text, const std::string &source, long first_line)
{
    // jansson would say "unable to decode byte 0xe9": say where and what to do.
    if (auto bad = find_invalid_utf8(text, first_line))
        return utf8_error(source, *bad, first_line == 1);
    json_error_t err;
    json_t *j = json_loadb(text.data(), text.size(), JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        std::string where = source;
        if (err.line > 0)
            where += ":" + std::to_string(first_line + err.line - 1) + ":" + std::to_string(err.column);
        return Error(Exit::data, where + ": invalid JSON: " + err.text);
    }
    return Value::steal(j);
}

} // namespace

Result<Value> parse(std::string_view text, const std::string &source) { return load(text, source, 1); }

Result<Value> parse_line(std::string_view line, const std::string &source, long line_no)
{
    return load(line, source, line_no);
}

Result<Value> parse_file(const std::string &path)
{
    auto text = read_file(path);
    if (!text)
        return std::move(text).error();
    return parse(*text, path == "-" ? "<stdin>" : path);
}

std::string schema_id(std::string_view kind, int major)
{
    return std::string(kind) + "/" + std::to_string(major);
}

Result<void> check_schema(const json_t *doc, std::string_view kind, int major, const std::string &source)
{
    const std::string want = schema_id(kind, major);
    if (!json_is_object(doc))
        return Error(Exit::data, source + ": expected a JSON object (" + want + ")");
    const char *schema = get_string(doc, "schema");
    if (!schema)
        return Error(Exit::data, source + ": no \"schema\" member (expected \"" + want + "\")");
    std::string_view s(schema);
    const auto slash = s.rfind('/');
    if (slash == std::string_view::npos || s.substr(0, slash) != kind)
        return Error(Exit::data, source + ": schema is \"" + std::string(s) + "\", expected \"" + want + "\"");
    const std::string ver(s.substr(slash + 1));
    char *end = nullptr;
    const long got = std::strtol(ver.c_str(), &end, 10);
    if (ver.empty() || *end != '\0' || got != major)
        return Error(Exit::data, source + ": unsupported version \"" + std::string(s) + "\" (this scxkit reads " +
                                     want + ")");
    return {};
}

std::string dump(const json_t *j, bool pretty)
{
    const size_t flags = JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    char *s = json_dumps(j, flags | JSON_ENCODE_ANY);
    if (!s)
        return "null";
    std::string out(s);
    std::free(s);
    return out;
}

} // namespace scx::json
