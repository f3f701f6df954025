// SPDX-License-Identifier: MIT
#include "measure.hpp"

#include "cli.hpp"

namespace scx::cli {

std::vector<struct option> measure_options(std::initializer_list<struct option> own)
{
    std::vector<struct option> out = {
        {"sim", required_argument, nullptr, OPT_SIM},
        {"vm", no_argument, nullptr, OPT_VM},
        {"workload", required_argument, nullptr, OPT_WORKLOAD},
        {"cpus", required_argument, nullptr, OPT_CPUS},
        {"seed", required_argument, nullptr, OPT_SEED},
        {"metric", required_argument, nullptr, 'm'},
        {"metric-regex", required_argument, nullptr, OPT_REGEX},
        {"lower-is-better", no_argument, nullptr, OPT_LOWER},
        {"higher-is-better", no_argument, nullptr, OPT_HIGHER},
        {"run-arg", required_argument, nullptr, OPT_RUN_ARG},
        {"timeout", required_argument, nullptr, OPT_TIMEOUT},
        {"alpha", required_argument, nullptr, OPT_ALPHA},
    };
    out.insert(out.end(), own);
    out.push_back({nullptr, 0, nullptr, 0});
    return out;
}

std::optional<int> measure_option(int c, bench::MethodChoice &method, bench::Config &cfg)
{
    switch (c) {
    case OPT_SIM: method.sim = optarg; return 0;
    case OPT_VM: method.vm = true; return 0;
    case OPT_WORKLOAD: method.workload = optarg; return 0;
    case 'm': method.metric = optarg; return 0;
    case OPT_REGEX: method.regex = optarg; return 0;
    case OPT_LOWER: method.lower = true; return 0;
    case OPT_HIGHER: method.higher = true; return 0;
    case OPT_RUN_ARG: cfg.run_args.emplace_back(optarg); return 0;
    case OPT_CPUS: {
        auto v = parse_int("--cpus", optarg, 1, 1024);
        if (!v)
            return usage_error(v.error().message);
        cfg.cpus = static_cast<int>(*v);
        method.cpus = true;
        return 0;
    }
    case OPT_SEED: {
        auto v = parse_int("--seed", optarg, 0, 1LL << 53);
        if (!v)
            return usage_error(v.error().message);
        cfg.seed = static_cast<std::uint64_t>(*v);
        method.seed = true;
        return 0;
    }
    case OPT_TIMEOUT: {
        auto t = parse_duration_ns("--timeout", optarg);
        if (!t)
            return usage_error(t.error().message);
        cfg.timeout_ns = *t;
        return 0;
    }
    case OPT_ALPHA: {
        auto a = parse_double("--alpha", optarg, 0, 1, Range::open);
        if (!a)
            return usage_error(a.error().message);
        cfg.alpha = *a;
        return 0;
    }
    default: return std::nullopt;
    }
}

} // namespace scx::cli
