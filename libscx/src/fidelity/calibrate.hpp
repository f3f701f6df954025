// SPDX-License-Identifier: MIT
//
// fidelity/calibrate.hpp - the simulator's cost constants fitted to a
// kernel (scx-fidelity --calibrate).
//
// The procedure: take the kernel's medians (run the plan, or read them from
// a recorded document); then fit ten factors of the simulator's costs:
//  - system calls: the workloads' system calls (Machine::syscall_pct),
//    which a slower or emulated machine makes dearer while CPU work stays
//    CPU time;
//  - switching: cs_ns, migrate_ns and llc_migrate_ns, scaled together from
//    their defaults;
//  - address space changes: mm_ns (under an emulator a change of page
//    tables also empties its software TLB);
//  - idle wake-up: wake_idle_ns (an emulator's idle vCPU is a sleeping
//    host thread);
//  - round trip: hop_ns (decision_ns = hop_ns / 25), which only the
//    policies pay;
//  - pipe mutex: lock_pct, the part of a pipe read or write that holds the
//    pipe's mutex (a writer preempted there makes the others sleep);
//  - system call entry: syscall_ns, a fixed cost added to every system
//    call (an emulator's is large whatever the call does: it makes a
//    cheap call dearer by more than a costly one);
//  - wake-up: wake_ns, what each wake-up costs the task whose system call
//    makes it (under an emulator the interrupt to another CPU is dear);
//  - timer lateness: timer_ns, how late a timer fires after it is due (a
//    sleeper's wake-up, HRTICK; an emulator delivers a timer's interrupt late);
//  - socket calls: socket_pct, what an AF_UNIX socket's send or receive
//    costs against a pipe's, relative to the built-in figures (an emulator
//    does not slow both alike: the socket paths allocate and free an skb
//    per message).
// What is fitted is what the fidelity benchmark judges: the least mean
// squared log error - of default's own figures, of every other scheduler's
// ratio to default, of the context switches and of the tasks' CPU time
// within the makespan where the kernel counted them (messaging) - plus
// what the Kendall tau-b between the simulator's and the kernel's
// orderings (every workload's pairs pooled) falls short of 0.8
// (one of 50 pairs the other way weighs as much as every figure 22 %
// further off). The search starts from the best of the defaults, 60 points
// of a Halton sample of the whole space (log scale) and the costs the plan's
// own --machine options give (--sim-arg: an estimate, such as costs read
// off a trace), then descends by
// coordinates: each factor in turn over its whole range in steps of 4, the
// others held, until a pass changes nothing; then steps of sqrt(2) and of
// 2^(1/4) around the optimum. While searching, the simulator runs
// min(runs, 3) seeds per cell; the machine the --machine options give and
// the best points the search saw, 12 in all, are then judged on every run,
// and the best of them is the result (never worse than that start): a machine file
// that scx-run --sim --machine FILE reads, with what those --machine
// options set that the fit does not (topology, a timer's tail) kept
// before the fitted costs. Factors held (`hold`, --hold) keep the value
// those options give them throughout. Fitted to a kernel's noise as
// much as to its behaviour: judge it against another run of the kernel.

#ifndef SCX_FIDELITY_CALIBRATE_HPP
#define SCX_FIDELITY_CALIBRATE_HPP

#include "fidelity/fidelity.hpp"

namespace scx::fidelity {

struct Calibration {
    Report before;                  // the matrix with the simulator's own constants
    double syscall_scale = 1;       // the system calls' factor
    double switch_scale = 1;        // the switching costs' factor
    double mm_scale = 1;            // the address space change's factor
    double wake_idle_scale = 1;     // the idle wake-up's factor
    double hop_ns = 0;              // the round trip
    double lock_pct = 0;            // the part of a pipe call under its mutex
    double syscall_ns = 0;          // the fixed cost of a system call
    double wake_scale = 1;          // the wake-up's factor
    double timer_ns = 0;            // how late a timer fires
    double socket_pct = 100;        // a socket call against a pipe call
    std::string machine;            // "syscall_pct=...,cs_ns=...,...,hop_ns=...,decision_ns=..."
    // Mean squared log ratios (exp(sqrt(x)): the typical factor off), with
    // the simulator as the plan ran it and with the fitted constants: over
    // every cell, over the schedulers without a round trip (default,
    // bpf-fifo) and over the policies.
    double tau_before = 0, tau = 0; // Kendall's tau-b, every workload's pairs pooled
    double error_before = 0, error = 0;
    double hardware_error_before = 0, hardware_error = 0;
    double round_trip_error_before = 0, round_trip_error = 0;
    double cost_before = 0, cost = 0; // what the fit minimises (the error plus tau-b's shortfall)
    int evaluations = 0;            // simulated matrices the search ran
    bool at_edge = false;           // a value at the edge of its searched range
    std::vector<std::string> held;  // the costs held (--hold), by machine key
};

// The plan needs default and at least one other scheduler. With
// `recorded`, the kernel's figures are taken from it (read_document()).
// `hold`: costs the search leaves where the plan's --machine options put
// them (the simulator's defaults without them), by the machine key that
// names each factor - syscall_pct, cs_ns (the switching costs), mm_ns,
// wake_idle_ns, hop_ns (the round trip), lock_pct, syscall_ns, wake_ns,
// timer_ns, socket_pct: costs measured directly (a trace) that the fit
// must not trade for others; an unknown key is a usage error.
Result<Calibration> calibrate(const Plan &plan, const Progress &progress, const volatile std::sig_atomic_t *cancel,
                              const Report *recorded = nullptr, const std::vector<std::string> &hold = {});
// The machine file: the fitted parameters, one per line, after comments
// saying where and how they were measured and how well they fit.
std::string machine_file(const Calibration &c);

} // namespace scx::fidelity

#endif // SCX_FIDELITY_CALIBRATE_HPP
