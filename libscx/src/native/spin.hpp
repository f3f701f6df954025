// SPDX-License-Identifier: MIT
//
// native/spin.hpp - CPU work of a given length: a busy loop calibrated once
// (loop iterations per microsecond) and stopped by the thread's own CPU
// clock (CLOCK_THREAD_CPUTIME_ID), so that "run 2ms" means 2 ms of CPU time
// actually used by the thread, as a simulated run op does, however often
// it is preempted meanwhile. The calibration only sets how much work is
// done between two readings of the clock (about CHECK_NS), which bounds the
// overshoot; the clock decides when the work is done.

#ifndef SCX_NATIVE_SPIN_HPP
#define SCX_NATIVE_SPIN_HPP

#include <cstdint>

namespace scx::native {

class Spinner {
public:
    // CPU time between two readings of the clocks.
    static constexpr std::uint64_t CHECK_NS = 50'000;

    // Measure the loop on this CPU (a few milliseconds).
    static Spinner calibrate();
    explicit Spinner(double loops_per_us) : loops_per_us_(loops_per_us > 0 ? loops_per_us : 1) {}

    double loops_per_us() const { return loops_per_us_; }

    // Use `ns` of this thread's CPU time. Stops early once CLOCK_MONOTONIC
    // reaches deadline_ns (0: never): true when all the work was done.
    bool spin(std::uint64_t ns, std::uint64_t deadline_ns) const;

private:
    double loops_per_us_;
};

// `loops` iterations of work the compiler cannot remove.
void burn(std::uint64_t loops);

} // namespace scx::native

#endif // SCX_NATIVE_SPIN_HPP
