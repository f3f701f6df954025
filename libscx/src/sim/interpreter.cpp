// SPDX-License-Identifier: MIT
//
// The event loop and the task programs: what a running task does, its
// channels, spawning and exiting. Every message is one send op and one
// receive op; a channel only counts messages (no per-message memory), so a
// run's memory grows with its tasks and channels, never with its messages.
#include <cmath>
#include <cstdio>

#include "engine.hpp"

namespace scx::sim::detail {

namespace {

std::uint64_t next_random(std::uint64_t &state)
{
    // xorshift64: a few shifts per number, plenty for jitter and
    // distributions; each task has its own non-zero state.
    std::uint64_t x = state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return state = x;
}

// Uniform in [0, 1).
double unit_random(std::uint64_t &state) { return static_cast<double>(next_random(state) >> 11) * 0x1.0p-53; }

inline std::int32_t object_of(const Op &op, const Task &t)
{
    std::int32_t i = op.arg;
    if (op.flags & OP_BASE)
        i += t.base;
    if (op.var >= 0)
        i += static_cast<std::int32_t>(t.loops[op.var].iter);
    return i;
}

} // namespace

std::uint64_t Engine::draw(const Op &op, Task &t)
{
    std::uint64_t v = op.a;
    if (op.dist == Dist::fixed && v < (1ULL << 40)) {
        // The common case in integers: +-jitter with 20 bits of resolution.
        if (jitter_q20_ && !(op.flags & OP_NOJITTER)) {
            const auto amp = static_cast<std::int64_t>((v * jitter_q20_) >> 20);
            const std::int64_t s = static_cast<std::int64_t>(next_random(t.rng) >> 44) - (1 << 19);
            v = static_cast<std::uint64_t>(static_cast<std::int64_t>(v) + ((amp * s) >> 19));
        }
        return v ? v : 1;
    }
    double d = static_cast<double>(op.a);
    if (op.dist == Dist::uniform)
        d += unit_random(t.rng) * static_cast<double>(op.b - op.a);
    else if (op.dist == Dist::exponential)
        d = -std::log1p(-unit_random(t.rng)) * static_cast<double>(op.a);
    if (jitter_q20_ && !(op.flags & OP_NOJITTER))
        d *= 1.0 + (unit_random(t.rng) * 2.0 - 1.0) * static_cast<double>(jitter_q20_) / 1048576.0;
    const auto ns = static_cast<std::uint64_t>(d + 0.5);
    return ns ? ns : 1;
}

void Engine::loop()
{
    if (fair_)
        loop_on<true>();
    else
        loop_on<false>();
}

// The fair class wants to know which CPU a wake-up comes from (cur_cpu_);
// the sched_ext path gets a loop without that bookkeeping.
template <bool FAIR> void Engine::loop_on()
{
    const unsigned timer_slot = static_cast<unsigned>(cpus_.size());
    while (!stop_) {
        const std::uint64_t key = tree_.top();
        if (key == NEVER) {
            // Nothing will ever happen again; only possible without a watchdog timer.
            finish(ExitKind::deadlock, "workload deadlock", "no task can make progress");
            break;
        }
        const std::uint64_t t = MinTree::time_of(key);
        if (t > o_.max_time_ns) {
            now_ = o_.max_time_ns;
            finish(ExitKind::limit, "time limit",
                   "the workload did not finish within the simulated-time limit of " +
                       std::to_string(o_.max_time_ns / NSEC_PER_SEC) + " s");
            break;
        }
        now_ = t;
        count_event();
        const unsigned slot = MinTree::slot_of(key);
        if (slot < timer_slot) {
            if constexpr (FAIR)
                cur_cpu_ = static_cast<std::int32_t>(slot);
            cpu_event(static_cast<int>(slot));
        } else {
            if constexpr (FAIR)
                cur_cpu_ = NONE;
            timer_event();
        }
    }
}

void Engine::cpu_event(int c)
{
    Cpu &cpu = cpus_[c];
    switch (cpu.phase) {
    case CpuPhase::waking:
        pick_next(c);
        return;
    case CpuPhase::switching:
        start_running(c);
        return;
    case CpuPhase::running: {
        Task &t = tasks_[cpu.curr];
        if (t.is_sched) {
            sched_end(c);
            return;
        }
        for (;;) {
            if (t.op_end > now_) { // the slice ran out first
                slice_expired(c);
                return;
            }
            if (!step(c, t))
                return;
            if (now_ >= cpu.slice_end) {
                slice_expired(c);
                return;
            }
            const std::uint64_t next = t.op_end < cpu.slice_end ? t.op_end : cpu.slice_end;
            set_next(c, next);
            // While this CPU's next event is still the earliest, go on here.
            if (stop_ || MinTree::slot_of(tree_.top()) != static_cast<unsigned>(c) || next > o_.max_time_ns)
                return;
            now_ = next;
            count_event();
        }
    }
    case CpuPhase::idle:
        set_next(c, NEVER);
        return;
    }
}

void Engine::add_timer(std::uint64_t time, TimerKind kind, std::uint32_t id)
{
    timers_.push(time > MAX_TIME ? MAX_TIME + 1 : time, kind, id);
    tree_.set(static_cast<unsigned>(cpus_.size()), timers_.next_time());
}

// Machine::timer_tail_pct: 0, or - with a chance that grows with the CPUs
// busy now - uniform in [0, 2 x timer_tail_ns). Drawn from t's random
// stream, only when the tail is on (runs without it keep their numbers).
std::uint64_t Engine::timer_tail(Task &t)
{
    if (mc_.timer_tail_pct == 0 || mc_.timer_tail_ns == 0)
        return 0;
    const auto n = static_cast<double>(cpus_.size());
    const double busy = n - static_cast<double>(nr_idle_);
    const double chance = static_cast<double>(mc_.timer_tail_pct) / 100.0 * (1.0 + busy) / (1.0 + n);
    if (unit_random(t.rng) >= chance)
        return 0;
    return static_cast<std::uint64_t>(unit_random(t.rng) * 2.0 * static_cast<double>(mc_.timer_tail_ns));
}

void Engine::timer_event()
{
    const Timer tm = timers_.pop();
    tree_.set(static_cast<unsigned>(cpus_.size()), timers_.next_time());
    switch (tm.kind) {
    case TimerKind::wake: {
        Task &t = tasks_[tm.id];
        if (now_ == t.sleep_due + mc_.timer_ns) {
            if (const std::uint64_t later = timer_tail(t); later > 0) {
                add_timer(now_ + later, TimerKind::wake, tm.id);
                break;
            }
        }
        t.block = BlockKind::none;
        timer_late_ = now_ - t.sleep_due; // its latency counts from the due time
        wake(tm.id, WakeKind::wakeup);
        timer_late_ = 0;
        break;
    }
    case TimerKind::start:
        wake(tm.id, WakeKind::fork);
        break;
    case TimerKind::watchdog:
        watchdog();
        break;
    case TimerKind::end:
        finish(ExitKind::done, "", "");
        break;
    }
}

// Run task `t` on CPU `c` from its current op until it starts an op that
// costs time (true: t.op_end is set) or leaves the CPU (false: blocked or
// exited; the CPU has already moved on).
bool Engine::step(int c, Task &t)
{
    pipe_unlock(t); // its part of a pipe call under the mutex is over
    if (t.op_rest) {
        t.op_end = now_ + t.op_rest; // the rest of the call
        t.op_rest = 0;
        return true;
    }
    if (t.item_pending) {
        t.item_pending = false;
        t.items++;
        st_.items++;
    }
    for (;;) {
        const Op &op = t.prog[t.pc];
        switch (op.code) {
        case OpCode::run:
            t.pc++;
            t.op_end = now_ + draw(op, t);
            t.item_pending = op.flags & OP_ITEM;
            return true;

        case OpCode::send: {
            const std::int32_t ci = object_of(op, t);
            Channel &ch = chans_[ci];
            if (ch.per_page) {
                const Lock l = pipe_lock(c, t, ci);
                if (l != Lock::taken)
                    return l == Lock::spinning;
            }
            if (!ch.can_write()) {
                pipe_unlock(t); // pipe_wait_writable drops the mutex
                block(c, t, BlockKind::writer, ci);
                return false;
            }
            const bool was_empty = ch.fill == 0;
            ch.put();
            woken_.clear();
            if (!ch.readers.empty() && (ch.wake_all || was_empty))
                take_waiters(ch.readers, ch.wake_all);
            if (!ch.wake_all && !ch.writers.empty() && ch.can_write())
                take_waiters(ch.writers, false); // pass the turn to the next writer
            t.pc++;
            call_cost(t, draw_syscall(op, t, static_cast<unsigned>(woken_.size()), ch.call_pct));
            t.item_pending = op.flags & OP_ITEM;
            if (!woken_.empty()) {
                pipe_unlock(t); // pipe_write wakes the reader after its mutex_unlock
                wake_taken(); // within the call: a reschedule they cause waits for its end
            }
            return true;
        }

        case OpCode::recv: {
            const std::int32_t ci = object_of(op, t);
            Channel &ch = chans_[ci];
            if (ch.per_page) {
                const Lock l = pipe_lock(c, t, ci);
                if (l != Lock::taken)
                    return l == Lock::spinning;
            }
            if (ch.fill == 0) {
                pipe_unlock(t);
                block(c, t, BlockKind::reader, ci);
                return false;
            }
            const bool was_full = !ch.can_write();
            ch.take();
            woken_.clear();
            if (!ch.writers.empty()) {
                if (ch.wake_all ? ch.fill <= ch.wake_level : was_full)
                    take_waiters(ch.writers, ch.wake_all);
            }
            if (!ch.wake_all && !ch.readers.empty() && ch.fill > 0)
                take_waiters(ch.readers, false); // pass the turn to the next reader
            t.pc++;
            call_cost(t, draw_syscall(op, t, static_cast<unsigned>(woken_.size()), ch.call_pct));
            t.item_pending = op.flags & OP_ITEM;
            if (!woken_.empty()) {
                pipe_unlock(t);
                wake_taken();
            }
            return true;
        }

        case OpCode::loop: {
            if (!(op.flags & OP_FOREVER) && op.a == 0) {
                t.pc = static_cast<std::uint32_t>(op.arg) + 1; // zero iterations: skip the body
                continue;
            }
            LoopFrame &f = t.loops[t.depth++];
            f.iter = 0;
            f.count = static_cast<std::uint32_t>(op.a);
            f.begin = t.pc + 1;
            t.pc++;
            continue;
        }

        case OpCode::end_loop: {
            LoopFrame &f = t.loops[t.depth - 1];
            const bool forever = t.prog[op.arg].flags & OP_FOREVER;
            if (forever || ++f.iter < f.count) {
                if (forever)
                    f.iter++;
                t.pc = f.begin;
            } else {
                t.depth--;
                t.pc++;
            }
            continue;
        }

        case OpCode::sleep: {
            const std::uint64_t d = draw(op, t);
            t.pc++;
            block(c, t, BlockKind::sleep, NONE);
            t.sleep_due = now_ + d;
            add_timer(t.sleep_due + mc_.timer_ns, TimerKind::wake, static_cast<std::uint32_t>(&t - tasks_.data()));
            return false;
        }

        case OpCode::spawn:
            if (!spawn(t, static_cast<std::uint32_t>(op.arg)))
                return false;
            t.pc++;
            t.op_end = now_ + draw_syscall(op, t);
            t.item_pending = false;
            return true;

        case OpCode::join: {
            const SpawnGroup &g = m_.groups[static_cast<std::size_t>(op.arg)];
            const std::size_t k = op.var >= 0 ? t.loops[op.var].iter : 0;
            const std::uint32_t target = g.tasks[k];
            if (tasks_[target].state != TaskState::exited) {
                block(c, t, BlockKind::join, static_cast<std::int32_t>(target));
                return false;
            }
            t.pc++;
            continue;
        }

        case OpCode::wait_children:
            if (t.children_alive > 0) {
                block(c, t, BlockKind::children, 0);
                return false;
            }
            t.pc++;
            continue;

        case OpCode::wait_below:
            if (t.children_alive >= op.arg) {
                block(c, t, BlockKind::below, op.arg);
                return false;
            }
            t.pc++;
            continue;

        case OpCode::gate_wait: {
            Gate &g = gates_[static_cast<std::size_t>(op.arg)];
            if (!g.open) {
                block(c, t, BlockKind::gate, op.arg);
                return false;
            }
            t.pc++;
            continue;
        }

        case OpCode::gate_open: {
            // A write to the file descriptor the waiters poll: a system
            // call that pays for each wake-up it makes (wake_ns), the
            // wake-ups' reschedules waiting for its end.
            Gate &g = gates_[static_cast<std::size_t>(op.arg)];
            g.open = true;
            woken_.clear();
            if (!g.waiters.empty())
                take_waiters(g.waiters, true);
            t.pc++;
            t.op_end = now_ + draw_syscall(op, t, static_cast<unsigned>(woken_.size()));
            t.item_pending = false;
            if (!woken_.empty())
                wake_taken();
            return true;
        }

        case OpCode::mark_start:
            st_.interval_start = now_;
            interval_cpu0_ = tasks_cpu_ns();
            t.pc++;
            continue;

        case OpCode::mark_stop:
            end_interval();
            t.pc++;
            continue;

        case OpCode::exit:
            if (op.flags & OP_ITEM) {
                t.items++;
                st_.items++;
            }
            task_exit(c, t);
            return false;
        }
    }
}

// A send's or receive's cost from now; with the pipe's mutex taken, when
// the part under it ends (lock_end: no event of its own, see pipe_lock,
// unless tasks sleep on the mutex - see split_at_unlock).
void Engine::call_cost(Task &t, std::uint64_t cost)
{
    t.op_rest = 0;
    t.op_end = now_ + cost;
    if (t.lock != NONE) {
        t.lock_end = now_ + std::min(cost, std::max<std::uint64_t>(1, cost * mc_.lock_pct / 100));
        split_at_unlock(t);
    }
}

// Tasks sleep on the mutex the running task t holds: its unlock, which
// wakes them, is an event (step() at op_end), the rest of the call follows.
void Engine::split_at_unlock(Task &t)
{
    if (chans_[static_cast<std::size_t>(t.lock)].lockers.empty() || t.lock_end >= t.op_end)
        return;
    t.op_rest = t.op_end - t.lock_end;
    t.op_end = t.lock_end;
}

void Engine::unlock_if_out(Task &t)
{
    if (t.lock == NONE)
        return;
    if (t.op_left <= 1 || now_ >= t.lock_end)
        pipe_unlock(t); // past its part (a lazy reschedule acts 1 ns before the end of a call)
    else
        t.lock_end -= now_; // what is left of it, for resume_call()
}

void Engine::resume_call(Task &t)
{
    const std::uint64_t left = t.op_left;
    t.op_left = 0;
    t.op_end = now_ + left;
    if (t.lock == NONE)
        return;
    t.lock_end = now_ + std::min(t.lock_end, left);
    split_at_unlock(t);
}

// A pipe's mutex (pipe->mutex), held by a read or write from its start for
// Machine::lock_pct of its cost (until lock_end; the unlock is noticed by
// whoever next looks at the mutex, or when the owner is preempted or its
// call ends, so that it costs no event), or until its wake-ups: pipe_read
// and pipe_write wake the other side after mutex_unlock. A task that finds
// it taken
//  - spins on its CPU while the owner runs (mutex_optimistic_spin) and
//    tries again when the owner lets it go;
//  - else sleeps (D) at the end of the lock's queue: the owner was preempted
//    inside that part of its call - a reschedule that does not wait for the
//    return to user space - or the mutex was handed to a waiter that has not
//    run yet.
// An unlock wakes the first sleeper, which tries again when it runs; when
// that fails (another task took the mutex meanwhile) it sleeps at the head
// of the queue and asks for the hand-off (MUTEX_FLAG_HANDOFF): the next
// unlock makes it the owner before it runs, and everyone else sleeps until
// it has run its call - the convoy of writers that forms behind a writer
// preempted inside pipe_write.
Engine::Lock Engine::pipe_lock(int c, Task &t, std::int32_t ci)
{
    if (mc_.lock_pct == 0)
        return Lock::taken; // no mutex
    Channel &ch = chans_[static_cast<std::size_t>(ci)];
    const auto ti = static_cast<std::int32_t>(&t - tasks_.data());
    if (ch.lock_owner == NONE || ch.lock_owner == ti) {
        ch.lock_owner = ti;
        t.lock = ci;
        t.lock_woken = false;
        return Lock::taken;
    }
    Task &o = tasks_[static_cast<std::size_t>(ch.lock_owner)];
    const Cpu &oc = cpus_[static_cast<std::size_t>(o.cpu)];
    if (o.lock == ci && oc.curr == ch.lock_owner && oc.phase == CpuPhase::running) {
        if (now_ < o.lock_end) {
            t.op_end = o.lock_end; // spin until the owner's part under the mutex ends
            t.item_pending = false;
            return Lock::spinning;
        }
        pipe_unlock(o); // it let the mutex go already
        return pipe_lock(c, t, ci);
    }
    if (t.lock_woken) {
        wait_on_first(ch.lockers, static_cast<std::uint32_t>(ti)); // back to the head,
        ch.lock_handoff = true;                                    // asking for the hand-off
    } else {
        wait_on(ch.lockers, static_cast<std::uint32_t>(ti));
    }
    t.lock_woken = false;
    block(c, t, BlockKind::lock, ci);
    return Lock::asleep;
}

void Engine::pipe_unlock(Task &t)
{
    if (t.lock == NONE)
        return;
    Channel &ch = chans_[static_cast<std::size_t>(t.lock)];
    t.lock = NONE;
    ch.lock_owner = NONE;
    if (ch.lockers.empty())
        return;
    const std::uint32_t wi = take_first(ch.lockers);
    if (ch.lock_handoff) {
        ch.lock_handoff = false;
        ch.lock_owner = static_cast<std::int32_t>(wi); // handed over: it takes it when it runs
    } else {
        tasks_[wi].lock_woken = true;
    }
    wake(wi, WakeKind::wakeup);
}

void Engine::wait_on(WaitList &l, std::uint32_t ti)
{
    Task &t = tasks_[ti];
    t.wait_next = NONE;
    if (l.tail == NONE)
        l.head = static_cast<std::int32_t>(ti);
    else
        tasks_[static_cast<std::size_t>(l.tail)].wait_next = static_cast<std::int32_t>(ti);
    l.tail = static_cast<std::int32_t>(ti);
}

void Engine::wait_on_first(WaitList &l, std::uint32_t ti)
{
    tasks_[ti].wait_next = l.head;
    l.head = static_cast<std::int32_t>(ti);
    if (l.tail == NONE)
        l.tail = l.head;
}

std::uint32_t Engine::take_first(WaitList &l)
{
    const auto ti = static_cast<std::uint32_t>(l.head);
    Task &t = tasks_[ti];
    l.head = t.wait_next;
    if (l.head == NONE)
        l.tail = NONE;
    t.wait_next = NONE;
    t.block = BlockKind::none;
    return ti;
}

void Engine::take_waiters(WaitList &l, bool all)
{
    do
        woken_.push_back(take_first(l));
    while (all && l.head != NONE);
}

void Engine::wake_taken()
{
    std::vector<std::uint32_t> w; // a wake-up may run another system call
    w.swap(woken_);
    for (std::uint32_t ti : w)
        wake(ti, WakeKind::wakeup);
    w.clear();
    if (woken_.capacity() < w.capacity())
        woken_.swap(w);
}

void Engine::block(int c, Task &t, BlockKind k, std::int32_t obj)
{
    const auto ti = static_cast<std::uint32_t>(&t - tasks_.data());
    t.block = k;
    t.wait_obj = obj;
    switch (k) {
    case BlockKind::reader:
        wait_on(chans_[static_cast<std::size_t>(obj)].readers, ti);
        break;
    case BlockKind::writer:
        wait_on(chans_[static_cast<std::size_t>(obj)].writers, ti);
        break;
    case BlockKind::gate:
        // poll() queues its waiter at the head (add_wait_queue): the gate
        // opens for the last one to wait first.
        wait_on_first(gates_[static_cast<std::size_t>(obj)].waiters, ti);
        break;
    default:
        break;
    }
    stop_running(c, k == BlockKind::sleep ? StopReason::sleep : StopReason::block);
    t.state = TaskState::blocked;
    pick_next(c);
}

bool Engine::spawn(Task &parent, std::uint32_t group)
{
    const SpawnGroup &g = m_.groups[group];
    std::uint32_t &next = group_next_[group];
    if (next >= g.tasks.size()) {
        finish(ExitKind::error, "workload error",
               std::string(parent.comm) + "[" + std::to_string(parent.pid) + "] spawned more tasks than its workload declares (" +
                   std::to_string(g.tasks.size()) + ")");
        return false;
    }
    const std::uint32_t ci = g.tasks[next++];
    Task &child = tasks_[ci];
    child.parent = static_cast<std::int32_t>(&parent - tasks_.data());
    child.cpu = parent.cpu; // a new task starts where its parent runs
    parent.children_alive++;
    wake(ci, WakeKind::fork);
    return true;
}

void Engine::task_exit(int c, Task &t)
{
    const auto ti = static_cast<std::uint32_t>(&t - tasks_.data());
    stop_running(c, StopReason::exit);
    t.state = TaskState::exited;
    t.exit_ns = now_;
    emit(EventType::exit, c, &t);
    if (t.parent != NONE) {
        Task &p = tasks_[static_cast<std::size_t>(t.parent)];
        p.children_alive--;
        if (p.state == TaskState::blocked &&
            ((p.block == BlockKind::join && p.wait_obj == static_cast<std::int32_t>(ti)) ||
             (p.block == BlockKind::children && p.children_alive == 0) ||
             (p.block == BlockKind::below && p.children_alive < p.wait_obj))) {
            p.block = BlockKind::none;
            wake(static_cast<std::uint32_t>(t.parent), WakeKind::wakeup);
        }
    }
    if (!t.daemon && --live_ == 0) {
        finish(ExitKind::done, "", "");
        return;
    }
    pick_next(c);
}

void Engine::finish(ExitKind kind, std::string reason, std::string message)
{
    if (stop_)
        return;
    stop_ = true;
    exit_ = ExitInfo{kind, std::move(reason), std::move(message)};
    if (!interval_marked_)
        end_interval();
}

void Engine::end_interval()
{
    st_.interval_end = now_;
    st_.interval_cpu_ns = tasks_cpu_ns() - interval_cpu0_;
    interval_marked_ = true;
}

// The work tasks' CPU time so far, the runs going on included (a switch
// into a task is its time: sum_runtime, as the kernel's clock counts).
std::uint64_t Engine::tasks_cpu_ns() const
{
    std::uint64_t sum = 0;
    for (std::uint32_t i = 0; i < nr_work_; i++)
        sum += tasks_[i].sum_runtime;
    for (const Cpu &cpu : cpus_) {
        if (cpu.curr == NONE || cpu.phase != CpuPhase::running)
            continue;
        const Task &t = tasks_[static_cast<std::size_t>(cpu.curr)];
        if (!t.is_sched)
            sum += now_ - t.run_start;
    }
    return sum;
}

} // namespace scx::sim::detail
