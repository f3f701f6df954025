// SPDX-License-Identifier: MIT
//
// The user-space scheduler as the simulator sees it: a task (pid 100,
// "scx-run") that needs a CPU like any other. Tasks reach it through a ring
// of Machine::ring entries. Each time it gets a CPU it calls the policy's
// schedule() once; the call itself takes no simulated time, but the task then
// occupies its CPU for hop_ns + decision_ns per task dequeued and per
// decision sent, and its decisions reach the dispatch queues only when that
// time has passed. If more tasks arrived meanwhile it calls schedule() again;
// otherwise it yields. A CPU runs it only when that CPU has nothing else to
// run (its own queue and the shared queue are empty), as scx_rustland_core
// does, and an idle CPU is kicked for it when tasks arrive.
//
// SimContext is scx::Context for the policy, with the kernel backend's rules:
//  - dispatch() of a task that is not waiting for a decision (unknown pid,
//    never dequeued, already dispatched) or of a CPU out of range: -EINVAL,
//    counted in nr_failed_dispatches;
//  - a decision whose seq is not the task's current one is stale: -EINVAL,
//    counted in nr_cancel_dispatches, and the task keeps waiting;
//  - a CPU outside the task's affinity: accepted, and the task is redirected
//    to the shared queue on delivery (nr_bounce_dispatches).
#include <cstring>

#include "engine.hpp"

namespace scx::sim::detail {

void Engine::push_ring(std::uint32_t ti, std::uint64_t flags)
{
    Task &t = tasks_[ti];
    if (ring_count_ == ring_.size()) {
        // The scheduler is congested: the task goes to the shared queue
        // behind everything already there.
        counters_.nr_congestion++;
        counters_.nr_kernel_dispatches++;
        emit(EventType::congestion, t.cpu, &t);
        insert(ti, ANY_CPU, mc_.slice_ns, shared_tail_vtime_);
        return;
    }
    t.enq_flags = flags;
    t.seq++;
    t.state = TaskState::queued;
    ring_[(ring_head_ + ring_count_) % ring_.size()] = ti;
    ring_count_++;
    counters_.nr_queued = ring_count_;
    emit(EventType::enqueue, t.cpu, &t, flags);
    if (tasks_[sched_].state == TaskState::parked && sched_kick_cpu_ == NONE)
        kick_sched(t.cpu);
}

// Kick an idle CPU (preferably `hint`) so that it runs the scheduler.
void Engine::kick_sched(int hint)
{
    // The search starts at `hint` (the scheduler may use every CPU).
    const int cpu = idle_.find_next_and(&allowed(tasks_[sched_]), nullptr, hint);
    if (cpu < 0)
        return; // it runs when a CPU runs out of work
    sched_kick_cpu_ = cpu;
    kick(cpu);
}

scx::Task Engine::task_record(const Task &t) const
{
    scx::Task r;
    r.pid = t.pid;
    r.cpu = t.cpu;
    r.nr_cpus_allowed = t.nr_allowed;
    r.flags = t.enq_flags;
    r.weight = t.weight;
    r.exec_runtime = t.exec_runtime;
    r.sum_exec_runtime = t.sum_runtime;
    r.vtime = t.vtime;
    r.enqueued_at = t.runnable_at;
    r.last_run_at = t.has_run ? t.last_run_at : 0;
    r.last_stop_at = t.has_run ? t.last_stop_at : 0;
    r.seq = t.seq;
    std::strncpy(r.comm, t.comm, sizeof r.comm - 1);
    return r;
}

void Engine::sched_begin(int c)
{
    Task &s = tasks_[sched_];
    counters_.nr_scheduled = 0;
    ctx_now_ = now_;
    burst_dequeued_ = burst_dispatched_ = 0;
    decisions_.clear();
    st_.scheduler_runs++;
    emit(EventType::sched_run, c, &s, ring_count_);
    const auto r = call_policy(Phase::schedule, [&] {
        in_schedule_ = true;
        auto res = policy_->schedule(ctx_);
        in_schedule_ = false;
        return res;
    });
    if (!r) {
        finish(ExitKind::error, "policy error", r.error().message);
        return;
    }
    s.op_end = now_ + mc_.hop_ns + mc_.decision_ns * (burst_dequeued_ + burst_dispatched_);
    set_next(c, s.op_end);
}

void Engine::sched_end(int c)
{
    emit(EventType::sched_stop, c, &tasks_[sched_], burst_dequeued_, burst_dispatched_);
    deliver();
    if (stop_)
        return;
    if (ring_count_ > 0) {
        sched_begin(c); // more tasks arrived meanwhile
        return;
    }
    stop_running(c, StopReason::yield);
    tasks_[sched_].state = TaskState::parked;
    pick_next(c);
}

void Engine::deliver()
{
    for (const Decision &dec : decisions_) {
        Task &t = tasks_[dec.task];
        if (t.state != TaskState::decided) {
            counters_.nr_cancel_dispatches++;
            continue;
        }
        const Dispatch &d = dec.d;
        int cpu = d.cpu;
        if (cpu != ANY_CPU && !allowed(t).test(cpu)) {
            counters_.nr_bounce_dispatches++;
            emit(EventType::bounce, cpu, &t);
            cpu = ANY_CPU;
        }
        insert(dec.task, cpu, d.slice_ns ? d.slice_ns : mc_.slice_ns, d.vtime);
        if (cpu != ANY_CPU && (d.flags & DISPATCH_PREEMPT))
            preempt_cpu(cpu);
    }
    decisions_.clear();
}

// ---- scx::Context

std::optional<scx::Task> SimContext::dequeue()
{
    Engine &e = e_;
    if (!e.in_schedule_ || e.ring_count_ == 0)
        return std::nullopt;
    const std::uint32_t ti = e.ring_[e.ring_head_];
    e.ring_head_ = (e.ring_head_ + 1) % e.ring_.size();
    e.ring_count_--;
    e.counters_.nr_queued = e.ring_count_;
    e.burst_dequeued_++;
    Task &t = e.tasks_[ti];
    t.state = TaskState::awaiting;
    e.emit(EventType::dequeue, t.cpu, &t, t.seq);
    return e.task_record(t);
}

int SimContext::dispatch(const Dispatch &d)
{
    Engine &e = e_;
    e.burst_dispatched_++;
    const std::int64_t i = static_cast<std::int64_t>(d.pid) - PID_BASE;
    Task *t = i >= 0 && i < static_cast<std::int64_t>(e.nr_work_) ? &e.tasks_[static_cast<std::size_t>(i)] : nullptr;
    const bool bad_cpu = d.cpu != ANY_CPU && (d.cpu < 0 || d.cpu >= nr_cpus());
    if (e.in_schedule_ && t && !bad_cpu && t->state == TaskState::awaiting && d.seq != 0 && d.seq < t->seq) {
        // A decision for an older record of a task dequeued again since:
        // dropped, as the kernel backend drops it (see Context::dispatch).
        e.counters_.nr_cancel_dispatches++;
        e.emit(EventType::cancel, d.cpu, t, d.seq);
        return 0;
    }
    if (!e.in_schedule_ || !t || bad_cpu || t->state != TaskState::awaiting || d.seq != t->seq) {
        e.counters_.nr_failed_dispatches++;
        e.emit(EventType::reject, d.cpu, t, static_cast<std::uint64_t>(d.pid), d.seq);
        return -EINVAL;
    }
    t->state = TaskState::decided;
    e.decisions_.push_back(Decision{d, static_cast<std::uint32_t>(i)});
    e.counters_.nr_user_dispatches++;
    e.emit(EventType::dispatch, d.cpu, t, d.slice_ns, d.vtime, d.flags);
    return 0;
}

int SimContext::select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t)
{
    Engine &e = e_;
    const std::int64_t i = static_cast<std::int64_t>(pid) - PID_BASE;
    if (i < 0 || i >= static_cast<std::int64_t>(e.nr_work_))
        return -EINVAL;
    const Task &t = e.tasks_[static_cast<std::size_t>(i)];
    if (prev_cpu < 0 || prev_cpu >= nr_cpus())
        prev_cpu = t.cpu;
    const int cpu = e.topo_.select_idle(e.idle_, e.allowed(t), prev_cpu);
    return cpu >= 0 ? cpu : -EBUSY;
}

int SimContext::nr_cpus() const { return e_.topo_.nr_cpus(); }

std::uint64_t SimContext::now() const { return e_.in_schedule_ ? e_.ctx_now_ : e_.now_; }

const Counters &SimContext::counters() const { return e_.counters_; }

void SimContext::set_pending(std::uint64_t nr_tasks) { e_.counters_.nr_scheduled = nr_tasks; }

void SimContext::set_idle_bypass(bool enabled) { e_.idle_bypass_ = enabled; }

} // namespace scx::sim::detail
