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

inline std::uint64_t clock_ns(clockid_t id)
{
    struct timespec ts {};
    ::clock_gettime(id, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

inline std::uint64_t monotonic_ns() { return clock_ns(CLOCK_MONOTONIC); }

// CPU time the calling thread has used.
inline std::uint64_t thread_cpu_ns() { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

inline double monotonic_s() { return static_cast<double>(monotonic_ns()) / 1e9; }

} // namespace scx

#endif // SCX_CLOCK_HPP
