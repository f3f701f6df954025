// SPDX-License-Identifier: MIT
#include "base/parse.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

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

std::optional<std::uint64_t> parse_size(std::string_view text)
{
    const std::string s(text);
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    std::string unit = end;
    if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b') && unit.size() > 1)
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

Result<long long> option_int(const char *option, const char *value, long long min, long long max)
{
    if (auto v = parse_int(value, min, max))
        return *v;
    return Error(Exit::usage, std::string("invalid value '") + value + "' for " + option + " (expected an integer from " +
                                  std::to_string(min) + " to " + std::to_string(max) + ")");
}

Result<long long> option_duration_ns(const char *option, const char *value)
{
    if (auto v = parse_duration_ns(value, 1e9, 9.2e18))
        return static_cast<long long>(*v);
    return Error(Exit::usage, std::string("invalid duration '") + value + "' for " + option +
                                  " (examples: 10s, 250ms, 1.5, 2m)");
}

Result<std::uint64_t> option_size(const char *option, const char *value)
{
    if (auto v = parse_size(value))
        return *v;
    return Error(Exit::usage, std::string("invalid size '") + value + "' for " + option + " (examples: 512M, 4G)");
}

Result<double> option_double(const char *option, const char *value, double lo, double hi, Range range)
{
    char *end = nullptr;
    const double v = std::strtod(value, &end);
    const bool in = range == Range::open ? v > lo && v < hi : v >= lo && v <= hi;
    if (end == value || *end != '\0' || !in) {
        char bounds[96];
        std::snprintf(bounds, sizeof bounds, range == Range::open ? "between %g and %g" : "from %g to %g", lo, hi);
        return Error(Exit::usage, std::string("invalid value '") + value + "' for " + option + " (expected a number " +
                                      bounds + ")");
    }
    return v;
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
