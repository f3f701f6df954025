// SPDX-License-Identifier: MIT
//
// Workload parameters ("messaging:groups=2,loops=10") and the builders of
// the built-in workloads.
#pragma once

#include "sim/params.hpp"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model.hpp"

namespace scx::sim::detail {


Result<Model> build_messaging(Params &p, const Machine &m);
Result<Model> build_cpu(Params &p, const Machine &m);
Result<Model> build_latency(Params &p, const Machine &m);
Result<Model> build_interactive(Params &p, const Machine &m);
Result<Model> build_fork(Params &p, const Machine &m);

// The JSON workload file format (scxkit.workload/1).
Result<Model> build_from_json(std::string_view text, const std::string &source, const Machine &m);

} // namespace scx::sim::detail
