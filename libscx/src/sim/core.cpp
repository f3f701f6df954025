// SPDX-License-Identifier: MIT
//
// The sched_ext core and the BPF half of the runtime, as the kernel backend
// behaves (after scx_rustland_core):
//
//  - wake-up (ops.select_cpu): with idle bypass on and the shared queue
//    empty, a waking or new task takes an idle CPU chosen by the default
//    selection and is inserted there directly (a kernel dispatch);
//  - enqueue (ops.enqueue): otherwise the task goes into the ring to the
//    user-space scheduler, or, when the ring is full, to the shared queue
//    (congestion);
//  - a CPU that needs work (ops.dispatch) takes, in order: its own queue,
//    the shared queue, the user-space scheduler (when it has tasks to look
//    at); with nothing at all it goes idle. A task whose slice ran out keeps
//    its CPU for another slice of the same length when nothing else wants it.
//    The kernel gives it SCX_SLICE_DFL (20 ms) instead (scxkit's BPF does
//    not set SCX_OPS_ENQ_LAST), and the user-space scheduler, woken by the
//    next record, preempts it; the simulator does not model that preemption
//    (see scxkit(7), FIDELITY), and the 20 ms alone put fifo's and
//    latency's p99 on the interactive workload at 20 ms against the
//    kernel's 12 and 7;
//  - inserting into a queue kicks an idle CPU that may run the task;
//  - slices are charged at the timer tick: a slice ends at the first tick at
//    or after its length has been used;
//  - the watchdog runs every timeout / 2 and ejects the policy when a task has
//    been runnable without running for longer than the timeout;
//  - in BPF-only mode (scx-run --bpf-only) there is no ring and no user-space
//    scheduler: a waking or new task takes an idle CPU, every other one goes
//    to the tail of the shared queue, with the default slice.
#include <cstdio>

#include "eevdf.hpp"
#include "engine.hpp"

namespace scx::sim::detail {

namespace {
// Longer slices than this (about 13 days) are cut to it.
constexpr std::uint64_t MAX_SLICE = 1ULL << 50;
} // namespace

bool Engine::runnable(const Task &t) const
{
    switch (t.state) {
    case TaskState::queued:
    case TaskState::awaiting:
    case TaskState::decided:
    case TaskState::dsq:
        return true;
    default:
        return false;
    }
}

void Engine::note_waiting(int delta)
{
    st_.idle_while_runnable_ns += static_cast<std::uint64_t>(nr_idle_ < nr_waiting_ ? nr_idle_ : nr_waiting_) *
                                  (now_ - iwr_since_);
    iwr_since_ = now_;
    nr_waiting_ += delta;
}

void Engine::note_idle(int delta)
{
    note_waiting(0);
    nr_idle_ += delta;
}

// What a blocked task waits for, as the event stream names it.
WaitOn Engine::wait_on(BlockKind k)
{
    switch (k) {
    case BlockKind::reader: return WaitOn::data;
    case BlockKind::writer: return WaitOn::space;
    case BlockKind::join: return WaitOn::child;
    case BlockKind::children: return WaitOn::children;
    case BlockKind::below: return WaitOn::fewer_children;
    case BlockKind::gate: return WaitOn::gate;
    case BlockKind::lock: return WaitOn::mutex;
    case BlockKind::none:
    case BlockKind::sleep: break;
    }
    return WaitOn::none;
}

std::uint64_t Engine::tick_ceil(std::uint64_t t) const { return (t + tick_ns_ - 1) / tick_ns_ * tick_ns_; }

void Engine::wake(std::uint32_t ti, WakeKind kind)
{
    if (fair_) {
        fair_->wake(ti, kind);
        return;
    }
    Task &t = tasks_[ti];
    t.runnable_at = now_;
    if (kind == WakeKind::wakeup) {
        t.woke_at = now_ - timer_late_;
        t.exec_runtime = 0;
        t.wakeups++;
    }
    note_waiting(+1);
    emit(EventType::wakeup, t.cpu, &t, kind == WakeKind::fork);

    if (o_.bpf_only) {
        // scx-run --bpf-only: select_cpu puts a waking task on an idle CPU,
        // enqueue everything else at the tail of the global FIFO.
        counters_.nr_kernel_dispatches++;
        const int cpu = kind == WakeKind::requeue ? -1 : topo_.select_idle(idle_, allowed(t), t.cpu);
        if (cpu >= 0)
            emit(EventType::bypass, cpu, &t);
        insert(ti, cpu >= 0 ? cpu : ANY_CPU, mc_.slice_ns, shared_tail_vtime_);
        return;
    }
    if (kind != WakeKind::requeue && idle_bypass_ && shared_.empty()) {
        const int cpu = topo_.select_idle(idle_, allowed(t), t.cpu);
        if (cpu >= 0) {
            counters_.nr_kernel_dispatches++;
            emit(EventType::bypass, cpu, &t);
            insert(ti, cpu, mc_.slice_ns, t.vtime);
            return;
        }
    }
    push_ring(ti, kind == WakeKind::wakeup ? ENQ_WAKEUP : kind == WakeKind::requeue ? t.enq_flags : 0);
}

void Engine::insert(std::uint32_t ti, int cpu, std::uint64_t slice, std::uint64_t vtime)
{
    Task &t = tasks_[ti];
    t.state = TaskState::dsq;
    t.slice = slice < MAX_SLICE ? slice : MAX_SLICE;
    emit(EventType::insert, cpu, &t, slice, vtime);
    if (cpu >= 0) {
        cpus_[static_cast<std::size_t>(cpu)].local.push(vtime, dsq_seq_++, ti);
        kick(cpu);
        return;
    }
    shared_.push(vtime, dsq_seq_++, ti);
    if (vtime > shared_tail_vtime_)
        shared_tail_vtime_ = vtime;
    kick_for(ti);
}

// Wake an idle CPU that may run task `ti` from the shared queue: its
// previous CPU if idle, else any idle CPU it may use.
void Engine::kick_for(std::uint32_t ti)
{
    const Task &t = tasks_[ti];
    const CpuSet &ok = allowed(t);
    if (ok.test(t.cpu) && cpus_[static_cast<std::size_t>(t.cpu)].phase == CpuPhase::idle) {
        kick(t.cpu);
        return;
    }
    const int cpu = idle_.find_next_and(&ok, nullptr, t.cpu);
    if (cpu >= 0)
        kick(cpu);
}

void Engine::kick(int c)
{
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    if (cpu.phase != CpuPhase::idle)
        return;
    cpu.phase = CpuPhase::waking;
    cpu.phase_start = now_;
    idle_.clear(c);
    note_idle(-1);
    emit(EventType::kick, c, nullptr);
    set_next(c, now_ + mc_.wake_idle_ns);
}

void Engine::pick_next(int c)
{
    if (stop_)
        return;
    if (fair_) {
        fair_->pick_next(c);
        return;
    }
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    if (sched_kick_cpu_ == c)
        sched_kick_cpu_ = NONE;
    std::uint32_t ti;
    DsqEntry e{};
    if (!cpu.local.empty()) {
        ti = cpu.local.pop().task;
    } else if (shared_.pop_first([&](std::uint32_t i) { return allowed(tasks_[i]).test(c); }, e)) {
        ti = e.task;
    } else if (sched_needed() && tasks_[sched_].state == TaskState::parked) {
        ti = sched_;
    } else {
        go_idle(c);
        return;
    }
    switch_to(c, ti);
    // The scheduler still has work but this CPU went elsewhere: find it one.
    if (ti != sched_ && sched_needed() && tasks_[sched_].state == TaskState::parked && sched_kick_cpu_ == NONE)
        kick_sched(c);
}

void Engine::switch_to(int c, std::uint32_t ti)
{
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    Task &t = tasks_[ti];
    if (!t.is_sched)
        note_waiting(-1);
    std::uint64_t cost = 0;
    if (cpu.last != static_cast<std::int32_t>(ti)) {
        cost += mc_.cs_ns;
        if (cpu.last == NONE || tasks_[static_cast<std::size_t>(cpu.last)].tgid != t.tgid)
            cost += mc_.mm_ns;
        st_.context_switches++;
    }
    if (t.has_run && t.cpu != c) {
        st_.migrations++;
        cost += topo_.llc_of(t.cpu) == topo_.llc_of(c) ? mc_.migrate_ns : mc_.llc_migrate_ns;
    }
    t.cpu = c;
    t.state = TaskState::running;
    cpu.curr = static_cast<std::int32_t>(ti);
    cpu.phase = CpuPhase::switching;
    cpu.phase_start = now_;
    if (cost == 0) {
        start_running(c);
        return;
    }
    set_next(c, now_ + cost);
}

void Engine::start_running(int c)
{
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    const auto ti = static_cast<std::uint32_t>(cpu.curr);
    Task &t = tasks_[ti];
    cpu.overhead_ns += now_ - cpu.phase_start;
    cpu.phase = CpuPhase::running;
    if (!t.is_sched) {
        const std::uint64_t wait = now_ - t.runnable_at;
        st_.run_delay.add(wait);
        t.wait_ns += wait;
        if (wait > st_.worst_wait_ns)
            st_.worst_wait_ns = wait;
        if (t.woke_at != NEVER) {
            st_.wakeup_latency.add(now_ - t.woke_at);
            t.woke_at = NEVER;
        }
    }
    t.run_start = now_;
    t.last_run_at = now_;
    t.has_run = true;
    cpu.last = static_cast<std::int32_t>(ti);
    emit(EventType::run, c, &t);
    if (t.is_sched) {
        sched_begin(c);
        return;
    }
    counters_.nr_running++;
    // The switch is the incoming task's time, as the kernel counts it: its
    // clock started when it was picked (set_next_entity, set_next_task_scx),
    // so the switch and the cache and TLB refill after it are charged to
    // its runtime, vruntime and slice (the CPU's books keep it as overhead).
    const std::uint64_t sw = now_ - cpu.phase_start;
    t.sum_runtime += sw;
    t.exec_runtime += sw;
    t.vtime += sw * WEIGHT_DEFAULT / t.weight;
    const std::uint64_t left = t.slice > sw ? t.slice - sw : 0;
    cpu.slice_end = t.slice == NEVER ? NEVER : tick_ceil(now_ + left);
    if (cpu.preempt)
        cpu.slice_end = now_; // a DISPATCH_PREEMPT arrived during the switch
    if (t.op_left) {
        resume_call(t);
    } else if (!step(c, t)) {
        return;
    }
    if (fair_)
        fair_->started(c);
    if (now_ >= cpu.slice_end)
        slice_expired(c);
    else
        set_next(c, t.op_end < cpu.slice_end ? t.op_end : cpu.slice_end);
}

std::uint64_t Engine::charge(Cpu &cpu, Task &t)
{
    const std::uint64_t delta = now_ - t.run_start;
    t.run_start = now_;
    if (t.is_sched) {
        cpu.sched_ns += delta;
    } else {
        cpu.task_ns += delta;
        t.sum_runtime += delta;
        t.exec_runtime += delta;
        t.vtime += delta * WEIGHT_DEFAULT / t.weight;
    }
    return delta;
}

void Engine::stop_running(int c, StopReason why)
{
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    Task &t = tasks_[static_cast<std::size_t>(cpu.curr)];
    const std::uint64_t delta = charge(cpu, t);
    if (!t.is_sched)
        counters_.nr_running--;
    t.last_stop_at = now_;
    cpu.curr = NONE;
    cpu.slice_end = NEVER;
    const WaitOn on = why == StopReason::block ? wait_on(t.block) : WaitOn::none;
    emit(EventType::stop, c, &t, delta, static_cast<std::uint64_t>(on), 0, static_cast<std::uint8_t>(why));
}

void Engine::go_idle(int c)
{
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    cpu.phase = CpuPhase::idle;
    cpu.curr = NONE;
    cpu.preempt = false;
    idle_.set(c);
    note_idle(+1);
    emit(EventType::idle, c, nullptr);
    set_next(c, NEVER);
}

void Engine::slice_expired(int c)
{
    if (fair_) {
        fair_->tick(c); // the slice ends at a tick, or a reschedule is due
        return;
    }
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    const auto ti = static_cast<std::uint32_t>(cpu.curr);
    Task &t = tasks_[ti];
    const bool preempted = cpu.preempt;
    cpu.preempt = false;
    if (!preempted) {
        st_.slice_expiries++;
        if (cpu.local.empty() && shared_.empty() && !sched_needed()) {
            // Nothing else wants this CPU: keep running with another slice
            // of the same length.
            cpu.slice_end = tick_ceil(now_ + t.slice);
            set_next(c, t.op_end < cpu.slice_end ? t.op_end : cpu.slice_end);
            return;
        }
    } else {
        st_.preemptions++;
    }
    t.op_left = t.op_end > now_ ? t.op_end - now_ : 0;
    stop_running(c, preempted ? StopReason::preempt : StopReason::expire);
    t.enq_flags = preempted ? ENQ_PREEMPT : 0;
    wake(ti, WakeKind::requeue);
    pick_next(c);
    unlock_if_out(t);
}

void Engine::preempt_cpu(int c)
{
    Cpu &cpu = cpus_[static_cast<std::size_t>(c)];
    if (cpu.curr == NONE || tasks_[static_cast<std::size_t>(cpu.curr)].is_sched)
        return;
    if (cpu.phase == CpuPhase::switching) {
        cpu.preempt = true;
        return;
    }
    if (cpu.phase != CpuPhase::running)
        return;
    Task &t = tasks_[static_cast<std::size_t>(cpu.curr)];
    emit(EventType::preempt, c, &t);
    cpu.preempt = true;
    slice_expired(c);
}

void Engine::watchdog()
{
    // Like the kernel's watchdog work: the task that has waited longest, if
    // longer than the timeout, ejects the scheduler.
    const Task *worst = nullptr;
    for (std::uint32_t i = 0; i < nr_work_; i++) {
        const Task &t = tasks_[i];
        if (!runnable(t) || now_ - t.runnable_at <= o_.watchdog_ns)
            continue;
        if (!worst || t.runnable_at < worst->runnable_at)
            worst = &t;
    }
    if (worst && !fair_) { // the kernel's own scheduler is never ejected
        const std::uint64_t waited = now_ - worst->runnable_at;
        char msg[128];
        std::snprintf(msg, sizeof msg, "%s[%d] failed to run for %llu.%03llus", worst->comm, worst->pid,
                      static_cast<unsigned long long>(waited / NSEC_PER_SEC),
                      static_cast<unsigned long long>(waited % NSEC_PER_SEC / NSEC_PER_MSEC));
        emit(EventType::stall, worst->cpu, worst, waited);
        finish(ExitKind::stall, "runnable task stall", msg);
        if (exit_.kind == ExitKind::stall && exit_.stalled_pid == 0) { // not an earlier exit's
            exit_.stalled_pid = worst->pid;
            exit_.stalled_comm = worst->comm;
            exit_.stalled_wait_ns = waited;
        }
        return;
    }
    // Nothing runs, nothing waits, no timer is pending and tasks are left:
    // they wait for each other forever.
    bool busy = nr_waiting_ > 0 || sched_needed() || !timers_.empty();
    for (const Cpu &cpu : cpus_)
        busy = busy || cpu.phase != CpuPhase::idle;
    if (!busy && live_ > 0) {
        std::string who;
        for (std::uint32_t i = 0; i < nr_work_ && who.empty(); i++)
            if (tasks_[i].state == TaskState::blocked)
                who = std::string(tasks_[i].comm) + "[" + std::to_string(tasks_[i].pid) + "]";
        finish(ExitKind::deadlock, "workload deadlock",
               std::to_string(live_) + " task(s) wait for each other forever (e.g. " + who + ")");
        return;
    }
    add_timer(now_ + o_.watchdog_ns / 2, TimerKind::watchdog, 0);
}

} // namespace scx::sim::detail
