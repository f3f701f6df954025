// SPDX-License-Identifier: MIT
//
// sim/params.hpp - the parameters of a built-in workload (KEY=VALUE,...),
// read one by one with their defaults and ranges; what is left unused is an
// unknown parameter. The simulator and the native workloads (native/spec)
// read them with this one reader, so the same words mean the same in both
// places. Part of the core library (no simulator needed).

#ifndef SCX_SIM_PARAMS_HPP
#define SCX_SIM_PARAMS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <scx/result.hpp>

namespace scx::sim::detail {

// Typed access to the key=value parameters of a built-in workload. Every
// getter records the value used (default or given) for the report; finish()
// refuses keys that no getter asked for.
class Params {
public:
    Params(std::string workload, std::vector<std::pair<std::string, std::string>> given);

    Result<std::uint64_t> count(const char *key, std::uint64_t def, std::uint64_t min, std::uint64_t max);
    Result<std::uint64_t> duration(const char *key, std::uint64_t def);
    Result<bool> flag(const char *key, bool def);
    // A '/'-separated list of integers, e.g. nice=0/5/-5.
    Result<std::vector<int>> ints(const char *key, const std::string &def, int min, int max);
    Result<void> finish();

    std::vector<std::pair<std::string, std::string>> resolved;

private:
    const std::string *find(const char *key);
    Error bad_value(const char *key, const std::string &value, const std::string &expected) const;
    std::string workload_;
    std::vector<std::pair<std::string, std::string>> given_;
    std::vector<bool> used_;
    std::vector<std::string> known_;
};

// "1s", "10ms", "250us", "1500ns": the largest unit that keeps it exact.
std::string format_duration(std::uint64_t ns);
// Parse a duration: a number of nanoseconds, or "10ms", "1.5s", "250us", "20ns".
Result<std::uint64_t> parse_duration(std::string_view text, const std::string &what);
// A decimal integer from min to max, without a sign (max at most 2^63 - 1).
std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t min, std::uint64_t max);

} // namespace scx::sim::detail

#endif // SCX_SIM_PARAMS_HPP
