// SPDX-License-Identifier: MIT
//
// The Linux fair class (EEVDF) as simulate_default() runs it: per-CPU run
// queues of scheduling entities with weighted virtual time, lag, virtual
// deadlines, wake-up placement and preemption, the tick, and load balancing.
// What is modelled and how, and every approximation, is described at the top
// of eevdf.cpp.
//
// The engine (engine.hpp) owns the tasks, CPUs, costs and the event loop; it
// calls into this class where the sched_ext path would run its own core:
// wake() for a task that becomes runnable, pick_next() when a CPU needs its
// next task (the current one blocked or exited, or an idle CPU woke up) and
// tick() when the running task's slice check falls due (Engine::slice_expired).
#pragma once

#include <cstdint>
#include <vector>

#include "engine.hpp"

namespace scx::sim::detail {

// 128-bit integers for the weighted sums (as the kernel's overflow-checked
// arithmetic needs on 64-bit); a GCC/Clang extension.
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// The load weight of a nice-0 task (NICE_0_LOAD without the fixed-point
// scaling the kernel adds on 64-bit; only ratios matter here).
inline constexpr std::uint64_t NICE_0_LOAD = 1024;

// A task's sched_entity.
struct FairEntity {
    std::uint64_t vruntime = 0;   // virtual runtime (ns scaled by NICE_0_LOAD / weight)
    std::uint64_t deadline = 0;   // virtual deadline: vruntime at pick + slice in virtual time
    std::uint64_t vprot = 0;      // RUN_TO_PARITY: protected (no wake-up preemption) until vruntime reaches it
    std::int64_t vlag = 0;        // lag kept while dequeued (V - vruntime at dequeue)
    std::uint64_t slice = 0;      // request size, ns
    std::uint64_t weight = NICE_0_LOAD;
    std::uint64_t seen = 0;       // the task's sum_runtime already turned into vruntime
    std::uint64_t exec_start = 0; // last time it was picked or its runtime was accounted (cache hotness)
    std::uint64_t picked_runtime = 0; // the task's sum_runtime when it was picked (prev_sum_exec_runtime)
    bool hrtick_fired = false;        // HRTICK's timer fired since the pick
    std::uint64_t hrtick_late = 0;    // when it fires, once due (Machine::timer_tail_pct); 0: not yet due
    std::uint64_t seq = 0;        // insertion order: equal deadlines keep it (the kernel's rb-tree does)
    std::uint64_t flip_decay = 0; // wakee_flip_decay_ts
    std::uint32_t wakee_flips = 0;
    std::int32_t last_wakee = NONE;
    std::int32_t recent_cpu = NONE; // recent_used_cpu
    std::int32_t rq = NONE;       // run queue it is on (on_rq), else NONE
    bool delayed = false;         // sched_delayed: blocked, still queued (DELAY_DEQUEUE)
    bool rel_deadline = false;    // deadline is relative (migrated while queued)
    bool sync_wake = false;       // its next wake-up carries WF_SYNC (see Fair::wake)
};

// A CPU's cfs_rq (the root one: no task groups).
struct FairRq {
    std::vector<std::uint32_t> queue; // entities in the tree (curr is not)
    std::int32_t curr = NONE;         // cfs_rq->curr: picked, running or being switched to
    std::uint64_t zero_vruntime = 0;  // v0 of the relative sums below
    i128 sum_w_vruntime = 0;      // \Sum (v_i - v0) * w_i over the tree
    std::uint64_t sum_weight = 0;     // \Sum w_i over the tree
    std::uint32_t nr_runnable = 0;    // runnable tasks here, curr included (h_nr_runnable)
    std::uint64_t load = 0;           // their summed weights (load balancing, wake_affine)
    std::uint64_t next_balance = 0;   // next periodic balance of this CPU
    std::uint32_t balance_failed = 0; // nr_balance_failed: cache-hot tasks may move when > 1
    bool wakeup_resched = false;      // the pending reschedule is a wake-up preemption
    // Tasks woken here from another CPU while this one had nothing to run
    // (ttwu_queue_wakelist): queued when this CPU takes the IPI, in order;
    // until then on no queue, but the CPU is not idle (rq->ttwu_pending).
    std::vector<std::uint32_t> wake_list;
};

class Fair {
public:
    Fair(Engine &e, const EevdfParams &p);

    // Task `ti` became runnable (woken, or a new task).
    void wake(std::uint32_t ti, WakeKind kind);
    // CPU `c` needs a task: its current one blocked or exited, or it woke up.
    void pick_next(int c);
    // CPU `c` reached the time set in Cpu::slice_end: a tick at which the
    // running task's request or protection ends, or a reschedule is due.
    void tick(int c);
    // CPU `c`'s current task started running (its op is set): end its
    // slice by the high-resolution tick if that comes first (HRTICK).
    void started(int c);

    // sysctl_sched_base_slice as scaled for this machine.
    std::uint64_t base_slice() const { return slice_; }

private:
    enum class Dequeue : std::uint8_t { sleep, exit, migrate, delayed };

    std::uint64_t vdelta(std::uint64_t ns, const FairEntity &se) const;
    std::int64_t key(const FairRq &rq, std::uint64_t v) const
    {
        return static_cast<std::int64_t>(v - rq.zero_vruntime);
    }
    std::uint32_t nr_queued(const FairRq &rq) const
    {
        return static_cast<std::uint32_t>(rq.queue.size()) + (rq.curr != NONE ? 1u : 0u);
    }
    bool idle(int c) const
    {
        const FairRq &rq = rq_[static_cast<std::size_t>(c)];
        return nr_queued(rq) == 0 && rq.wake_list.empty();
    }
    bool before(std::uint32_t a, std::uint32_t b) const;

    void sum_add(FairRq &rq, std::uint32_t ti);
    void sum_sub(FairRq &rq, std::uint32_t ti);
    void tree_remove(FairRq &rq, std::uint32_t ti);
    std::uint64_t avg_vruntime(FairRq &rq);
    bool vruntime_eligible(const FairRq &rq, std::uint64_t v) const;
    bool eligible(const FairRq &rq, std::uint32_t ti) const { return vruntime_eligible(rq, se_[ti].vruntime); }
    std::uint64_t min_slice(const FairRq &rq) const;
    std::uint64_t max_slice(const FairRq &rq) const;
    bool update_entity_lag(FairRq &rq, std::uint32_t ti);
    bool update_deadline(FairRq &rq, FairEntity &se);
    bool protect_slice(const FairEntity &se) const;
    void set_protect_slice(const FairRq &rq, FairEntity &se);
    bool update_curr(int c);

    void place_entity(FairRq &rq, std::uint32_t ti, bool initial);
    bool enqueue(int c, std::uint32_t ti, bool initial);
    bool dequeue(int c, std::uint32_t ti, Dequeue how);
    void requeue_delayed(int c, std::uint32_t ti);
    void emit_insert(int c, std::uint32_t ti);
    void put_prev(int c);
    void set_next(int c, std::uint32_t ti);
    std::int32_t pick_eevdf(const FairRq &rq, bool protect) const;
    std::int32_t pick_task(int c);

    std::uint64_t runtime_to_check(int c) const;
    std::uint64_t next_tick() const;
    std::uint64_t lazy_due(const Task &t) const;
    std::uint64_t syscall_end(const Task &t) const;
    std::uint64_t ran_since_pick(int c) const;
    bool hrtick_due(int c) const;
    bool hrtick_expired(int c) const;
    std::uint64_t hrtick_at(int c) const;
    void arm(int c);
    void rearm(int c);
    void resched(int c, bool local, bool wakeup, bool full = false);
    void check_preempt(int c, std::uint32_t pse, bool fork, bool local);

    int select_cpu(std::uint32_t ti, bool fork, int this_cpu, bool sync);
    int find_idlest(std::uint32_t ti, int this_cpu) const;
    int select_idle_sibling(std::uint32_t ti, int prev, int target);
    int wake_affine(std::uint32_t ti, int this_cpu, int prev, bool sync, std::int32_t waker) const;
    void record_wakee(std::uint32_t waker, std::uint32_t wakee);
    bool wake_wide(std::uint32_t waker, std::uint32_t wakee, int this_cpu) const;
    bool core_idle(int c) const;
    bool share_cache(int a, int b) const;

    std::int32_t movable(int src, int dst, bool hot_ok) const;
    bool migrate(int src, std::uint32_t ti, int dst);
    std::int32_t pull_one(int dst, bool same_llc_only);
    std::int32_t pull_load(int c);
    bool newidle_balance(int c);
    void balance_tick(int c);

    Engine &e_;
    EevdfParams p_;
    std::uint64_t slice_ = 0;         // sysctl_sched_base_slice, scaled
    std::uint64_t tick_ = 0;
    std::uint64_t idle_interval_ = 0; // balance interval of an idle CPU
    std::uint64_t busy_interval_ = 0; // ... and of a busy one
    std::uint64_t nohz_next_ = 0;     // next idle balance kicked by a busy CPU
    std::uint64_t seq_ = 0;
    std::vector<FairEntity> se_;
    std::vector<FairRq> rq_;
    std::vector<int> llc_weight_;     // CPUs in each CPU's last-level cache
};

} // namespace scx::sim::detail
