// SPDX-License-Identifier: MIT
// Helpers shared by the simulator's unit tests.
#ifndef SCX_TEST_SIM_SUPPORT_HPP
#define SCX_TEST_SIM_SUPPORT_HPP

#include "sim/sim.hpp"

// A metric of a run by name, -1 when the run has none.
inline double metric(const scx::sim::Outcome &out, const char *name)
{
    for (const auto &m : out.metrics)
        if (m.name == name)
            return m.value;
    return -1;
}

#endif // SCX_TEST_SIM_SUPPORT_HPP
