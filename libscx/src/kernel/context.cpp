// SPDX-License-Identifier: MIT
// The policy's Context on the kernel: tasks from the BPF ring buffer,
// decisions to the user ring buffer, idle CPUs from shared memory.
#include "kernel/skeleton.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "kernel/sysfs.hpp"

#include "policy/idle_select.hpp"

#include <bpf/bpf.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace scx::kernel {

// ---------------------------------------------------------------- context

KernelContext::~KernelContext()
{
    if (dispatch_ring_)
        user_ring_buffer__free(dispatch_ring_);
    if (ring_.producer_area)
        ::munmap(ring_.producer_area, ring_.producer_len);
    if (ring_.consumer_page)
        ::munmap(ring_.consumer_page, ring_.page);
    delete shared_;
}

// One record from the task ring, or false when it is empty. Wake-up records
// (no task) are consumed and remembered.
bool KernelContext::next_record(Task &out)
{
    constexpr std::uint32_t BUSY = 1U << 31, DISCARD = 1U << 30, HDR = 8;
    auto &r = ring_;
    for (;;) {
        const unsigned long cons = *r.consumer_pos;
        const unsigned long prod = __atomic_load_n(r.producer_pos, __ATOMIC_ACQUIRE);
        if (cons >= prod)
            return false;
        const auto *hdr = reinterpret_cast<const std::uint32_t *>(r.data + (cons & (r.size - 1)));
        const std::uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
        if (len & BUSY)
            return false; // reserved, not submitted yet
        const std::uint32_t size = len & ~(BUSY | DISCARD);
        bool is_task = false;
        if (!(len & DISCARD) && size >= sizeof(scxkit_task)) {
            scxkit_task rec;
            std::memcpy(&rec, reinterpret_cast<const char *>(hdr) + HDR, sizeof rec);
            if (rec.kind == SCXKIT_REC_TASK) {
                std::memcpy(static_cast<void *>(&out), &rec, sizeof out);
                out.reserved0 = 0;
                is_task = true;
            } else {
                woken_ = true;
            }
        }
        __atomic_store_n(r.consumer_pos, cons + ((size + HDR + 7) & ~7UL), __ATOMIC_RELEASE);
        if (is_task)
            return true;
    }
}

std::optional<Task> KernelContext::dequeue()
{
    Task t;
    if (!next_record(t))
        return std::nullopt;
    consumed_++;
    __atomic_store_n(&shared_->user->nr_user_dequeued, consumed_, __ATOMIC_RELEASE);
    outstanding_[t.pid] = Outstanding{t.seq, t.cpu, t.nr_cpus_allowed};
    return t;
}

bool KernelContext::submit(const Dispatch &d)
{
    void *slot = user_ring_buffer__reserve(dispatch_ring_, sizeof(scxkit_dispatch));
    if (!slot)
        return false;
    std::memcpy(slot, &d, sizeof(scxkit_dispatch));
    user_ring_buffer__submit(dispatch_ring_, slot);
    submitted_ = true;
    return true;
}

int KernelContext::dispatch(const Dispatch &d)
{
    auto it = outstanding_.find(d.pid);
    if (it == outstanding_.end() || d.seq > it->second.seq || d.seq == 0) {
        user_failed_++;
        return -EINVAL;
    }
    if (d.cpu != ANY_CPU && (d.cpu < 0 || d.cpu >= nr_cpus_)) {
        user_failed_++;
        return -EINVAL;
    }
    if (d.seq < it->second.seq) {
        // A decision for an older record of a task queued again since:
        // the kernel would drop it; so do we.
        user_cancelled_++;
        return 0;
    }
    outstanding_.erase(it);
    if (!backlog_.empty() || !submit(d))
        backlog_.push_back(d);
    return 0;
}

void KernelContext::read_topology()
{
    const auto n = static_cast<std::size_t>(nr_cpus_) * CPU_WORDS;
    siblings_.assign(n, 0);
    llc_.assign(n, 0);
    all_cpus_.assign(CPU_WORDS, 0);
    auto set = [](std::uint64_t *bits, int cpu) {
        if (cpu >= 0 && cpu < SCXKIT_MAX_CPUS)
            bits[cpu / 64] |= 1ULL << (cpu % 64);
    };
    for (int cpu = 0; cpu < nr_cpus_; cpu++) {
        std::uint64_t *sib = &siblings_[static_cast<std::size_t>(cpu) * CPU_WORDS];
        std::uint64_t *llc = &llc_[static_cast<std::size_t>(cpu) * CPU_WORDS];
        const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu);
        set(&all_cpus_[0], cpu);
        set(sib, cpu);
        int nr_siblings = 0;
        for_each_in_list(read_first_line(dir + "/topology/thread_siblings_list"), [&](int c) {
            set(sib, c);
            nr_siblings++;
        });
        smt_ = smt_ || nr_siblings > 1;
        // The last-level cache: the highest cache index (they are numbered
        // from 0 without gaps) that lists CPUs.
        std::string shared;
        for (int index = 0; index < 8; index++) {
            std::string l = read_first_line(dir + "/cache/index" + std::to_string(index) + "/shared_cpu_list");
            if (l.empty())
                break;
            shared = l;
        }
        if (shared.empty())
            std::fill(llc, llc + CPU_WORDS, ~0ULL);
        else
            for_each_in_list(shared, [&](int c) { set(llc, c); });
    }
}

// The task's affinity as a CPU mask. Unrestricted tasks (the usual case)
// need no system call.
bool KernelContext::allowed_cpus(std::int32_t pid, std::uint64_t *out) const
{
    auto it = outstanding_.find(pid);
    if (it != outstanding_.end() && it->second.nr_cpus_allowed >= nr_cpus_) {
        std::copy(all_cpus_.begin(), all_cpus_.end(), out);
        return true;
    }
    unsigned long mask[128] = {}; // 8192 CPUs: more than any kernel's nr_cpu_ids here
    static_assert(sizeof(unsigned long) == sizeof(std::uint64_t));
    if (::sched_getaffinity(pid, sizeof mask, reinterpret_cast<cpu_set_t *>(mask)) < 0)
        return false;
    for (int w = 0; w < CPU_WORDS; w++)
        out[w] = mask[w] & all_cpus_[static_cast<std::size_t>(w)];
    return true;
}

int KernelContext::select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t)
{
    std::uint64_t allowed[CPU_WORDS];
    if (!allowed_cpus(pid, allowed))
        return -EINVAL; // no such task
    if (prev_cpu < 0 || prev_cpu >= nr_cpus_) {
        auto it = outstanding_.find(pid);
        prev_cpu = it != outstanding_.end() && it->second.cpu >= 0 && it->second.cpu < nr_cpus_ ? it->second.cpu : 0;
    }
    // The BPF half keeps the idle map (ops.update_idle); claim a CPU by
    // clearing its bit, so two decisions never get the same one. Another
    // claimer may win the race: look again.
    std::uint64_t *mask = shared_->user->idle_mask;
    const detail::CpuTopology topo{nr_cpus_, CPU_WORDS, smt_, siblings_.data(), llc_.data()};
    for (int attempt = 0; attempt < 8; attempt++) {
        std::uint64_t idle[CPU_WORDS], scratch[CPU_WORDS];
        for (int w = 0; w < CPU_WORDS; w++)
            idle[w] = __atomic_load_n(&mask[w], __ATOMIC_ACQUIRE);
        const int cpu = detail::select_idle_cpu(topo, idle, allowed, prev_cpu, scratch);
        if (cpu < 0)
            return -EBUSY;
        const std::uint64_t bit = 1ULL << (cpu % 64);
        if (__atomic_fetch_and(&mask[cpu / 64], ~bit, __ATOMIC_ACQ_REL) & bit)
            return cpu;
    }
    return -EBUSY;
}

std::uint64_t KernelContext::now() const { return monotonic_ns(); }

const Counters &KernelContext::counters() const
{
    const Bss *b = shared_->bss;
    Counters &c = counters_;
    const std::uint64_t enq = load_acquire(&b->nr_enqueued);
    c.nr_queued = enq > consumed_ ? enq - consumed_ : 0;
    c.nr_scheduled = pending_;
    c.nr_running = load_acquire(&b->nr_running);
    c.nr_user_dispatches = load_acquire(&b->nr_user_dispatches);
    c.nr_kernel_dispatches = load_acquire(&b->nr_kernel_dispatches);
    c.nr_cancel_dispatches = load_acquire(&b->nr_cancel_dispatches) + user_cancelled_;
    c.nr_bounce_dispatches = load_acquire(&b->nr_bounce_dispatches);
    c.nr_failed_dispatches = load_acquire(&b->nr_failed_dispatches) + user_failed_;
    c.nr_congestion = load_acquire(&b->nr_congestion);
    return c;
}

void KernelContext::set_pending(std::uint64_t nr_tasks) { pending_ = nr_tasks; }

void KernelContext::set_idle_bypass(bool enabled)
{
    __atomic_store_n(&shared_->user->idle_bypass, enabled, __ATOMIC_RELEASE);
}

bool KernelContext::exited() const { return load_acquire(&shared_->bss->exit_kind) != 0; }

bool KernelContext::wait(int timeout_ms)
{
    auto ready = [&] {
        const unsigned long prod = __atomic_load_n(ring_.producer_pos, __ATOMIC_ACQUIRE);
        return woken_ || *ring_.consumer_pos < prod;
    };
    if (!ready()) {
        struct epoll_event ev {};
        (void)::epoll_wait(ring_.epoll.get(), &ev, 1, timeout_ms);
    }
    if (!ready())
        return false;
    woken_ = false;
    return true;
}

void KernelContext::end_batch()
{
    std::size_t sent = 0;
    while (sent < backlog_.size() && submit(backlog_[sent]))
        sent++;
    backlog_.erase(backlog_.begin(), backlog_.begin() + static_cast<std::ptrdiff_t>(sent));
    __atomic_store_n(&shared_->user->nr_scheduled, pending_, __ATOMIC_RELEASE);
    if (submitted_) {
        // Let this CPU go through ops.dispatch, which applies the decisions.
        submitted_ = false;
        ::sched_yield();
    }
}

} // namespace scx::kernel
