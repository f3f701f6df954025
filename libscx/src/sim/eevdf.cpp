// SPDX-License-Identifier: MIT
//
// The Linux default scheduler for SCHED_NORMAL tasks: the fair class with
// EEVDF, as in kernel/sched/fair.c of Linux 7.x (read at the 7.0/7.1 state:
// the 6.17 run-to-parity rework, the 6.19 wake-up preemption rework with
// NEXT_BUDDY disabled again, PREEMPT_LAZY as the x86 default since 7.0).
// Written from the kernel's behaviour, not its code; names in parentheses
// are the kernel's so that the two can be compared.
//
// Modelled as the kernel does it:
//  - weights from sched_prio_to_weight[] (nice 0 = 1024); virtual runtime
//    advances by runtime * 1024 / weight (calc_delta_fair);
//  - per run queue, V is the load-weighted average vruntime of the queued
//    entities and the current one, tracked as relative sums around a moving
//    zero point (avg_vruntime, zero_vruntime); an entity is eligible when its
//    vruntime is not past V (entity_eligible, exact integer comparison);
//  - the request is the base slice, 0.70 ms x (1 + ilog2(min(CPUs, 8)))
//    (sysctl_sched_base_slice, SCHED_TUNABLESCALING_LOG); the virtual deadline
//    is vruntime + slice * 1024 / weight, renewed when the vruntime reaches it
//    (update_deadline), half a slice for a new task (PLACE_DEADLINE_INITIAL);
//  - pick: the eligible entity with the earliest deadline, the current one
//    included (pick_eevdf); with one entity, that one;
//  - RUN_TO_PARITY: a newly picked task is protected up to its deadline, or
//    up to the shortest queued slice (set_protect_slice); the protection only
//    holds while it stays eligible; re-picking the same task does not renew
//    it; a wake-up shortens it (update_protect_slice);
//  - the tick (update_curr from task_tick): reschedule (lazily, see
//    PREEMPT_LAZY) when the deadline was reached or the protection is over
//    and another entity is queued; a reschedule picks again and keeps the
//    task if it still wins;
//  - HRTICK (EevdfParams::hrtick; listed in the Debian 7.3.4 kernel's
//    /sys/kernel/debug/sched/features, and its sched_switch trace shows
//    preempted tasks leaving 1.4-1.6 ms after they were picked, not at 4 ms
//    ticks): with another entity queued a timer ends the slice the request
//    after the pick (see the HRTICK section below);
//  - lag: at dequeue, vlag = V - vruntime clamped to the virtual equivalent
//    of (largest queued slice + a tick) (update_entity_lag); at enqueue the
//    entity is placed at V - vlag * (W + w) / W so that V does not move
//    (place_entity, PLACE_LAG); migration keeps the lag and a relative
//    deadline (PLACE_REL_DEADLINE);
//  - DELAY_DEQUEUE with DELAY_ZERO: a task that blocks while not eligible
//    stays queued (it keeps weighing on V) until it is picked, then leaves;
//    if it wakes up first it is woken in place, on that CPU, with no CPU
//    selection, its lag clipped to at most 0 (ttwu_runnable,
//    requeue_delayed_entity; the TTWU_QUEUE_DELAYED series that would let
//    it move was not merged as far as 7.1);
//  - wake-up preemption (check_preempt_wakeup_fair as of 7.x): PREEMPT_SHORT
//    for a wakee with a shorter slice (never the case in these workloads: all
//    requests are the base slice), no preemption for new tasks (WF_FORK),
//    otherwise preempt when the wakee is what pick_eevdf would pick, slice
//    protection honoured; NEXT_BUDDY off (its 7.x default);
//  - PREEMPT_LAZY (EevdfParams::lazy_preempt): the fair class asks for a lazy
//    reschedule. Its task acts on it when it next returns to user space
//    (exit_to_user_mode_loop honours TIF_NEED_RESCHED_LAZY): at the end of
//    the system call it is in (a send, receive or spawn op: a sender that
//    wakes a reader who preempts it finishes its write first), else - on
//    the CPU that asked, at once; on another CPU, at once too with HRTICK
//    (the queue change there re-arms its timer by an IPI, hrtick_update,
//    whose return acts on the flag: in the kernel's latency traces a woken
//    task preempts a computing one on another CPU ~180 us later, not at a
//    4 ms tick), else at its next tick. A tick that comes before the end of the call makes it a
//    full reschedule there (sched_tick), and so does hrtick_update's
//    reschedule (below), which is never lazy: the task is preempted inside
//    its system call (a pipe's mutex stays taken, see interpreter.cpp). With
//    lazy_preempt=0 every reschedule acts at once (6.x voluntary / full
//    preemption with its reschedule IPI);
//  - wake-up CPU selection (select_task_rq_fair): record_wakee / wake_wide
//    (wakee flips, halved every second, factor = CPUs in the LLC); wake_affine
//    between the waker's CPU and the previous one (WA_IDLE, then WA_WEIGHT with
//    imbalance_pct 117 and WA_BIAS); then select_idle_sibling: the target if
//    idle, the previous CPU if idle and sharing the cache, recent_used_cpu,
//    with SMT an idle core (or an idle sibling of prev when no core is idle),
//    else the first idle CPU of the LLC scanning from target + 1, else the
//    target. WF_SYNC is set for pipe, socket and poll (gate) wake-ups, as
//    the kernel's wake-up sites do, not for futex-like queues nor timers;
//  - TTWU_QUEUE (ttwu_queue_wakelist): a task woken from another CPU onto a
//    CPU with nothing to run waits on that CPU's wake list until the CPU
//    has woken up (wake_idle_ns) and queues it (sched_ttwu_pending, in
//    order); meanwhile the CPU is not idle to wake-up selection (its
//    rq->ttwu_pending) and the task is on no queue, so a CPU going idle
//    cannot pull it: a waker that wakes two tasks and blocks at once can
//    leave the second waiting behind the first on one CPU while its own
//    stays idle until a balancing tick, as the kernel's traces show;
//  - new tasks (WF_FORK) go to the idlest CPU (sched_balance_find_dst_cpu):
//    the parent's CPU if idle, else the first idle CPU (a whole idle core
//    first) from there, else the least loaded one;
//  - sysctl_sched_migration_cost 0.5 ms: load balancing leaves a task that
//    ran less than that ago (cache hot), unless balancing failed more than
//    cache_nice_tries (1) times in a row.
//
// Approximations (each one a simplification, not a different policy):
//  - load is the instantaneous summed weight of runnable tasks, not PELT
//    averages (wake_affine_weight, busiest queue);
//  - load balancing is three rules instead of the per-domain walk:
//      newly idle (sched_balance_newidle): a CPU that runs out of work pulls
//        one waiting, not cache-hot task from the queue with the most
//        runnable tasks (at least 2), its own LLC first; always tried
//        (no avg_idle / max_newidle_lb_cost cut-off, no NI_RATE throttling);
//      periodic, driven by the tick of a busy CPU: (a) nohz idle balance:
//        when that CPU has 2 or more runnable tasks, every idle CPU pulls one
//        task from the busiest queue and is woken (at most once per idle
//        interval, the LLC's CPU count in ms); (b) every busy_factor x that
//        interval the busy CPU itself, when below the average load, pulls
//        from the most loaded queue one waiting task whose weight fits the
//        load imbalance, halving the weight considered after each failed
//        attempt (migrate_load with nr_balance_failed). One domain for the
//        whole machine (the LLC comes first only for newly idle pulls), no
//        active balancing (running tasks never move), no misfit/capacity or
//        NUMA logic;
//    the tick that drives them is simulated on every CPU with tasks waiting,
//    and on a CPU running a task alone only when its request ends (about
//    every tick too, the request being shorter than a tick at HZ=250);
//  - SIS_UTIL's limit on the idle scan and the idle-core hint are not
//    modelled: the scan covers the whole LLC and "has idle core" is exact;
//  - a child's exit wakes a parent waiting for it with WF_SYNC (wait4 does;
//    a thread's pthread_join is a futex wake without it);
//  - an exiting task leaves its queue at once, never delayed;
//  - a local wake-up preemption switches at once, carrying the rest of the
//    waker's current operation over to its next run (as on the sched_ext
//    path), instead of finishing the system call first;
//  - timer wake-ups (sleeps) are handled as an interrupt on the sleeper's
//    previous CPU, with no waker (no record_wakee, no wake_affine);
//  - vruntime arithmetic is exact integer division, without the kernel's
//    fixed-point inverse weights (differences of a nanosecond at most);
//  - no group scheduling (one root cfs_rq per CPU), no custom slices
//    (sched_attr), no yield, no uclamp/EAS, no idle-class tasks, no cost for
//    the scheduler's own work (as on the sched_ext path, switches cost
//    Machine::cs_ns / mm_ns, moves migrate_ns / llc_migrate_ns, waking an idle
//    CPU wake_idle_ns).
#include "eevdf.hpp"

#include <algorithm>
#include <bit>

namespace scx::sim::detail {

namespace {

// sched_domain imbalance_pct of a last-level-cache domain (SD_SHARE_LLC).
constexpr std::uint64_t IMBALANCE_PCT = 117;
// sd->cache_nice_tries of a last-level-cache domain.
constexpr std::uint32_t CACHE_NICE_TRIES = 1;
// wakee_flips halve every second (jiffies + HZ).
constexpr std::uint64_t FLIP_DECAY_NS = NSEC_PER_SEC;

bool vbefore(std::uint64_t a, std::uint64_t b) { return static_cast<std::int64_t>(a - b) < 0; }

std::uint64_t vmin(std::uint64_t a, std::uint64_t b) { return vbefore(b, a) ? b : a; }

} // namespace

Fair::Fair(Engine &e, const EevdfParams &p) : e_(e), p_(p)
{
    const int n = e.mc_.cpus;
    std::uint64_t factor = 1;
    if (p.scale_slice) {
        const auto cpus = static_cast<unsigned>(n < 8 ? n : 8);
        factor = 1 + static_cast<std::uint64_t>(std::bit_width(cpus) - 1); // 1 + ilog2(cpus)
    }
    slice_ = p.base_slice_ns * factor;
    tick_ = e.tick_ns_;

    // Balance intervals: sd->min_interval is the domain's CPU count in ms,
    // times busy_factor when the CPU is busy, in whole jiffies.
    const int llc_cpus = e.mc_.llc > 0 && e.mc_.llc < n ? e.mc_.llc : n;
    for (int c = 0; c < n; c++) {
        int w = 0;
        for (int d = 0; d < n; d++)
            w += e.topo_.llc_of(d) == e.topo_.llc_of(c);
        llc_weight_.push_back(w);
    }
    auto jiffies = [&](std::uint64_t ms) {
        const std::uint64_t ns = ms * NSEC_PER_MSEC;
        const std::uint64_t j = (ns + tick_ - 1) / tick_;
        return (j ? j : 1) * tick_;
    };
    idle_interval_ = jiffies(static_cast<std::uint64_t>(llc_cpus));
    busy_interval_ = jiffies(static_cast<std::uint64_t>(llc_cpus) * p.busy_factor);

    se_.resize(e.tasks_.size());
    for (std::size_t i = 0; i < e.m_.tasks.size(); i++) {
        const TaskModel &tm = e.m_.tasks[i];
        FairEntity &se = se_[i];
        se.weight = tm.load_weight ? tm.load_weight : weight_to_load_weight(tm.weight);
        se.slice = slice_;
    }
    rq_.resize(static_cast<std::size_t>(n));
    for (FairRq &rq : rq_)
        rq.next_balance = busy_interval_;
}

// ---- virtual time

std::uint64_t Fair::vdelta(std::uint64_t ns, const FairEntity &se) const
{
    if (se.weight == NICE_0_LOAD)
        return ns;
    return static_cast<std::uint64_t>(static_cast<u128>(ns) * NICE_0_LOAD / se.weight);
}

bool Fair::before(std::uint32_t a, std::uint32_t b) const
{
    const FairEntity &x = se_[a], &y = se_[b];
    if (x.deadline != y.deadline)
        return vbefore(x.deadline, y.deadline);
    return x.seq < y.seq;
}

void Fair::sum_add(FairRq &rq, std::uint32_t ti)
{
    const FairEntity &se = se_[ti];
    rq.sum_w_vruntime += static_cast<i128>(key(rq, se.vruntime)) * static_cast<i128>(se.weight);
    rq.sum_weight += se.weight;
}

void Fair::sum_sub(FairRq &rq, std::uint32_t ti)
{
    const FairEntity &se = se_[ti];
    rq.sum_w_vruntime -= static_cast<i128>(key(rq, se.vruntime)) * static_cast<i128>(se.weight);
    rq.sum_weight -= se.weight;
}

void Fair::tree_remove(FairRq &rq, std::uint32_t ti)
{
    auto it = std::find(rq.queue.begin(), rq.queue.end(), ti);
    *it = rq.queue.back();
    rq.queue.pop_back();
    sum_sub(rq, ti);
}

// V, with a left bias so that an entity at V is eligible; moves the zero
// point to it so that the relative sums stay small.
std::uint64_t Fair::avg_vruntime(FairRq &rq)
{
    i128 runtime = rq.sum_w_vruntime;
    i128 weight = rq.sum_weight;
    if (rq.curr != NONE) {
        const FairEntity &c = se_[static_cast<std::size_t>(rq.curr)];
        runtime += static_cast<i128>(key(rq, c.vruntime)) * static_cast<i128>(c.weight);
        weight += c.weight;
    }
    std::int64_t delta = 0;
    if (weight) {
        if (runtime < 0)
            runtime -= weight - 1; // floor
        delta = static_cast<std::int64_t>(runtime / weight);
    }
    rq.sum_w_vruntime -= static_cast<i128>(rq.sum_weight) * delta;
    rq.zero_vruntime += static_cast<std::uint64_t>(delta);
    return rq.zero_vruntime;
}

// lag >= 0  <=>  V >= v  <=>  \Sum (v_i - v0) w_i >= (v - v0) \Sum w_i
bool Fair::vruntime_eligible(const FairRq &rq, std::uint64_t v) const
{
    i128 avg = rq.sum_w_vruntime;
    i128 load = rq.sum_weight;
    if (rq.curr != NONE) {
        const FairEntity &c = se_[static_cast<std::size_t>(rq.curr)];
        avg += static_cast<i128>(key(rq, c.vruntime)) * static_cast<i128>(c.weight);
        load += c.weight;
    }
    return avg >= static_cast<i128>(key(rq, v)) * load;
}

std::uint64_t Fair::min_slice(const FairRq &rq) const
{
    std::uint64_t s = ~0ULL;
    if (rq.curr != NONE)
        s = se_[static_cast<std::size_t>(rq.curr)].slice;
    for (std::uint32_t q : rq.queue)
        s = std::min(s, se_[q].slice);
    return s;
}

std::uint64_t Fair::max_slice(const FairRq &rq) const
{
    std::uint64_t s = 0;
    if (rq.curr != NONE)
        s = se_[static_cast<std::size_t>(rq.curr)].slice;
    for (std::uint32_t q : rq.queue)
        s = std::max(s, se_[q].slice);
    return s;
}

// se->vlag = V - vruntime, clamped; true when that is not where it stands.
bool Fair::update_entity_lag(FairRq &rq, std::uint32_t ti)
{
    FairEntity &se = se_[ti];
    const std::uint64_t avg = avg_vruntime(rq);
    const auto limit = static_cast<std::int64_t>(vdelta(max_slice(rq) + tick_, se));
    std::int64_t vlag = std::clamp(static_cast<std::int64_t>(avg - se.vruntime), -limit, limit);
    if (se.delayed) {
        vlag = std::max(vlag, se.vlag); // it was negative, or it would not be delayed
        if (p_.delay_dequeue)            // DELAY_ZERO
            vlag = std::min<std::int64_t>(vlag, 0);
    }
    se.vlag = vlag;
    return avg - static_cast<std::uint64_t>(vlag) != se.vruntime;
}

bool Fair::update_deadline(FairRq &rq, FairEntity &se)
{
    if (vbefore(se.vruntime, se.deadline))
        return false;
    se.slice = slice_;
    se.deadline = se.vruntime + vdelta(se.slice, se);
    avg_vruntime(rq);
    return true;
}

bool Fair::protect_slice(const FairEntity &se) const { return vbefore(se.vruntime, se.vprot); }

void Fair::set_protect_slice(const FairRq &rq, FairEntity &se)
{
    std::uint64_t slice = p_.run_to_parity ? min_slice(rq) : p_.base_slice_ns;
    slice = std::min(slice, se.slice);
    std::uint64_t vprot = se.deadline;
    if (slice != se.slice)
        vprot = vmin(vprot, se.vruntime + vdelta(slice, se));
    se.vprot = vprot;
}

// Account the current task's runtime on CPU c. True when the kernel's
// update_curr() would ask for a reschedule: the request was used up or the
// protection is over, and another entity is queued.
bool Fair::update_curr(int c)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    if (rq.curr == NONE)
        return false;
    const auto ti = static_cast<std::uint32_t>(rq.curr);
    const Task &t = e_.tasks_[ti];
    FairEntity &se = se_[ti];
    std::uint64_t ran = t.sum_runtime;
    const Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    if (cpu.curr == rq.curr && cpu.phase == CpuPhase::running)
        ran += e_.now_ - t.run_start;
    if (ran <= se.seen)
        return false;
    se.vruntime += vdelta(ran - se.seen, se);
    se.seen = ran;
    se.exec_start = e_.now_;
    const bool expired = update_deadline(rq, se);
    if (expired)
        e_.st_.slice_expiries++;
    if (nr_queued(rq) == 1)
        return false;
    return expired || !protect_slice(se);
}

// ---- enqueue and dequeue

void Fair::place_entity(FairRq &rq, std::uint32_t ti, bool initial)
{
    FairEntity &se = se_[ti];
    se.slice = slice_;
    std::uint64_t vslice = vdelta(se.slice, se);
    const std::uint64_t v = avg_vruntime(rq);
    i128 lag = 0;
    if (nr_queued(rq) && se.vlag) {
        // Keep V where it is: vl_i = (W + w_i) * vl'_i / W.
        std::uint64_t load = rq.sum_weight;
        if (rq.curr != NONE)
            load += se_[static_cast<std::size_t>(rq.curr)].weight;
        lag = static_cast<i128>(se.vlag) * static_cast<i128>(load + se.weight);
        lag /= static_cast<i128>(load ? load : 1);
    }
    se.vruntime = v - static_cast<std::uint64_t>(static_cast<std::int64_t>(lag));
    if (se.rel_deadline) {
        se.deadline += se.vruntime;
        se.rel_deadline = false;
        return;
    }
    if (initial)
        vslice /= 2;
    se.deadline = se.vruntime + vslice;
}

// Put task ti on CPU c's queue. Returns update_curr()'s verdict for c.
bool Fair::enqueue(int c, std::uint32_t ti, bool initial)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    FairEntity &se = se_[ti];
    const bool want = update_curr(c);
    place_entity(rq, ti, initial);
    se.seq = seq_++;
    rq.queue.push_back(ti);
    sum_add(rq, ti);
    se.rq = c;
    se.delayed = false;
    rq.nr_runnable++;
    rq.load += se.weight;
    Task &t = e_.tasks_[ti];
    t.state = TaskState::dsq;
    emit_insert(c, ti);
    return want;
}

// insert: a = request (ns), b = vruntime, c = lag in the queue it joined
// (V - vruntime, two's complement; positive: owed CPU time).
void Fair::emit_insert(int c, std::uint32_t ti)
{
    if (e_.sinks_.empty())
        return;
    FairEntity &se = se_[ti];
    const auto lag = static_cast<std::int64_t>(avg_vruntime(rq_[static_cast<std::size_t>(c)]) - se.vruntime);
    e_.emit(EventType::insert, c, &e_.tasks_[ti], se.slice, se.vruntime, static_cast<std::uint64_t>(lag));
}

// Take task ti off CPU c's queue (it may be the current one). Returns true
// when DELAY_DEQUEUE keeps a sleeping task queued instead.
bool Fair::dequeue(int c, std::uint32_t ti, Dequeue how)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    FairEntity &se = se_[ti];
    update_curr(c);
    if (how == Dequeue::sleep && p_.delay_dequeue && !eligible(rq, ti)) {
        update_entity_lag(rq, ti);
        se.delayed = true;
        rq.nr_runnable--;
        rq.load -= se.weight;
        return true;
    }
    update_entity_lag(rq, ti);
    if (how == Dequeue::migrate) {
        se.deadline -= se.vruntime;
        se.rel_deadline = true;
    }
    if (rq.curr == static_cast<std::int32_t>(ti))
        rq.curr = NONE;
    else
        tree_remove(rq, ti);
    if (se.delayed) {
        se.delayed = false;
        if (se.vlag > 0) // DELAY_ZERO (finish_delayed_dequeue_entity)
            se.vlag = 0;
    } else {
        rq.nr_runnable--;
        rq.load -= se.weight;
    }
    se.rq = NONE;
    return false;
}

// A delayed task woke up before it was picked: it stays where it is,
// runnable again, its lag clipped to at most 0.
void Fair::requeue_delayed(int c, std::uint32_t ti)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    FairEntity &se = se_[ti];
    update_curr(c);
    if (p_.delay_dequeue && update_entity_lag(rq, ti)) {
        tree_remove(rq, ti);
        place_entity(rq, ti, false);
        se.seq = seq_++;
        rq.queue.push_back(ti);
        sum_add(rq, ti);
    }
    se.delayed = false;
    rq.nr_runnable++;
    rq.load += se.weight;
    e_.tasks_[ti].state = TaskState::dsq;
    emit_insert(c, ti);
}

// The current entity goes back into the tree (put_prev_entity).
void Fair::put_prev(int c)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const auto ti = static_cast<std::uint32_t>(rq.curr);
    rq.curr = NONE;
    se_[ti].seq = seq_++;
    rq.queue.push_back(ti);
    sum_add(rq, ti);
}

// Task ti becomes CPU c's current entity (set_next_entity).
void Fair::set_next(int c, std::uint32_t ti)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    FairEntity &se = se_[ti];
    tree_remove(rq, ti);
    se.exec_start = e_.now_;
    se.picked_runtime = e_.tasks_[ti].sum_runtime;
    se.hrtick_fired = false;
    se.hrtick_late = 0;
    set_protect_slice(rq, se);
    rq.curr = static_cast<std::int32_t>(ti);
    e_.tasks_[ti].slice = runtime_to_check(c);
}

std::int32_t Fair::pick_eevdf(const FairRq &rq, bool protect) const
{
    const std::uint32_t nq = nr_queued(rq);
    if (nq == 0)
        return NONE;
    if (nq == 1)
        return rq.curr != NONE ? rq.curr : static_cast<std::int32_t>(rq.queue[0]);
    std::int32_t curr = rq.curr;
    if (curr != NONE && !eligible(rq, static_cast<std::uint32_t>(curr)))
        curr = NONE;
    if (curr != NONE && protect && protect_slice(se_[static_cast<std::size_t>(curr)]))
        return curr;
    std::int32_t best = NONE;
    for (std::uint32_t q : rq.queue)
        if ((best == NONE || before(q, static_cast<std::uint32_t>(best))) && eligible(rq, q))
            best = static_cast<std::int32_t>(q);
    if (best == NONE ||
        (curr != NONE && vbefore(se_[static_cast<std::size_t>(curr)].deadline, se_[static_cast<std::size_t>(best)].deadline)))
        best = curr;
    if (best == NONE) {
        // Not possible with exact sums (some entity is at or below the
        // average); kept as a guard: the earliest deadline.
        best = rq.curr;
        for (std::uint32_t q : rq.queue)
            if (best == NONE || before(q, static_cast<std::uint32_t>(best)))
                best = static_cast<std::int32_t>(q);
    }
    return best;
}

// pick_eevdf() on CPU c, completing the dequeue of delayed entities it
// returns (pick_next_entity); NONE when nothing is left.
std::int32_t Fair::pick_task(int c)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    for (;;) {
        const std::int32_t ti = pick_eevdf(rq, true);
        if (ti == NONE || !se_[static_cast<std::size_t>(ti)].delayed)
            return ti;
        dequeue(c, static_cast<std::uint32_t>(ti), Dequeue::delayed);
    }
}

// ---- the tick and rescheduling

// Runtime the current task of CPU c may use before its next check: the end
// of its protection when another entity is queued, else of its request; 1
// for the next tick, which is also where a CPU with tasks waiting may
// balance load (the kernel's tick does both on every tick).
std::uint64_t Fair::runtime_to_check(int c) const
{
    const FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const FairEntity &se = se_[static_cast<std::size_t>(rq.curr)];
    if (rq.nr_runnable >= 2)
        return 1;
    std::uint64_t target = se.deadline;
    if (nr_queued(rq) > 1) {
        if (!protect_slice(se))
            return 1;
        target = vmin(se.vprot, se.deadline);
    }
    const auto v = static_cast<std::int64_t>(target - se.vruntime);
    if (v <= 0)
        return 1;
    const auto ns = (static_cast<u128>(v) * se.weight + NICE_0_LOAD - 1) / NICE_0_LOAD;
    return ns > 0 ? static_cast<std::uint64_t>(ns) : 1;
}

std::uint64_t Fair::next_tick() const { return (e_.now_ / tick_ + 1) * tick_; }

// When running task t acts on a lazy reschedule: on its next return to
// user space or at the next tick, whichever comes first. A task in a system
// call returns when the call ends - the reschedule then falls 1 ns before
// the op's end, so the task leaves the CPU with the call done but before
// its next op starts; at a tick inside the call it is preempted there. One
// in user space goes at the tick (another CPU asked: no interrupt).
std::uint64_t Fair::lazy_due(const Task &t) const
{
    const std::uint64_t tick = next_tick();
    const std::uint64_t end = syscall_end(t);
    return end < tick ? end : tick;
}

// When running task t returns to user space from the system call it is in
// (1 ns before the op's end, see lazy_due); NEVER when it is in user space.
std::uint64_t Fair::syscall_end(const Task &t) const
{
    if (t.pc == 0 || t.op_end <= e_.now_)
        return NEVER;
    const OpCode code = t.prog[t.pc - 1].code;
    if (code != OpCode::send && code != OpCode::recv && code != OpCode::spawn && code != OpCode::gate_open)
        return NEVER;
    return t.op_end + t.op_rest - 1;
}

// ---- HRTICK
//
// With another task queued, the running task's slice is timed to the
// nanosecond (hrtick_start_fair: its request less what it ran since it was
// picked, re-armed when the queue changes, hrtick_update). When the timer
// fires the task is rescheduled at once, inside a system call too: in the
// Debian 7.3.4 kernel's sched_switch traces, 109 of 128 message senders
// whose slice ran out (1.4-2 ms after their pick) left in kernel mode
// (prev_state R+), while those a wake-up preempted left on their way back
// to user space (R). Picking the
// same task again does not restart the count (put_prev_set_next_task skips
// it): from then on, a task queued on that CPU reschedules it at once
// (hrtick_update finds the slice used up: resched_curr). Dequeues, which
// re-arm it too, are not modelled.

// Runtime of CPU c's current task since it was picked.
std::uint64_t Fair::ran_since_pick(int c) const
{
    const FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    const Task &t = e_.tasks_[static_cast<std::size_t>(rq.curr)];
    std::uint64_t ran = t.sum_runtime;
    if (cpu.curr == rq.curr && cpu.phase == CpuPhase::running)
        ran += e_.now_ - t.run_start;
    const std::uint64_t from = se_[static_cast<std::size_t>(rq.curr)].picked_runtime;
    return ran > from ? ran - from : 0;
}

// The queue of CPU c changed and its running task already used its slice
// since it was picked: hrtick_update() reschedules it at once.
bool Fair::hrtick_expired(int c) const
{
    const FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    return cpu.curr != NONE && cpu.curr == rq.curr && cpu.phase == CpuPhase::running &&
           (!cpu.preempt || cpu.slice_end > e_.now_) && hrtick_due(c);
}

bool Fair::hrtick_due(int c) const
{
    const FairRq &rq = rq_[static_cast<std::size_t>(c)];
    return p_.hrtick && rq.curr != NONE && nr_queued(rq) > 1 &&
           ran_since_pick(c) >= se_[static_cast<std::size_t>(rq.curr)].slice;
}

// When the timer fires on CPU c (NEVER: not armed, or it already fired).
std::uint64_t Fair::hrtick_at(int c) const
{
    const FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    if (!p_.hrtick || rq.curr == NONE || cpu.curr != rq.curr || cpu.phase != CpuPhase::running ||
        nr_queued(rq) < 2)
        return NEVER;
    const FairEntity &se = se_[static_cast<std::size_t>(rq.curr)];
    const std::uint64_t ran = ran_since_pick(c);
    if (ran < se.slice)
        return e_.now_ + (se.slice - ran) + e_.mc_.timer_ns; // as late as any timer
    return !se.hrtick_fired && se.hrtick_late > e_.now_ ? se.hrtick_late : NEVER; // later still (timer_tail)
}

void Fair::started(int c)
{
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    const std::uint64_t at = hrtick_at(c);
    if (at < cpu.slice_end)
        cpu.slice_end = at;
}

// The current task of CPU c keeps running: its next check is at the first
// tick after the runtime it may still use.
void Fair::arm(int c)
{
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    const Task &t = e_.tasks_[static_cast<std::size_t>(cpu.curr)];
    std::uint64_t end = e_.tick_ceil(e_.now_ + runtime_to_check(c));
    if (cpu.preempt && cpu.slice_end < end)
        end = cpu.slice_end; // a reschedule is already due
    const std::uint64_t hr = hrtick_at(c);
    if (hr < end)
        end = hr;
    cpu.slice_end = end;
    e_.set_next(c, t.op_end < end ? t.op_end : end);
}

// The queue of CPU c changed under its current task: move its next check.
void Fair::rearm(int c)
{
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    const FairRq &rq = rq_[static_cast<std::size_t>(c)];
    if (cpu.curr == NONE || cpu.curr != rq.curr)
        return;
    if (cpu.phase == CpuPhase::switching)
        e_.tasks_[static_cast<std::size_t>(cpu.curr)].slice = runtime_to_check(c);
    else if (cpu.phase == CpuPhase::running)
        arm(c);
}

// Ask CPU c to reschedule (resched_curr_lazy). The task acts on it when it
// returns to user space: at the end of the system call it is in (the send
// whose wake-up preempts), else - asked by that CPU itself, or by another
// one with HRTICK on (the IPI that re-arms the timer) - at once, or - by
// another CPU without HRTICK, which sends no interrupt - at the tick; a tick
// that comes first makes it a full reschedule (sched_tick), inside the call.
// `full`: resched_curr, at once even inside a system call; it also upgrades
// a lazy one still pending.
void Fair::resched(int c, bool local, bool wakeup, bool full)
{
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    if (cpu.curr == NONE)
        return; // idle, waking up, or between two tasks: it picks anyway
    if (wakeup)
        rq_[static_cast<std::size_t>(c)].wakeup_resched = true;
    cpu.preempt = true;
    if (cpu.phase != CpuPhase::running)
        return; // being switched to: acted on when it starts
    const Task &t = e_.tasks_[static_cast<std::size_t>(cpu.curr)];
    std::uint64_t when = e_.now_;
    if (!full && p_.lazy_preempt) {
        // In user space the task goes at its next return from an interrupt:
        // at once on this CPU, and on another one too when HRTICK is on -
        // the queue change there re-arms that CPU's timer by an IPI
        // (hrtick_update), and the IPI's return acts on the lazy flag.
        const std::uint64_t end = syscall_end(t);
        const bool interrupted = local || (p_.hrtick && nr_queued(rq_[static_cast<std::size_t>(c)]) > 1);
        when = end == NEVER && interrupted ? e_.now_ : lazy_due(t);
    }
    if (when < cpu.slice_end)
        cpu.slice_end = when;
    e_.set_next(c, t.op_end < cpu.slice_end ? t.op_end : cpu.slice_end);
}

void Fair::tick(int c)
{
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const auto ti = static_cast<std::uint32_t>(cpu.curr);
    Task &t = e_.tasks_[ti];
    const bool on_tick = e_.now_ % tick_ == 0;
    bool due = cpu.preempt; // asked before: a full reschedule, or a lazy one now due
    const bool wakeup = rq.wakeup_resched;
    const bool asked = update_curr(c); // the request is used up or its protection over
    FairEntity &se = se_[ti];
    bool postponed = false; // the timer is late: nothing interrupts the task now
    if (!due && hrtick_due(c) && !se.hrtick_fired) {
        // The timer fires (once per pick; with Machine::timer_tail_pct
        // perhaps later still): a full reschedule, at once even inside a
        // system call - the kernel's traces show tasks whose slice ran out
        // preempted in kernel mode (prev_state R+), not at their return to
        // user space.
        if (se.hrtick_late == 0)
            se.hrtick_late = e_.now_ + e_.timer_tail(t);
        if (se.hrtick_late <= e_.now_) {
            se.hrtick_fired = true;
            due = true;
        } else {
            postponed = !on_tick;
        }
    }
    if (!due && asked && !postponed) {
        // resched_curr_lazy() from the interrupt: in user space the task
        // goes at once, in a system call at its end or at the next tick.
        const std::uint64_t end = syscall_end(t);
        if (p_.lazy_preempt && end != NEVER && end > e_.now_) {
            cpu.preempt = true;
            cpu.slice_end = lazy_due(t);
            e_.set_next(c, t.op_end < cpu.slice_end ? t.op_end : cpu.slice_end);
            if (on_tick)
                balance_tick(c);
            return;
        }
        due = true;
    }
    if (due) {
        cpu.preempt = false;
        rq.wakeup_resched = false;
        const std::int32_t next = pick_task(c);
        if (next != NONE && next != static_cast<std::int32_t>(ti)) {
            if (wakeup) {
                e_.emit(EventType::preempt, c, &t);
                e_.st_.preemptions++;
            }
            t.op_left = t.op_end > e_.now_ ? t.op_end - e_.now_ : 0;
            e_.stop_running(c, wakeup ? StopReason::preempt : StopReason::expire);
            t.state = TaskState::dsq;
            t.runnable_at = e_.now_;
            e_.note_waiting(+1);
            put_prev(c);
            set_next(c, static_cast<std::uint32_t>(next));
            e_.switch_to(c, static_cast<std::uint32_t>(next));
            e_.unlock_if_out(t);
            if (on_tick && !e_.stop_)
                balance_tick(c);
            return;
        }
    }
    if (on_tick)
        balance_tick(c);
    if (cpu.curr == static_cast<std::int32_t>(ti) && cpu.phase == CpuPhase::running)
        arm(c);
}

// ---- wake-up

void Fair::wake(std::uint32_t ti, WakeKind kind)
{
    Task &t = e_.tasks_[ti];
    FairEntity &se = se_[ti];
    const bool fork = kind == WakeKind::fork;
    t.runnable_at = e_.now_;
    if (kind == WakeKind::wakeup) {
        t.woke_at = e_.now_ - e_.timer_late_;
        t.exec_runtime = 0;
        t.wakeups++;
    }
    e_.note_waiting(+1);
    e_.emit(EventType::wakeup, t.cpu, &t, fork);

    // The CPU the wake-up runs on: the waker's, or for a timer (and the
    // tasks that start at time 0) the sleeper's previous CPU.
    const int this_cpu = e_.cur_cpu_ != NONE ? e_.cur_cpu_ : t.cpu;
    int c;
    bool want = false;
    if (se.rq != NONE) {
        c = se.rq; // delayed: woken in place (ttwu_runnable)
        requeue_delayed(c, ti);
    } else {
        const bool sync = e_.cur_cpu_ != NONE && se.sync_wake;
        c = select_cpu(ti, fork, e_.cur_cpu_, sync);
        FairRq &rq = rq_[static_cast<std::size_t>(c)];
        if (p_.ttwu_queue && !fork && c != this_cpu && nr_queued(rq) == 0) {
            // ttwu_queue_wakelist: the target queues it when it takes the IPI.
            rq.wake_list.push_back(ti);
            e_.kick(c);
            return;
        }
        want = enqueue(c, ti, fork);
    }
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    if (cpu.phase == CpuPhase::idle) {
        e_.kick(c);
        return;
    }
    const bool local = c == this_cpu;
    if (want)
        resched(c, local, false);
    if (hrtick_expired(c))
        resched(c, true, true, true); // hrtick_update: resched_curr, not lazy
    check_preempt(c, ti, fork, local);
    rearm(c);
}

// check_preempt_wakeup_fair(): does the woken task pse take CPU c?
void Fair::check_preempt(int c, std::uint32_t pse, bool fork, bool local)
{
    const Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    if (rq.curr == NONE || cpu.curr != rq.curr || rq.curr == static_cast<std::int32_t>(pse) || cpu.preempt)
        return;
    FairEntity &se = se_[static_cast<std::size_t>(rq.curr)];
    if (update_curr(c))
        resched(c, local, false);
    const bool shorter = p_.preempt_short && se_[pse].slice < se.slice;
    if (!shorter && fork)
        return;
    if (pick_eevdf(rq, !shorter) == static_cast<std::int32_t>(pse)) {
        if (shorter && protect_slice(se))
            se.vprot = se.vruntime; // cancel_protect_slice
        resched(c, local, true);
        return;
    }
    if (p_.run_to_parity) // update_protect_slice
        se.vprot = vmin(se.vprot, se.vruntime + vdelta(min_slice(rq), se));
}

// ---- wake-up CPU selection

bool Fair::share_cache(int a, int b) const { return e_.topo_.llc_of(a) == e_.topo_.llc_of(b); }

bool Fair::core_idle(int c) const
{
    const int core = e_.topo_.core_of(c);
    for (int s = core * e_.mc_.smt; s < e_.mc_.cpus && e_.topo_.core_of(s) == core; s++)
        if (!idle(s))
            return false;
    return true;
}

void Fair::record_wakee(std::uint32_t waker, std::uint32_t wakee)
{
    FairEntity &w = se_[waker];
    if (e_.now_ > w.flip_decay + FLIP_DECAY_NS) {
        w.wakee_flips >>= 1;
        w.flip_decay = e_.now_;
    }
    if (w.last_wakee != static_cast<std::int32_t>(wakee)) {
        w.last_wakee = static_cast<std::int32_t>(wakee);
        w.wakee_flips++;
    }
}

// Many-to-many wake-ups spread instead of pulling wakees to the waker.
bool Fair::wake_wide(std::uint32_t waker, std::uint32_t wakee, int this_cpu) const
{
    std::uint64_t master = se_[waker].wakee_flips, slave = se_[wakee].wakee_flips;
    const int factor = llc_weight_[static_cast<std::size_t>(this_cpu)];
    if (master < slave)
        std::swap(master, slave);
    return !(slave < static_cast<std::uint64_t>(factor) || master < slave * static_cast<std::uint64_t>(factor));
}

int Fair::wake_affine(std::uint32_t ti, int this_cpu, int prev, bool sync, std::int32_t waker) const
{
    const FairRq &self = rq_[static_cast<std::size_t>(this_cpu)];
    int target = NONE;
    // WA_IDLE
    if (idle(this_cpu) && share_cache(this_cpu, prev))
        target = idle(prev) ? prev : this_cpu;
    else if (sync && nr_queued(self) == 1)
        target = this_cpu;
    else if (idle(prev))
        target = prev;
    if (target == NONE) {
        // WA_WEIGHT with WA_BIAS (equal CPU capacities).
        std::uint64_t this_load = self.load;
        bool pulled = false;
        if (sync && waker != NONE) {
            const std::uint64_t cur = se_[static_cast<std::size_t>(waker)].weight;
            if (cur > this_load)
                pulled = true;
            else
                this_load -= cur;
        }
        if (pulled) {
            target = this_cpu;
        } else {
            const std::uint64_t this_eff = (this_load + se_[ti].weight) * 100;
            std::uint64_t prev_eff = rq_[static_cast<std::size_t>(prev)].load * (100 + (IMBALANCE_PCT - 100) / 2);
            if (sync)
                prev_eff += 1;
            if (this_eff < prev_eff)
                target = this_cpu;
        }
    }
    return target == this_cpu ? this_cpu : prev;
}

int Fair::select_idle_sibling(std::uint32_t ti, int prev, int target)
{
    const CpuSet &ok = e_.allowed(e_.tasks_[ti]);
    FairEntity &se = se_[ti];
    if (idle(target))
        return target;
    if (prev != target && share_cache(prev, target) && idle(prev))
        return prev;
    const std::int32_t recent = se.recent_cpu;
    se.recent_cpu = prev;
    if (recent != NONE && recent != prev && recent != target && share_cache(recent, target) && idle(recent) &&
        ok.test(recent))
        return recent;
    const int n = e_.mc_.cpus;
    bool has_idle_core = false;
    if (e_.mc_.smt > 1) {
        for (int d = 0; d < n && !has_idle_core; d++)
            has_idle_core = share_cache(d, target) && core_idle(d);
        if (!has_idle_core && share_cache(prev, target)) {
            const int core = e_.topo_.core_of(prev);
            for (int s = core * e_.mc_.smt; s < n && e_.topo_.core_of(s) == core; s++)
                if (s != prev && ok.test(s) && idle(s))
                    return s;
        }
    }
    int idle_cpu = NONE;
    for (int k = 1; k <= n; k++) {
        const int d = (target + k) % n;
        if (!share_cache(d, target) || !ok.test(d) || !idle(d))
            continue;
        if (!has_idle_core || core_idle(d))
            return d;
        if (idle_cpu == NONE)
            idle_cpu = d;
    }
    return idle_cpu != NONE ? idle_cpu : target;
}

// A new task: the idlest CPU (the slow path of select_task_rq_fair).
int Fair::find_idlest(std::uint32_t ti, int this_cpu) const
{
    const CpuSet &ok = e_.allowed(e_.tasks_[ti]);
    const int n = e_.mc_.cpus;
    if (ok.test(this_cpu) && idle(this_cpu))
        return this_cpu;
    int idle_cpu = NONE;
    for (int k = 1; k < n; k++) {
        const int d = (this_cpu + k) % n;
        if (!ok.test(d) || !idle(d))
            continue;
        if (e_.mc_.smt == 1 || core_idle(d))
            return d;
        if (idle_cpu == NONE)
            idle_cpu = d;
    }
    if (idle_cpu != NONE)
        return idle_cpu;
    int best = NONE;
    for (int k = 0; k < n; k++) {
        const int d = (this_cpu + k) % n;
        if (!ok.test(d))
            continue;
        const FairRq &r = rq_[static_cast<std::size_t>(d)];
        if (best == NONE) {
            best = d;
            continue;
        }
        const FairRq &b = rq_[static_cast<std::size_t>(best)];
        if (r.nr_runnable < b.nr_runnable || (r.nr_runnable == b.nr_runnable && r.load < b.load))
            best = d;
    }
    return best;
}

int Fair::select_cpu(std::uint32_t ti, bool fork, int this_cpu, bool sync)
{
    Task &t = e_.tasks_[ti];
    const int prev = t.cpu;
    if (fork)
        return find_idlest(ti, this_cpu != NONE ? this_cpu : prev);
    std::int32_t waker = NONE;
    bool want_affine = false;
    if (this_cpu != NONE) {
        waker = rq_[static_cast<std::size_t>(this_cpu)].curr;
        if (waker != NONE && waker != static_cast<std::int32_t>(ti)) {
            record_wakee(static_cast<std::uint32_t>(waker), ti);
            want_affine = !wake_wide(static_cast<std::uint32_t>(waker), ti, this_cpu) && e_.allowed(t).test(this_cpu);
        }
    }
    int target = prev;
    if (want_affine && this_cpu != prev)
        target = wake_affine(ti, this_cpu, prev, sync, waker);
    return select_idle_sibling(ti, prev, target);
}

// ---- picking and load balancing

void Fair::pick_next(int c)
{
    Cpu &cpu = e_.cpus_[static_cast<std::size_t>(c)];
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    cpu.preempt = false;
    rq.wakeup_resched = false;
    // sched_ttwu_pending: the tasks woken here from other CPUs, in order.
    for (std::uint32_t ti : rq.wake_list)
        enqueue(c, ti, false);
    rq.wake_list.clear();
    if (rq.curr != NONE) {
        const auto prev = static_cast<std::uint32_t>(rq.curr);
        Task &pt = e_.tasks_[prev];
        if (pt.state == TaskState::exited) {
            dequeue(c, prev, Dequeue::exit);
        } else if (pt.state == TaskState::blocked) {
            // Wake-up sites that pass WF_SYNC: pipes, sockets and poll on
            // them (gates), a child's exit; futex-like queues, timers and a
            // mutex's unlock do not.
            bool sync = pt.block != BlockKind::sleep && pt.block != BlockKind::lock;
            if (pt.block == BlockKind::reader || pt.block == BlockKind::writer) {
                const ChannelModel &ch = e_.m_.channels[static_cast<std::size_t>(pt.wait_obj)];
                sync = ch.per_page != 0 || ch.wake_all;
            }
            se_[prev].sync_wake = sync;
            if (dequeue(c, prev, Dequeue::sleep))
                put_prev(c); // delayed: back into the tree
        } else {
            update_curr(c);
            put_prev(c);
        }
    }
    std::int32_t next = pick_task(c);
    if (next == NONE && newidle_balance(c))
        next = pick_task(c);
    if (next == NONE) {
        e_.go_idle(c);
        return;
    }
    set_next(c, static_cast<std::uint32_t>(next));
    e_.switch_to(c, static_cast<std::uint32_t>(next));
}

// The coldest task on src that dst may take: waiting (not running, not
// delayed), allowed on dst, and not cache hot unless `hot_ok`.
std::int32_t Fair::movable(int src, int dst, bool hot_ok) const
{
    const FairRq &rq = rq_[static_cast<std::size_t>(src)];
    std::int32_t best = NONE;
    for (std::uint32_t q : rq.queue) {
        const FairEntity &se = se_[q];
        if (se.delayed || !e_.allowed(e_.tasks_[q]).test(dst))
            continue;
        if (!hot_ok && e_.now_ - se.exec_start < p_.migration_cost_ns)
            continue;
        if (best == NONE || se.exec_start < se_[static_cast<std::size_t>(best)].exec_start)
            best = static_cast<std::int32_t>(q);
    }
    return best;
}

// Move waiting task ti from src to dst. Returns update_curr()'s verdict for dst.
bool Fair::migrate(int src, std::uint32_t ti, int dst)
{
    if (update_curr(src))
        resched(src, false, false);
    dequeue(src, ti, Dequeue::migrate);
    return enqueue(dst, ti, false);
}

// dst pulls one task from the busiest queue (at least 2 runnable tasks):
// within its last-level cache, or anywhere. Returns the task moved, or NONE.
std::int32_t Fair::pull_one(int dst, bool same_llc_only)
{
    FairRq &self = rq_[static_cast<std::size_t>(dst)];
    const bool hot_ok = self.balance_failed > CACHE_NICE_TRIES;
    const int n = e_.mc_.cpus;
    int src = NONE;
    std::int32_t task = NONE;
    bool hot_only = false;
    for (int k = 1; k < n; k++) {
        const int d = (dst + k) % n;
        if (same_llc_only && !share_cache(d, dst))
            continue;
        const FairRq &r = rq_[static_cast<std::size_t>(d)];
        if (r.nr_runnable < 2)
            continue;
        if (src != NONE) {
            const FairRq &b = rq_[static_cast<std::size_t>(src)];
            if (r.nr_runnable < b.nr_runnable || (r.nr_runnable == b.nr_runnable && r.load <= b.load))
                continue;
        }
        const std::int32_t q = movable(d, dst, hot_ok);
        if (q == NONE) {
            hot_only = hot_only || movable(d, dst, true) != NONE;
            continue;
        }
        src = d;
        task = q;
    }
    if (task == NONE) {
        if (hot_only)
            self.balance_failed++;
        return NONE;
    }
    self.balance_failed = 0;
    migrate(src, static_cast<std::uint32_t>(task), dst);
    return task;
}

bool Fair::newidle_balance(int c)
{
    FairRq &self = rq_[static_cast<std::size_t>(c)];
    const std::uint32_t failed = self.balance_failed;
    self.balance_failed = 0; // newly idle balancing never moves cache-hot tasks
    const bool pulled = pull_one(c, true) != NONE || pull_one(c, false) != NONE;
    self.balance_failed = failed;
    return pulled;
}

void Fair::balance_tick(int c)
{
    FairRq &rq = rq_[static_cast<std::size_t>(c)];
    const int n = e_.mc_.cpus;
    // nohz idle balance: kicked by a CPU with more than one runnable task.
    if (rq.nr_runnable >= 2 && e_.now_ >= nohz_next_) {
        bool any = false;
        for (int k = 1; k < n; k++) {
            const int d = (c + k) % n;
            if (!idle(d) || e_.cpus_[static_cast<std::size_t>(d)].phase != CpuPhase::idle)
                continue;
            any = true;
            if (pull_one(d, false) != NONE)
                e_.kick(d);
        }
        if (any)
            nohz_next_ = e_.now_ + idle_interval_;
    }
    // Periodic balance of this busy CPU.
    if (e_.now_ >= rq.next_balance) {
        rq.next_balance = e_.now_ + busy_interval_;
        const std::int32_t moved = pull_load(c);
        if (moved != NONE) {
            check_preempt(c, static_cast<std::uint32_t>(moved), false, true);
            rearm(c);
        }
    }
}

// A busy CPU below the average load pulls from the most loaded queue with
// tasks waiting a task whose weight fits the imbalance (migrate_load):
// min(busiest - average, average - own load). A task that does not fit
// fits after failed attempts halve its weight (shr_bound by
// nr_balance_failed), so that e.g. 3 equal hogs on 2 CPUs take turns.
std::int32_t Fair::pull_load(int c)
{
    FairRq &self = rq_[static_cast<std::size_t>(c)];
    const int n = e_.mc_.cpus;
    std::uint64_t total = 0;
    int src = NONE;
    for (int k = 0; k < n; k++) {
        const int d = (c + k) % n;
        const FairRq &r = rq_[static_cast<std::size_t>(d)];
        total += r.load;
        if (d != c && r.nr_runnable >= 2 && (src == NONE || r.load > rq_[static_cast<std::size_t>(src)].load))
            src = d;
    }
    const std::uint64_t avg = total / static_cast<std::uint64_t>(n);
    if (src == NONE || self.load >= avg || rq_[static_cast<std::size_t>(src)].load <= avg)
        return NONE;
    const std::uint64_t imbalance = std::min(rq_[static_cast<std::size_t>(src)].load - avg, avg - self.load);
    const bool hot_ok = self.balance_failed > CACHE_NICE_TRIES;
    const unsigned shift = self.balance_failed < 63 ? self.balance_failed : 63;
    std::int32_t task = NONE;
    for (std::uint32_t q : rq_[static_cast<std::size_t>(src)].queue) {
        const FairEntity &se = se_[q];
        if (se.delayed || !e_.allowed(e_.tasks_[q]).test(c) || (se.weight >> shift) > imbalance)
            continue;
        if (!hot_ok && e_.now_ - se.exec_start < p_.migration_cost_ns)
            continue;
        if (task == NONE || se.exec_start < se_[static_cast<std::size_t>(task)].exec_start)
            task = static_cast<std::int32_t>(q);
    }
    if (task == NONE) {
        self.balance_failed++;
        return NONE;
    }
    self.balance_failed = 0;
    migrate(src, static_cast<std::uint32_t>(task), c);
    return task;
}

} // namespace scx::sim::detail
