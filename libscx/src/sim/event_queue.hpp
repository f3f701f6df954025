// SPDX-License-Identifier: MIT
//
// The simulator's event queue: every CPU has at most one pending event (the
// end of what it is doing now), so the CPUs sit in the leaves of a small
// tournament tree keyed by (time, slot); one more leaf holds the earliest
// timer (sleeps, the watchdog, the end of a timed workload). Updating a CPU
// costs log2(CPUs) comparisons and no allocation; equal times resolve by slot
// number, then by timer creation order, so runs are deterministic.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model.hpp"

namespace scx::sim::detail {

// Keys pack (time << SLOT_BITS | slot) into one integer: one comparison per
// tree level. Times must stay below 2^53 ns (104 days).
inline constexpr unsigned SLOT_BITS = 11;
inline constexpr std::uint64_t SLOT_MASK = (1ULL << SLOT_BITS) - 1;
inline constexpr std::uint64_t MAX_TIME = (1ULL << (64 - SLOT_BITS)) - 2;

class MinTree {
public:
    void init(unsigned slots)
    {
        size_ = 1;
        while (size_ < slots)
            size_ <<= 1;
        node_.assign(2 * size_, NEVER);
    }

    // Set the time of `slot` (NEVER = nothing pending).
    void set(unsigned slot, std::uint64_t time)
    {
        std::size_t i = size_ + slot;
        std::uint64_t v = time == NEVER ? NEVER : (time << SLOT_BITS) | slot;
        std::uint64_t *n = node_.data();
        n[i] = v;
        while (i > 1) {
            v = std::min(v, n[i ^ 1]);
            i >>= 1;
            if (n[i] == v)
                return; // this subtree's minimum did not change: nor will any above it
            n[i] = v;
        }
    }


    std::uint64_t top() const { return node_[1]; }
    static std::uint64_t time_of(std::uint64_t key) { return key >> SLOT_BITS; }
    static unsigned slot_of(std::uint64_t key) { return static_cast<unsigned>(key & SLOT_MASK); }

private:
    std::vector<std::uint64_t> node_;
    std::size_t size_ = 1;
};

enum class TimerKind : std::uint8_t { wake, start, watchdog, end };

struct Timer {
    std::uint64_t time;
    std::uint64_t seq;
    TimerKind kind;
    std::uint32_t id;
};

// A binary min-heap of timers ordered by (time, creation order).
class TimerHeap {
public:
    void push(std::uint64_t time, TimerKind kind, std::uint32_t id)
    {
        heap_.push_back(Timer{time, seq_++, kind, id});
        std::push_heap(heap_.begin(), heap_.end(), later);
    }
    bool empty() const { return heap_.empty(); }
    Timer pop()
    {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        Timer t = heap_.back();
        heap_.pop_back();
        return t;
    }
    std::uint64_t next_time() const { return heap_.empty() ? NEVER : heap_.front().time; }

private:
    static bool later(const Timer &a, const Timer &b) { return a.time != b.time ? a.time > b.time : a.seq > b.seq; }
    std::vector<Timer> heap_;
    std::uint64_t seq_ = 0;
};

// A dispatch queue: ordered by vtime, then by insertion order.
struct DsqEntry {
    std::uint64_t vtime;
    std::uint64_t seq;
    std::uint32_t task;
};

class Dsq {
public:
    void push(std::uint64_t vtime, std::uint64_t seq, std::uint32_t task)
    {
        heap_.push_back(DsqEntry{vtime, seq, task});
        std::push_heap(heap_.begin(), heap_.end(), later);
    }
    bool empty() const { return heap_.empty(); }
    DsqEntry pop()
    {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        DsqEntry e = heap_.back();
        heap_.pop_back();
        return e;
    }
    // First entry (in queue order) for which allowed(task) holds; removed.
    // Entries before it keep their place.
    template <typename Pred> bool pop_first(Pred allowed, DsqEntry &out)
    {
        if (heap_.empty())
            return false;
        if (allowed(heap_.front().task)) {
            out = pop();
            return true;
        }
        scratch_.clear();
        bool found = false;
        while (!heap_.empty()) {
            DsqEntry e = pop();
            if (allowed(e.task)) {
                out = e;
                found = true;
                break;
            }
            scratch_.push_back(e);
        }
        for (const DsqEntry &e : scratch_) {
            heap_.push_back(e);
            std::push_heap(heap_.begin(), heap_.end(), later);
        }
        return found;
    }

private:
    static bool later(const DsqEntry &a, const DsqEntry &b)
    {
        return a.vtime != b.vtime ? a.vtime > b.vtime : a.seq > b.seq;
    }
    std::vector<DsqEntry> heap_, scratch_;
};

} // namespace scx::sim::detail
