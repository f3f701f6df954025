// SPDX-License-Identifier: MIT
#include "base/parse.hpp"

#include <cerrno>
#include <cmath>
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
