// SPDX-License-Identifier: MIT
//
// The simulation engine: state of tasks, CPUs, channels and the runtime, and
// the member functions that change it. They are split by concern:
//
//   interpreter.cpp  the event loop, task programs (channel.hpp: buffers),
//                    spawn and exit
//   core.cpp         sched_ext core: wake-up and enqueue paths, dispatch
//                    queues, idle tracking and kicks, picking the next task,
//                    context switches, slices, preemption, the watchdog
//   userspace.cpp    the user-space scheduler: the ring, scx::Context for the
//                    policy, its activations as a task, decision delivery
//   eevdf.cpp        instead of the three above (simulate_default()): the
//                    Linux fair class; the engine hands it wake-ups, picks
//                    and slice ends (see the `fair_` checks in core.cpp)
//   simulate.cpp     setting up a run and collecting its outcome
#pragma once

#include "contain/record.hpp"
#include <scx/loader.hpp>
#include "sim/sim.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "channel.hpp"
#include "event_queue.hpp"
#include "metrics.hpp"
#include "model.hpp"
#include "topology.hpp"

namespace scx::sim::detail {

inline constexpr std::int32_t PID_BASE = FIRST_TASK_PID;
inline constexpr std::int32_t SCHED_PID = SCHEDULER_PID;

enum class TaskState : std::uint8_t {
    unborn,   // not started yet
    running,  // on a CPU (or being switched onto one)
    queued,   // in the ring, waiting for the user-space scheduler
    awaiting, // dequeued by the policy, no decision yet
    decided,  // decided; delivered when the scheduler's current call ends
    dsq,      // in a CPU's queue or the shared queue
    blocked,  // waiting for a channel, a timer, a child or a gate
    exited,
    parked,   // (the scheduler task) nothing to do
};

// What the simulator's process is doing, in ChildWatch::phase: the
// supervisor names the policy callback that hung or crashed.
enum class Phase : std::uint32_t { engine = 0, init = 1, schedule = 2, exit = 3 };

enum class BlockKind : std::uint8_t { none, reader, writer, sleep, join, children, below, gate, lock };

struct LoopFrame {
    std::uint32_t iter, count, begin;
};


struct Task {
    // Program state.
    const Op *prog = nullptr;
    std::uint32_t pc = 0;
    std::uint8_t depth = 0;
    TaskState state = TaskState::unborn;
    BlockKind block = BlockKind::none;
    bool item_pending = false;
    std::int32_t base = 0;
    std::uint64_t op_end = 0;   // when the current op's cost is paid (while running)
    std::uint64_t op_left = 0;  // cost still to pay after a preemption
    std::uint64_t rng = 0;
    LoopFrame loops[MAX_LOOP_DEPTH] = {};

    // Scheduling.
    std::int32_t pid = 0;
    std::int32_t cpu = 0;       // current or last CPU
    std::int32_t nr_allowed = 0;
    std::uint32_t affinity = 0;
    std::uint32_t tgid = 0;
    bool has_run = false;
    bool daemon = false;
    bool is_sched = false;
    std::uint64_t weight = WEIGHT_DEFAULT;
    std::uint64_t slice = 0;        // slice of the current / next run (NEVER = unlimited)
    std::uint64_t enq_flags = 0;
    std::uint64_t seq = 0;          // bumped at every enqueue to the scheduler
    std::uint64_t runnable_at = 0;  // when it last became runnable (watchdog, run delay)
    std::uint64_t woke_at = NEVER;  // when it last woke up, until it runs (wake-up latency)
    std::uint64_t sleep_due = 0;    // when its sleep's timer is due
    std::uint64_t run_start = 0, last_run_at = 0, last_stop_at = 0;
    std::uint64_t exec_runtime = 0, sum_runtime = 0, vtime = 0;
    std::uint64_t wait_ns = 0;

    // Waiting.
    std::int32_t wait_next = NONE;
    std::int32_t wait_obj = NONE;
    std::int32_t lock = NONE;   // the pipe whose mutex it holds
    std::uint64_t lock_end = 0; // running: when its call lets the mutex go; preempted: how long it still holds it
    std::uint64_t op_rest = 0;  // a pipe call's part after its mutex, when op_end is the unlock
    bool lock_woken = false;    // woken from the mutex: fails again -> asks for the hand-off

    // Family.
    std::int32_t parent = NONE;
    std::int32_t children_alive = 0;

    // Statistics.
    std::uint64_t items = 0, wakeups = 0, exit_ns = 0;
    const char *comm = "";
};

enum class WakeKind : std::uint8_t {
    requeue, // still runnable after its slice (or a preemption): straight to the scheduler
    wakeup,  // woke up from sleeping or blocking
    fork,    // a new task
};

struct Gate {
    bool open = false;
    WaitList waiters;
};

enum class CpuPhase : std::uint8_t {
    idle,      // nothing to run
    waking,    // kicked out of idle; picks a task when the wake-up latency has passed
    switching, // paying the context switch / migration cost before `curr` runs
    running,   // `curr` runs
};

struct Cpu {
    CpuPhase phase = CpuPhase::idle;
    std::int32_t curr = NONE;
    std::int32_t last = NONE;      // last task that ran here
    std::uint64_t slice_end = NEVER;
    std::uint64_t phase_start = 0;
    Dsq local;
    bool preempt = false;          // a DISPATCH_PREEMPT arrived while switching
    std::uint64_t task_ns = 0, sched_ns = 0, overhead_ns = 0;
};

class Engine;
class Fair;

// scx::Context as the policy sees it inside the simulator.
class SimContext final : public Context {
public:
    explicit SimContext(Engine &e) : e_(e) {}
    std::optional<scx::Task> dequeue() override;
    int dispatch(const Dispatch &d) override;
    int select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t flags) override;
    int nr_cpus() const override;
    std::uint64_t now() const override;
    const Counters &counters() const override;
    void set_pending(std::uint64_t nr_tasks) override;
    void set_idle_bypass(bool enabled) override;

private:
    Engine &e_;
};

struct Decision {
    Dispatch d;
    std::uint32_t task;
};

class Engine {
public:
    // With a policy: sched_ext and the user-space scheduler. Without one
    // (nullptr): the Linux fair class (eevdf.cpp).
    Engine(const Model &m, const Options &o, LoadedPolicy *policy);
    ~Engine();
    Outcome run();

    // --- interpreter.cpp
    void loop();
    template <bool FAIR> void loop_on();
    void count_event()
    {
        if ((++st_.events & 0xFFFF) == 0 && watch_) {
            watch_->sim_time.store(now_, std::memory_order_relaxed);
            watch_->beat();
        }
    }
    void cpu_event(int c);
    void timer_event();
    std::uint64_t timer_tail(Task &t); // how much later still a timer due now fires (Machine::timer_tail_pct)
    bool step(int c, Task &t);
    std::uint64_t draw(const Op &op, Task &t);
    // draw() for a system call: its own cost plus each wake-up it made,
    // scaled by `pct` (Machine::syscall_pct; on a socket, times
    // Machine::socket_pct: Channel::call_pct), plus Machine::syscall_ns.
    std::uint64_t draw_syscall(const Op &op, Task &t, unsigned woken, std::uint64_t pct)
    {
        const std::uint64_t d = draw(op, t) + woken * mc_.wake_ns;
        return (pct == 100 ? d : std::max<std::uint64_t>(1, d * pct / 100)) + mc_.syscall_ns;
    }
    std::uint64_t draw_syscall(const Op &op, Task &t, unsigned woken = 0) { return draw_syscall(op, t, woken, syscall_pct_); }
    bool spawn(Task &parent, std::uint32_t group);
    void task_exit(int c, Task &t);
    // Take a wait list's first task (or all of them) off into woken_, for
    // wake_taken() once the waker's system call is set up.
    void take_waiters(WaitList &l, bool all);
    void wait_on_first(WaitList &l, std::uint32_t ti); // at the head (poll, a mutex's hand-off)
    std::uint32_t take_first(WaitList &l);              // off the head, no longer blocked
    void wake_taken();
    void add_timer(std::uint64_t time, TimerKind kind, std::uint32_t id);
    void wait_on(WaitList &l, std::uint32_t ti);
    void block(int c, Task &t, BlockKind k, std::int32_t obj);
    // A pipe's mutex (interpreter.cpp): take it for a read or write (false:
    // the task spins or sleeps on it instead), let it go when the call is over.
    enum class Lock : std::uint8_t { taken, spinning, asleep };
    Lock pipe_lock(int c, Task &t, std::int32_t ci);
    void pipe_unlock(Task &t); // nothing when it holds none
    void call_cost(Task &t, std::uint64_t cost);
    void split_at_unlock(Task &t);
    // A task preempted in its call (op_left set) keeps the mutex only when
    // that happened inside its part under it.
    void unlock_if_out(Task &t);
    // A task back on its CPU in the middle of its call (op_left).
    void resume_call(Task &t);
    void finish(ExitKind kind, std::string reason, std::string message);
    void end_interval();
    std::uint64_t tasks_cpu_ns() const;

    // --- core.cpp
    void wake(std::uint32_t ti, WakeKind kind);
    void insert(std::uint32_t ti, int cpu, std::uint64_t slice, std::uint64_t vtime);
    void kick(int c);
    void kick_for(std::uint32_t ti);
    void kick_sched(int hint);
    void pick_next(int c);
    void switch_to(int c, std::uint32_t ti);
    void start_running(int c);
    std::uint64_t charge(Cpu &cpu, Task &t); // account the CPU time since run_start
    void stop_running(int c, StopReason why);
    void go_idle(int c);
    void slice_expired(int c);
    void preempt_cpu(int c);
    // Times past the queue's range (only possible with absurd slices or
    // durations) are clamped just beyond it: the time limit stops the run.
    void set_next(int c, std::uint64_t t) { tree_.set(static_cast<unsigned>(c), t > MAX_TIME ? MAX_TIME + 1 : t); }
    std::uint64_t tick_ceil(std::uint64_t t) const;
    static WaitOn wait_on(BlockKind k);
    void watchdog();
    void note_waiting(int delta);
    void note_idle(int delta);
    bool runnable(const Task &t) const;
    const CpuSet &allowed(const Task &t) const { return affinity_[t.affinity]; }

    // --- userspace.cpp
    void push_ring(std::uint32_t ti, std::uint64_t flags);
    bool sched_needed() const { return ring_count_ > 0 || counters_.nr_scheduled > 0; }
    void sched_begin(int c);
    void sched_end(int c);
    void deliver();
    scx::Task task_record(const Task &t) const;
    // Call into the policy with the watch showing `phase`; progress when it returns.
    template <typename F> auto call_policy(Phase phase, F call)
    {
        if (watch_)
            watch_->phase.store(static_cast<std::uint32_t>(phase), std::memory_order_relaxed);
        auto r = call();
        if (watch_) {
            watch_->phase.store(static_cast<std::uint32_t>(Phase::engine), std::memory_order_relaxed);
            watch_->beat();
        }
        return r;
    }

    // Called on every state change: the check for sinks stays inline.
    void emit(EventType type, int cpu, const Task *t, std::uint64_t a = 0, std::uint64_t b = 0,
              std::uint64_t c = 0, std::uint8_t aux = 0)
    {
        if (!sinks_.empty())
            emit_slow(type, cpu, t, a, b, c, aux);
    }
    void emit_slow(EventType type, int cpu, const Task *t, std::uint64_t a, std::uint64_t b, std::uint64_t c,
                   std::uint8_t aux);

    // Configuration.
    const Model &m_;
    const Options &o_;
    const Machine &mc_;
    LoadedPolicy *policy_;          // null: the fair class schedules
    std::unique_ptr<Fair> fair_;    // the fair class, when there is no policy
    Topology topo_;
    std::vector<CpuSet> affinity_;
    std::vector<EventSink *> sinks_;
    ChildWatch *watch_ = nullptr;
    std::uint64_t tick_ns_ = 4'000'000;
    std::uint64_t jitter_q20_ = 0; // jitter as a fraction, scaled by 2^20
    std::uint64_t syscall_pct_ = 100; // Machine::syscall_pct
    std::vector<std::uint32_t> woken_;  // taken off a wait list, to wake (take_waiters)

    // State.
    std::uint64_t now_ = 0;
    std::uint64_t timer_late_ = 0; // while a timer wakes its sleeper: how late it fired
    std::int32_t cur_cpu_ = NONE;   // fair class: CPU whose event is being handled (NONE: a timer)
    std::vector<Task> tasks_;
    std::uint32_t nr_work_ = 0;     // workload tasks (the scheduler task follows them)
    std::uint32_t sched_ = 0;       // index of the scheduler task
    std::vector<Channel> chans_;
    std::vector<Gate> gates_;
    std::vector<std::uint32_t> group_next_;
    std::vector<Cpu> cpus_;
    CpuSet idle_;                   // CPUs that select_cpu may take
    MinTree tree_;
    TimerHeap timers_;
    Dsq shared_;
    std::uint64_t dsq_seq_ = 0;
    std::uint64_t shared_tail_vtime_ = 0;
    std::uint32_t live_ = 0;        // non-daemon workload tasks not exited yet
    bool stop_ = false;
    bool interval_marked_ = false;
    std::uint64_t interval_cpu0_ = 0; // tasks_cpu_ns() when the interval started
    ExitInfo exit_;

    // The user-space scheduler.
    SimContext ctx_;
    Counters counters_;
    std::vector<std::uint32_t> ring_;
    std::size_t ring_head_ = 0, ring_count_ = 0;
    std::vector<Decision> decisions_;
    bool idle_bypass_ = true;
    bool in_schedule_ = false;
    std::int32_t sched_kick_cpu_ = NONE; // a CPU kicked to run the scheduler
    std::uint64_t burst_dequeued_ = 0, burst_dispatched_ = 0;
    std::uint64_t ctx_now_ = 0;

    // Measurement.
    RawStats st_;
    int nr_idle_ = 0, nr_waiting_ = 0;
    std::uint64_t iwr_since_ = 0;
};

} // namespace scx::sim::detail
