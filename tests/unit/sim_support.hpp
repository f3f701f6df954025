// SPDX-License-Identifier: MIT
// Helpers shared by the simulator's unit tests.
#ifndef SCX_TEST_SIM_SUPPORT_HPP
#define SCX_TEST_SIM_SUPPORT_HPP

#include "sim/sim.hpp"

#include <optional>
#include <string>

// A metric of a run by name, -1 when the run has none.
inline double metric(const scx::sim::Outcome &out, const char *name)
{
    for (const auto &m : out.metrics)
        if (m.name == name)
            return m.value;
    return -1;
}

inline scx::sim::Options options(int cpus)
{
    scx::sim::Options o;
    o.machine.cpus = cpus;
    return o;
}

// A workload built from a spec or a JSON text; a failure leaves an empty
// optional.
inline std::optional<scx::sim::Workload> builtin(const char *spec, const scx::sim::Options &o)
{
    auto s = scx::sim::parse_workload_spec(spec);
    if (!s)
        return std::nullopt;
    auto w = scx::sim::load_workload(*s, o.machine);
    if (!w)
        return std::nullopt;
    return *w;
}

inline std::optional<scx::sim::Workload> from_json(const std::string &text, const scx::sim::Options &o)
{
    auto w = scx::sim::parse_workload(text, "test.json", o.machine);
    if (!w)
        return std::nullopt;
    return *w;
}

#endif // SCX_TEST_SIM_SUPPORT_HPP
