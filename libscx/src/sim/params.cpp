// SPDX-License-Identifier: MIT
// A built-in workload's parameters, and the duration and count parsers.
#include "sim/params.hpp"

#include "base/parse.hpp"
#include <scx/policy.hpp>

namespace scx::sim::detail {

Result<std::uint64_t> parse_duration(std::string_view text, const std::string &what)
{
    if (auto v = scx::parse_duration_ns(text, 1, 9e15))
        return *v;
    return Error(Exit::data, "invalid duration '" + std::string(text) + "' for " + what +
               " (examples: 250us, 10ms, 1.5s; a plain number is nanoseconds)");
}

std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t min, std::uint64_t max)
{
    if (text.empty() || text[0] == '-')
        return std::nullopt;
    auto v = scx::parse_int(text, static_cast<long long>(min), static_cast<long long>(max));
    if (!v)
        return std::nullopt;
    return static_cast<std::uint64_t>(*v);
}

std::string format_duration(std::uint64_t ns)
{
    if (ns && ns % NSEC_PER_SEC == 0)
        return std::to_string(ns / NSEC_PER_SEC) + "s";
    if (ns && ns % NSEC_PER_MSEC == 0)
        return std::to_string(ns / NSEC_PER_MSEC) + "ms";
    if (ns && ns % NSEC_PER_USEC == 0)
        return std::to_string(ns / NSEC_PER_USEC) + "us";
    return std::to_string(ns) + "ns";
}

Params::Params(std::string workload, std::vector<std::pair<std::string, std::string>> given)
    : workload_(std::move(workload)), given_(std::move(given)), used_(given_.size(), false)
{
}

const std::string *Params::find(const char *key)
{
    known_.emplace_back(key);
    const std::string *found = nullptr;
    for (std::size_t i = 0; i < given_.size(); i++)
        if (given_[i].first == key) {
            used_[i] = true;
            found = &given_[i].second; // the last one wins
        }
    return found;
}

Error Params::bad_value(const char *key, const std::string &value, const std::string &expected) const
{
    return Error(Exit::usage, "invalid value '" + value + "' for " + workload_ + " parameter " + key + " (" + expected + ")");
}

Result<std::uint64_t> Params::count(const char *key, std::uint64_t def, std::uint64_t min, std::uint64_t max)
{
    std::uint64_t v = def;
    if (const std::string *s = find(key)) {
        auto x = parse_count(*s, min, max);
        if (!x)
            return bad_value(key, *s, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
        v = *x;
    }
    resolved.emplace_back(key, std::to_string(v));
    return v;
}

Result<std::uint64_t> Params::duration(const char *key, std::uint64_t def)
{
    std::uint64_t v = def;
    if (const std::string *s = find(key)) {
        auto d = parse_duration(*s, key);
        if (!d || *d == 0)
            return bad_value(key, *s, "a duration above zero such as 250us, 10ms, 1.5s");
        v = *d;
    }
    resolved.emplace_back(key, format_duration(v));
    return v;
}

Result<bool> Params::flag(const char *key, bool def)
{
    bool v = def;
    if (const std::string *s = find(key)) {
        if (*s == "1" || *s == "yes" || *s == "true" || *s == "on")
            v = true;
        else if (*s == "0" || *s == "no" || *s == "false" || *s == "off")
            v = false;
        else
            return bad_value(key, *s, "1 or 0");
    }
    resolved.emplace_back(key, v ? "1" : "0");
    return v;
}

Result<std::vector<int>> Params::ints(const char *key, const std::string &def, int min, int max)
{
    const std::string *given = find(key);
    const std::string &s = given ? *given : def;
    std::vector<int> v;
    for (const std::string_view item : split(s, '/')) {
        auto x = scx::parse_int(item, min, max);
        if (!x)
            return bad_value(key, s, "integers from " + std::to_string(min) + " to " + std::to_string(max) +
                                         " separated by '/'");
        v.push_back(static_cast<int>(*x));
    }
    resolved.emplace_back(key, s);
    return v;
}

Result<void> Params::finish()
{
    for (std::size_t i = 0; i < given_.size(); i++) {
        if (used_[i])
            continue;
        std::string list;
        for (const std::string &k : known_)
            list += (list.empty() ? "" : ", ") + k;
        return Error(Exit::usage, "unknown parameter '" + given_[i].first + "' for workload " + workload_ +
                                      " (known: " + list + ")");
    }
    return {};
}

} // namespace scx::sim::detail
