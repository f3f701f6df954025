// SPDX-License-Identifier: MIT
//
// <scx/clock.hpp> - the monotonic clock every part of libscx measures with
// (CLOCK_MONOTONIC, as ctx.now() on the kernel and the kernel's own
// timestamps).

#ifndef SCX_CLOCK_HPP
#define SCX_CLOCK_HPP

#include <cstdint>
#include <ctime>

namespace scx {

inline std::uint64_t monotonic_ns()
{
    struct timespec ts {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

inline double monotonic_s() { return static_cast<double>(monotonic_ns()) / 1e9; }

} // namespace scx

#endif // SCX_CLOCK_HPP
