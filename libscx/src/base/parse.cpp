// SPDX-License-Identifier: MIT
#include "base/parse.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace scx {

std::optional<long long> parse_int(std::string_view text, long long min, long long max)
{
    const std::string s(text);
    char *end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno || end == s.c_str() || *end != '\0' || v < min || v > max)
        return std::nullopt;
    return v;
}

std::optional<std::uint64_t> parse_duration_ns(std::string_view text, double default_unit_ns, double max_ns)
{
    const std::string s(text);
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    const std::string_view unit = end;
    double scale = 0;
    if (unit.empty())
        scale = default_unit_ns;
    else if (unit == "ns")
        scale = 1;
    else if (unit == "us")
        scale = 1e3;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "s")
        scale = 1e9;
    else if (unit == "m" || unit == "min")
        scale = 60e9;
    if (errno || end == s.c_str() || scale == 0 || !(v >= 0) || !std::isfinite(v) || v * scale > max_ns)
        return std::nullopt;
    return static_cast<std::uint64_t>(std::llround(v * scale));
}

Result<long long> int_value(std::string_view what, std::string_view text, long long min, long long max)
{
    if (auto v = parse_int(text, min, max))
        return *v;
    return Error(Exit::usage, "invalid value '" + std::string(text) + "' for " + std::string(what) +
                                  " (expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                                  ")");
}

Result<double> number_value(std::string_view what, std::string_view text, double lo, double hi, Bounds bounds)
{
    const std::string s(text);
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    const bool in = bounds == Bounds::open ? v > lo && v < hi : v >= lo && v <= hi;
    if (errno || end == s.c_str() || *end != '\0' || !in) {
        char range[96];
        std::snprintf(range, sizeof range, bounds == Bounds::open ? "between %g and %g" : "from %g to %g", lo, hi);
        return Error(Exit::usage, "invalid value '" + s + "' for " + std::string(what) + " (expected a number " + range + ")");
    }
    return v;
}

Result<std::uint64_t> duration_value(std::string_view what, std::string_view text, std::string_view min,
                                     std::string_view max)
{
    constexpr double LIMIT = 9.2e18; // what a signed 64-bit count of nanoseconds holds
    const auto v = parse_duration_ns(text, 1e9, LIMIT);
    if (!v)
        return Error(Exit::usage, "invalid duration '" + std::string(text) + "' for " + std::string(what) +
                                      " (examples: 10s, 250ms, 1.5, 2m)");
    const std::uint64_t lo = parse_duration_ns(min, 1e9, LIMIT).value_or(0);
    const std::uint64_t hi = max.empty() ? static_cast<std::uint64_t>(LIMIT) : parse_duration_ns(max, 1e9, LIMIT).value_or(0);
    if (*v < lo || *v > hi)
        return Error(Exit::usage, std::string(what) + (max.empty() ? " must be at least " + std::string(min)
                                                                   : " must be between " + std::string(min) + " and " +
                                                                         std::string(max)));
    return *v;
}

std::optional<std::uint64_t> parse_size(std::string_view text)
{
    const std::string s(text);
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    std::string unit = end;
    if (unit.size() > 1 && (unit.back() == 'B' || unit.back() == 'b'))
        unit.pop_back();
    double scale = 0;
    if (unit.empty())
        scale = 1;
    else if (unit == "K" || unit == "k")
        scale = 1024.0;
    else if (unit == "M" || unit == "m")
        scale = 1024.0 * 1024;
    else if (unit == "G" || unit == "g")
        scale = 1024.0 * 1024 * 1024;
    else if (unit == "T" || unit == "t")
        scale = 1024.0 * 1024 * 1024 * 1024;
    if (errno || end == s.c_str() || scale == 0 || !(v >= 0) || !std::isfinite(v) || v * scale > 1.8e19)
        return std::nullopt;
    return static_cast<std::uint64_t>(std::llround(v * scale));
}

Result<std::uint64_t> size_value(std::string_view what, std::string_view text)
{
    if (auto v = parse_size(text))
        return *v;
    return Error(Exit::usage, "invalid size '" + std::string(text) + "' for " + std::string(what) +
                                  " (examples: 512M, 4G)");
}

std::vector<std::string_view> split(std::string_view text, char sep)
{
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = text.find(sep);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return out;
        text.remove_prefix(at + 1);
    }
}

} // namespace scx
