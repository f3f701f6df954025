// SPDX-License-Identifier: MIT
//
// base/parse.hpp - the number syntaxes every tool and the simulator accept:
// decimal integers in a range, and durations with a unit. The callers word
// their own error messages (and pick their exit codes); these return
// nothing on any malformed or out-of-range text.

#ifndef SCX_PARSE_HPP
#define SCX_PARSE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <scx/result.hpp>

namespace scx {

// A decimal integer from min to max (strtoll's syntax: leading blanks and a
// sign allowed, nothing after it).
std::optional<long long> parse_int(std::string_view text, long long min, long long max);

// A non-negative duration in nanoseconds: a number (strtod's syntax) and an
// optional unit ns, us, ms, s, m or min; a bare number counts in units of
// default_unit_ns. Durations above max_ns are rejected.
std::optional<std::uint64_t> parse_duration_ns(std::string_view text, double default_unit_ns, double max_ns);

// A size in bytes: a number and an optional unit K, M, G or T (powers of
// 1024; a B after it is allowed), e.g. "512M", "4G", "65536".
std::optional<std::uint64_t> parse_size(std::string_view text);

// Command-line option values, with the message every tool gives for a bad
// one (Exit::usage): "invalid value 'x' for --cpus (expected an integer
// from 1 to 1024)", "invalid duration 'x' for --timeout (examples: 10s,
// 250ms, 1.5, 2m)".
Result<long long> option_int(const char *option, const char *value, long long min, long long max);
Result<long long> option_duration_ns(const char *option, const char *value);
Result<std::uint64_t> option_size(const char *option, const char *value);
enum class Range { closed, open };
Result<double> option_double(const char *option, const char *value, double lo, double hi, Range range = Range::closed);

// The pieces of `text` between the separators: "a,b" -> {"a", "b"}, "a," ->
// {"a", ""}, "" -> {""}. The pieces point into `text`.
std::vector<std::string_view> split(std::string_view text, char sep);

} // namespace scx

#endif // SCX_PARSE_HPP
