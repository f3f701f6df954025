// SPDX-License-Identifier: MIT
//
// Setting up a run (tasks, CPUs, channels, the scheduler task), calling the
// policy's init() and exit(), and collecting the outcome.
#include "eevdf.hpp"
#include "engine.hpp"

namespace scx::sim::detail {

namespace {

std::uint64_t seed_task(std::uint64_t seed, std::uint64_t index)
{
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + index * 0xD1B54A32D192ED03ULL + 0x2545F4914F6CDD1DULL;
    z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDULL;
    z ^= z >> 29;
    return z ? z : 1; // xorshift needs a non-zero state
}

} // namespace

Engine::Engine(const Model &m, const Options &o, LoadedPolicy *policy)
    : m_(m), o_(o), mc_(o.machine), policy_(policy), topo_(o.machine), sinks_(o.sinks), watch_(o.watch), ctx_(*this)
{
    const int n = mc_.cpus;
    tick_ns_ = NSEC_PER_SEC / (mc_.hz ? mc_.hz : 1);
    jitter_q20_ = (static_cast<std::uint64_t>(mc_.jitter_pct) << 20) / 100;
    syscall_pct_ = mc_.syscall_pct;

    for (const auto &cpus : m_.affinities) {
        if (cpus.empty()) {
            affinity_.push_back(CpuSet::all(n));
            continue;
        }
        CpuSet s(n);
        for (int cpu : cpus)
            s.set(cpu);
        affinity_.push_back(s);
    }

    nr_work_ = static_cast<std::uint32_t>(m_.tasks.size());
    tasks_.resize(nr_work_ + 1);
    for (std::uint32_t i = 0; i < nr_work_; i++) {
        const TaskModel &tm = m_.tasks[i];
        Task &t = tasks_[i];
        t.prog = m_.programs[tm.program].data();
        t.base = tm.base;
        t.weight = tm.weight ? tm.weight : WEIGHT_DEFAULT;
        t.affinity = tm.affinity;
        t.nr_allowed = affinity_[tm.affinity].count();
        t.tgid = tm.tgid;
        t.daemon = tm.daemon;
        t.comm = tm.comm.c_str();
        t.pid = PID_BASE + static_cast<std::int32_t>(i);
        t.rng = seed_task(o_.seed, i);
        // A task "last ran" on a CPU it may use, spread over the machine.
        t.cpu = affinity_[tm.affinity].find_next_and(nullptr, nullptr, static_cast<int>(i % static_cast<std::uint32_t>(n)));
        if (!t.daemon)
            live_++;
    }
    sched_ = nr_work_;
    Task &s = tasks_[sched_];
    s.is_sched = true;
    s.pid = SCHED_PID;
    s.comm = "scx-run";
    s.tgid = 0xFFFFFFFFu;
    s.state = TaskState::parked;
    s.slice = NEVER;
    s.nr_allowed = n;
    s.daemon = true;

    for (const ChannelModel &cm : m_.channels) {
        Channel ch;
        ch.cap = cm.capacity;
        ch.wake_level = cm.wake_level;
        ch.wake_all = cm.wake_all;
        ch.call_pct = cm.socket ? std::uint64_t{mc_.syscall_pct} * mc_.socket_pct / 100 : mc_.syscall_pct;
        ch.per_page = cm.per_page;
        ch.max_pages = cm.max_pages;
        if (cm.per_page)
            ch.pages.assign(cm.max_pages, 0);
        chans_.push_back(std::move(ch));
    }
    gates_.resize(m_.gates);
    group_next_.assign(m_.groups.size(), 0);

    cpus_.resize(static_cast<std::size_t>(n));
    idle_ = CpuSet::all(n);
    nr_idle_ = n;
    ring_.assign(mc_.ring ? mc_.ring : 1, 0);
    tree_.init(static_cast<unsigned>(n) + 1);
    decisions_.reserve(1024);
    st_.cpus = n;
    counters_.nr_online_cpus = static_cast<std::uint64_t>(n);
    if (!policy_ && !o_.bpf_only)
        fair_ = std::make_unique<Fair>(*this, o_.eevdf);
}

Engine::~Engine() = default;

void Engine::emit_slow(EventType type, int cpu, const Task *t, std::uint64_t a, std::uint64_t b, std::uint64_t c,
                       std::uint8_t aux)
{
    Event e;
    e.type = type;
    e.aux = aux;
    e.cpu = cpu;
    e.t = now_;
    e.a = a;
    e.b = b;
    e.c = c;
    if (t) {
        e.pid = t->pid;
        e.comm = t->comm;
    }
    for (EventSink *s : sinks_)
        s->on_event(e);
}

Outcome Engine::run()
{
    if (watch_)
        watch_->set_label(policy_ ? policy_->name() : o_.bpf_only ? "bpf-fifo" : "default");
    if (policy_)
        if (auto r = call_policy(Phase::init, [&] { return policy_->init(ctx_); }); !r)
            finish(ExitKind::error, "policy error", r.error().message);

    if (!stop_) {
        if (live_ == 0)
            finish(ExitKind::done, "", "");
        add_timer(o_.watchdog_ns / 2, TimerKind::watchdog, 0);
        if (m_.duration_ns)
            add_timer(m_.duration_ns, TimerKind::end, 0);
        for (std::uint32_t i = 0; i < nr_work_ && !stop_; i++) {
            const std::uint64_t start = m_.tasks[i].start_ns;
            if (start == 0)
                wake(i, WakeKind::fork);
            else if (start != NEVER)
                add_timer(start, TimerKind::start, i);
        }
        loop();
    }
    st_.end_ns = now_;

    // Charge what is still running or waiting at the end.
    for (Cpu &cpu : cpus_)
        if (cpu.curr != NONE && cpu.phase == CpuPhase::running)
            charge(cpu, tasks_[static_cast<std::size_t>(cpu.curr)]);
    for (std::uint32_t i = 0; i < nr_work_; i++)
        if (runnable(tasks_[i]))
            tasks_[i].wait_ns += now_ - tasks_[i].runnable_at;
    note_waiting(0);

    in_schedule_ = false;
    if (policy_)
        if (auto r = call_policy(Phase::exit, [&] { return policy_->exit(ctx_); }); !r && exit_.kind == ExitKind::done)
            exit_ = ExitInfo{ExitKind::error, "policy error", r.error().message};

    Outcome out;
    out.exit = exit_;
    out.counters = counters_;
    for (const Cpu &cpu : cpus_) {
        st_.task_ns += cpu.task_ns;
        st_.scheduler_ns += cpu.sched_ns;
        st_.overhead_ns += cpu.overhead_ns;
    }
    for (std::uint32_t i = 0; i < nr_work_; i++) {
        const Task &t = tasks_[i];
        TaskStats ts;
        ts.pid = t.pid;
        ts.comm = t.comm;
        ts.cpu_ns = t.sum_runtime;
        ts.wait_ns = t.wait_ns;
        ts.exit_ns = t.exit_ns;
        ts.items = t.items;
        ts.wakeups = t.wakeups;
        ts.weight = t.weight;
        ts.exited = t.state == TaskState::exited;
        out.tasks.push_back(std::move(ts));
    }
    for (std::size_t i = 0; i < chans_.size(); i++) {
        ChannelStats cs;
        cs.name = m_.channels[i].name;
        cs.sent = chans_[i].sent;
        cs.received = chans_[i].received;
        cs.capacity = chans_[i].cap;
        cs.max_fill = chans_[i].max_fill;
        out.channels.push_back(std::move(cs));
    }
    out.metrics = compute_metrics(st_, out.counters, out.tasks);
    out.events = st_.events;
    out.end_ns = now_;
    return out;
}

} // namespace scx::sim::detail

namespace scx::sim {

namespace {

Result<Outcome> run_engine(LoadedPolicy *policy, const Workload &workload, const Options &options)
{
    const Machine &mc = options.machine;
    if (mc.cpus < 1 || mc.cpus > MAX_CPUS)
        return Error(Exit::usage, "the simulator models 1 to " + std::to_string(MAX_CPUS) + " CPUs");
    if (workload.model().cpus != mc.cpus)
        return Error(Exit::software, "the workload was built for another number of CPUs");
    if (options.watchdog_ns < 2 || options.max_time_ns > detail::MAX_TIME)
        return Error(Exit::usage, "invalid watchdog timeout or time limit");
    detail::Engine engine(workload.model(), options, policy);
    Outcome out = engine.run();
    for (EventSink *s : options.sinks)
        if (auto r = s->finish(out.end_ns); !r)
            return std::move(r).error();
    return out;
}

} // namespace

Result<Outcome> simulate(LoadedPolicy &policy, const Workload &workload, const Options &options)
{
    return run_engine(&policy, workload, options);
}

Result<Outcome> simulate_default(const Workload &workload, const Options &options)
{
    return run_engine(nullptr, workload, options);
}

} // namespace scx::sim
