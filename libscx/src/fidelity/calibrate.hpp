// SPDX-License-Identifier: MIT
//
// fidelity/calibrate.hpp - the simulator's cost constants fitted to a
// kernel (scx-fidelity --calibrate).
//
// The procedure: run the plan (its schedulers and workloads, on both
// sides) once for the kernel's medians; then fit, in two one-dimensional
// searches on a geometric grid (factor sqrt 2), the constants that
// minimise the mean squared log ratio of the simulator's medians to the
// kernel's:
//  1. the hardware costs (cs_ns, mm_ns, migrate_ns, llc_migrate_ns,
//     wake_idle_ns), scaled together from their defaults, against the
//     schedulers that make no user-space round trip (default, bpf-fifo);
//  2. the round trip (hop_ns, decision_ns = hop_ns / 25), at that scale,
//     against the policies.
// The result is a machine file that scx-run --sim --machine FILE reads.

#ifndef SCX_FIDELITY_CALIBRATE_HPP
#define SCX_FIDELITY_CALIBRATE_HPP

#include "fidelity/fidelity.hpp"

namespace scx::fidelity {

struct Calibration {
    Report before;                  // the matrix with the simulator's own constants
    double hardware_scale = 1;      // the hardware costs' factor
    double hop_ns = 0;              // the round trip
    std::string machine;            // "cs_ns=...,...,hop_ns=...,decision_ns=..."
    // Mean squared log ratios (exp(sqrt(x)): the typical factor off),
    // before (the simulator as the plan ran it) and after the fit.
    double hardware_error_before = 0, hardware_error = 0;
    double round_trip_error_before = 0, round_trip_error = 0;
    bool at_edge = false;           // a value at the edge of its searched range
};

// The plan needs default or bpf-fifo and at least one policy.
Result<Calibration> calibrate(const Plan &plan, const Progress &progress, const volatile std::sig_atomic_t *cancel);
// The machine file: the fitted parameters, one per line, after comments
// saying where and how they were measured and how well they fit.
std::string machine_file(const Calibration &c);

} // namespace scx::fidelity

#endif // SCX_FIDELITY_CALIBRATE_HPP
