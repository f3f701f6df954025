// SPDX-License-Identifier: MIT
//
// base/parse.hpp - the number syntaxes every tool and the simulator accept:
// decimal integers in a range, and durations with a unit. parse_int() and
// parse_duration_ns() return nothing on any malformed or out-of-range text;
// the *_value() functions add the one wording of a bad value that options
// and settings share, so that the same option reads the same in every tool.

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

// A value of an option ("--retries") or a setting ("retries"), named by
// `what`; Exit::usage with one of these messages otherwise:
//   invalid value 'x' for --retries (expected an integer from 0 to 100)
//   invalid value 'x' for --alpha (expected a number between 0 and 1)
//   invalid duration 'x' for --timeout (examples: 10s, 250ms, 1.5, 2m)
//   --timeout must be at least 1ms / --slice must be between 100us and 10s
Result<long long> int_value(std::string_view what, std::string_view text, long long min, long long max);
// A number from lo to hi (Bounds::closed) or strictly between them (open).
enum class Bounds { closed, open };
Result<double> number_value(std::string_view what, std::string_view text, double lo, double hi,
                            Bounds bounds = Bounds::closed);
// A duration (a bare number counts in seconds) from `min` to `max`, both
// written as durations ("1ms"); `max` "" = no limit but the type's.
Result<std::uint64_t> duration_value(std::string_view what, std::string_view text, std::string_view min = "0",
                                     std::string_view max = "");

// A size (parse_size()): "invalid size 'x' for --policy-memory (examples:
// 512M, 4G)".
Result<std::uint64_t> size_value(std::string_view what, std::string_view text);

// The pieces of `text` between the separators: "a,b" -> {"a", "b"}, "a," ->
// {"a", ""}, "" -> {""}. The pieces point into `text`.
std::vector<std::string_view> split(std::string_view text, char sep);

} // namespace scx

#endif // SCX_PARSE_HPP
