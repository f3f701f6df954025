// SPDX-License-Identifier: MIT
#include "native/shared.hpp"

#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <ctime>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace scx::native {

SharedMemory::~SharedMemory()
{
    if (p_)
        ::munmap(p_, size_);
}

SharedMemory &SharedMemory::operator=(SharedMemory &&o) noexcept
{
    if (this != &o) {
        if (p_)
            ::munmap(p_, size_);
        p_ = o.p_;
        size_ = o.size_;
        o.p_ = nullptr;
    }
    return *this;
}

Result<SharedMemory> SharedMemory::make(std::size_t bytes)
{
    void *p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return errno_error(Exit::temp_fail, "mapping " + std::to_string(bytes) + " bytes of shared memory", errno);
    SharedMemory m;
    m.p_ = p;
    m.size_ = bytes;
    return m;
}

// std::atomic<std::uint32_t> is one plain 32-bit word: the futex is on it.
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "shared counters must not need a lock");

void futex_wait(std::atomic<std::uint32_t> &word, std::uint32_t expected, bool shared, std::uint64_t timeout_ns)
{
    struct timespec ts {};
    ts.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000);
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&word), shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE, expected,
              timeout_ns ? &ts : nullptr, nullptr, 0);
}

void futex_wake(std::atomic<std::uint32_t> &word, int n, bool shared)
{
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&word), shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE, n,
              nullptr, nullptr, 0);
}

std::size_t LatencyHistogram::bucket(std::uint64_t v)
{
    if (v < SUB)
        return static_cast<std::size_t>(v);
    const int e = 63 - std::countl_zero(v);
    const std::size_t sub = static_cast<std::size_t>(v >> (e - SUB_BITS)) & (SUB - 1);
    return SUB + static_cast<std::size_t>(e - SUB_BITS) * SUB + sub;
}

std::uint64_t LatencyHistogram::bucket_low(std::size_t i)
{
    if (i < SUB)
        return i;
    const std::size_t e = (i - SUB) / SUB + SUB_BITS;
    return (SUB + (i - SUB) % SUB) << (e - SUB_BITS);
}

std::uint64_t LatencyHistogram::bucket_width(std::size_t i)
{
    return i < SUB ? 1 : std::uint64_t{1} << ((i - SUB) / SUB);
}

void LatencyHistogram::add(std::uint64_t v)
{
    counts_[bucket(v)].fetch_add(1, std::memory_order_relaxed);
    n_.fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
    std::uint64_t m = max_.load(std::memory_order_relaxed);
    while (v > m && !max_.compare_exchange_weak(m, v, std::memory_order_relaxed)) {
    }
}

std::uint64_t LatencyHistogram::quantile(double q) const
{
    const std::uint64_t n = count();
    if (n == 0)
        return 0;
    // The rank the simulator takes: ceil(q * n), within 1 .. n.
    auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n)));
    rank = rank < 1 ? 1 : rank > n ? n : rank;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < BUCKETS; i++) {
        seen += counts_[i].load(std::memory_order_relaxed);
        if (seen >= rank) {
            const std::uint64_t mid = bucket_low(i) + bucket_width(i) / 2;
            return mid < max() ? mid : max();
        }
    }
    return max();
}

double LatencyHistogram::mean() const
{
    const std::uint64_t n = count();
    return n ? static_cast<double>(sum()) / static_cast<double>(n) : 0.0;
}

} // namespace scx::native
