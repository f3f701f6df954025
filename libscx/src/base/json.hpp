// SPDX-License-Identifier: MIT
//
// <scx/json.hpp> - small RAII layer over jansson shared by every tool.
//
// Every scxkit document is a JSON object with "schema": "scxkit.<kind>/<major>".
// check_schema() enforces the kind and refuses unknown major versions.

#ifndef SCX_JSON_HPP
#define SCX_JSON_HPP

#include <jansson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include <scx/result.hpp>

namespace scx::json {

// An owning reference to a json_t.
class Value {
public:
    Value() = default;
    ~Value() { json_decref(j_); }
    Value(const Value &o) : j_(json_incref(o.j_)) {}
    Value(Value &&o) noexcept : j_(o.j_) { o.j_ = nullptr; }
    Value &operator=(Value o) noexcept
    {
        std::swap(j_, o.j_);
        return *this;
    }

    // Take ownership of a new reference (e.g. from json_object()).
    static Value steal(json_t *j) { Value v; v.j_ = j; return v; }
    // Share a borrowed reference.
    static Value borrow(json_t *j) { Value v; v.j_ = json_incref(j); return v; }

    json_t *get() const { return j_; }
    json_t *release() { json_t *j = j_; j_ = nullptr; return j; }
    explicit operator bool() const { return j_ != nullptr; }

private:
    json_t *j_ = nullptr;
};

Value object();
Value array();
// A JSON string; bytes that are not UTF-8 (which jansson refuses) are
// replaced by U+FFFD, never dropped.
Value string(std::string_view s);

// Setters for objects (the new value is always owned by `obj`); strings as
// string() makes them.
void set(json_t *obj, const char *key, const Value &v);
void set(json_t *obj, const char *key, std::string_view s);
void set(json_t *obj, const char *key, const char *s); // nullptr -> null
void set(json_t *obj, const char *key, std::int64_t n);
void set(json_t *obj, const char *key, std::uint64_t n);
void set(json_t *obj, const char *key, int n);
void set(json_t *obj, const char *key, double d);
void set(json_t *obj, const char *key, bool b);
void set_null(json_t *obj, const char *key);
// A figure that may be NaN or infinite (no median of nothing, a ratio over
// zero): a number, or null (JSON has neither).
void set_number(json_t *obj, const char *key, double d);
void append(json_t *arr, const Value &v);

// Getters: nullptr / fallback when the key is missing or of another type.
const char *get_string(const json_t *obj, const char *key);
std::int64_t get_int(const json_t *obj, const char *key, std::int64_t fallback = 0);
double get_number(const json_t *obj, const char *key, double fallback = 0.0);
bool get_bool(const json_t *obj, const char *key, bool fallback = false);

// Parse text; `source` names it in errors ("build.json:3:14: ...").
Result<Value> parse(std::string_view text, const std::string &source);
// Parse one line of a JSON Lines text, line number `line_no`; errors say
// "source:line_no:column".
Result<Value> parse_line(std::string_view line, const std::string &source, long line_no);
// Parse a file, or standard input when path is "-".
Result<Value> parse_file(const std::string &path);

// Check that `doc` is an object with "schema": "<kind>/<major>"; the error
// names what was found instead. Exit::data on mismatch.
Result<void> check_schema(const json_t *doc, std::string_view kind, int major,
                          const std::string &source);
// "scxkit.build/1"
std::string schema_id(std::string_view kind, int major);

// Serialise: pretty (2-space indent, keys in insertion order) or compact
// (one line, for JSON Lines). Reals keep 12 significant digits.
std::string dump(const json_t *j, bool pretty = true);

} // namespace scx::json

#endif // SCX_JSON_HPP
