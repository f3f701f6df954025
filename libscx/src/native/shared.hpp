// SPDX-License-Identifier: MIT
//
// native/shared.hpp - what the tasks of a native workload share across
// processes: anonymous shared memory (inherited by fork), futexes on words
// in it, and a latency histogram updated with atomics.

#ifndef SCX_NATIVE_SHARED_HPP
#define SCX_NATIVE_SHARED_HPP

#include <atomic>
#include <cstddef>
#include <cstdint>

#include <scx/result.hpp>

namespace scx::native {

// Zeroed memory shared with every process forked after it was made;
// unmapped when it goes away. Move-only.
class SharedMemory {
public:
    SharedMemory() = default;
    ~SharedMemory();
    SharedMemory(SharedMemory &&o) noexcept : p_(o.p_), size_(o.size_) { o.p_ = nullptr; }
    SharedMemory &operator=(SharedMemory &&o) noexcept;
    SharedMemory(const SharedMemory &) = delete;
    SharedMemory &operator=(const SharedMemory &) = delete;

    // Exit::temp_fail when the memory cannot be had.
    static Result<SharedMemory> make(std::size_t bytes);
    void *get() const { return p_; }
    std::size_t size() const { return size_; }

private:
    void *p_ = nullptr;
    std::size_t size_ = 0;
};

// Futexes on a 32-bit atomic: `shared` for a word other processes see
// (shared memory), private (cheaper) for the threads of one process.
// futex_wait() sleeps while *word == expected, until woken, for at most
// timeout_ns (0: no limit); it may return early (a signal, a spurious
// wake-up): callers check the word again.
void futex_wait(std::atomic<std::uint32_t> &word, std::uint32_t expected, bool shared, std::uint64_t timeout_ns = 0);
void futex_wake(std::atomic<std::uint32_t> &word, int n, bool shared);

// Latencies in nanoseconds, binned as the simulator bins them
// (sim/metrics.hpp: log-linear, 128 sub-buckets per power of two, so a
// percentile is the midpoint of its bucket, within 0.4 % of the exact value,
// and never above the maximum): the same quantiles from the same samples on
// both sides. Lives in shared memory; add() is lock-free.
class LatencyHistogram {
public:
    void add(std::uint64_t v);
    std::uint64_t count() const { return n_.load(std::memory_order_relaxed); }
    std::uint64_t max() const { return max_.load(std::memory_order_relaxed); }
    std::uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }
    // The value at quantile q in [0, 1]; 0 when empty.
    std::uint64_t quantile(double q) const;
    double mean() const;

    static constexpr int SUB_BITS = 7;
    static constexpr std::size_t SUB = std::size_t{1} << SUB_BITS;
    static constexpr std::size_t BUCKETS = SUB + (64 - SUB_BITS) * SUB;
    static std::size_t bucket(std::uint64_t v);
    static std::uint64_t bucket_low(std::size_t i);
    static std::uint64_t bucket_width(std::size_t i);

private:
    std::atomic<std::uint64_t> counts_[BUCKETS];
    std::atomic<std::uint64_t> n_, sum_, max_;
};

} // namespace scx::native

#endif // SCX_NATIVE_SHARED_HPP
