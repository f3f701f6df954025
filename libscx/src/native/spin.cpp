// SPDX-License-Identifier: MIT
#include "native/spin.hpp"

#include "base/clock.hpp"

#include <algorithm>

namespace scx::native {

void burn(std::uint64_t loops)
{
    std::uint64_t x = loops;
    for (std::uint64_t i = 0; i < loops; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL; // an LCG step: integer work, no memory
        asm volatile("" : "+r"(x));
    }
}

Spinner Spinner::calibrate()
{
    // Grow the loop until a run takes at least 1 ms of CPU, then keep the
    // fastest of three such runs (an interrupt only makes one slower).
    std::uint64_t loops = 1000;
    for (;;) {
        const std::uint64_t t0 = thread_cpu_ns();
        burn(loops);
        if (thread_cpu_ns() - t0 >= 1'000'000 || loops > (std::uint64_t{1} << 40))
            break;
        loops *= 2;
    }
    double best = 0;
    for (int i = 0; i < 3; i++) {
        const std::uint64_t t0 = thread_cpu_ns();
        burn(loops);
        const std::uint64_t dt = std::max<std::uint64_t>(thread_cpu_ns() - t0, 1);
        best = std::max(best, static_cast<double>(loops) * 1000.0 / static_cast<double>(dt));
    }
    return Spinner(best);
}

bool Spinner::spin(std::uint64_t ns, std::uint64_t deadline_ns) const
{
    const std::uint64_t target = thread_cpu_ns() + ns;
    for (;;) {
        const std::uint64_t used = thread_cpu_ns();
        if (used >= target)
            return true;
        if (deadline_ns && monotonic_ns() >= deadline_ns)
            return false;
        const std::uint64_t chunk = std::min(target - used, CHECK_NS);
        burn(static_cast<std::uint64_t>(static_cast<double>(chunk) * loops_per_us_ / 1000.0) + 1);
    }
}

} // namespace scx::native
