// SPDX-License-Identifier: MIT
//
// The options scx-bench and scx-tune share: where and what is measured
// (bench::MethodChoice) and how (bench::Config) - --sim, --vm, --workload,
// --cpus, --seed, -m/--metric, --metric-regex, --lower-is-better,
// --higher-is-better, --run-arg, --timeout, --alpha.

#ifndef SCX_TOOLS_MEASURE_HPP
#define SCX_TOOLS_MEASURE_HPP

#include <getopt.h>

#include <initializer_list>
#include <optional>
#include <vector>

#include "bench/bench.hpp"

namespace scx::cli {

// Their codes (above any short option and any tool's own long ones).
enum MeasureOption {
    OPT_SIM = 0x1000, OPT_VM, OPT_WORKLOAD, OPT_CPUS, OPT_SEED, OPT_REGEX, OPT_LOWER, OPT_HIGHER, OPT_RUN_ARG,
    OPT_TIMEOUT, OPT_ALPHA,
};

// The shared long options, then the tool's own, then the terminator.
std::vector<struct option> measure_options(std::initializer_list<struct option> own);

// Option c (with optarg) if it is a shared one: std::nullopt when it is
// not; else 0, or the exit status of a usage error already reported.
std::optional<int> measure_option(int c, bench::MethodChoice &method, bench::Config &cfg);

} // namespace scx::cli

#endif // SCX_TOOLS_MEASURE_HPP
