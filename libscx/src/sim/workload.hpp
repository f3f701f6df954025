// SPDX-License-Identifier: MIT
//
// Workload parameters ("messaging:groups=2,loops=10") and the builders of
// the built-in workloads.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model.hpp"

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

Result<Model> build_messaging(Params &p, const Machine &m);
Result<Model> build_cpu(Params &p, const Machine &m);
Result<Model> build_latency(Params &p, const Machine &m);
Result<Model> build_interactive(Params &p, const Machine &m);
Result<Model> build_fork(Params &p, const Machine &m);

// The JSON workload file format (scxkit.workload/1).
Result<Model> build_from_json(std::string_view text, const std::string &source, const Machine &m);

} // namespace scx::sim::detail
