// SPDX-License-Identifier: MIT
//
// <scx/sim.hpp> - the deterministic sched_ext simulator.
//
// The simulator runs a policy shared object (loaded with scx::LoadedPolicy)
// against a simulated machine and workload, with no root and no sched_ext
// kernel. It implements scx::Context with the same rules as the kernel
// backend, so the same compiled policy runs unchanged on both:
//
//  - sched_ext core: a vtime-ordered queue per CPU and one shared
//    vtime-ordered queue, slices charged at the HZ tick, idle-CPU tracking and
//    kicks, the default idle-CPU selection, the watchdog ("runnable task
//    stall", task named);
//  - the user-space round trip as a cost: the scheduler is itself a simulated
//    task that needs a CPU before it can decide; tasks reach it through a ring
//    of finite capacity and fall back to the shared queue when it is full
//    ("congestion"); waking tasks may take an idle CPU without asking it (idle
//    bypass, the default);
//  - tasks are programs of run / sleep / send / receive (channels with finite
//    capacity: writers block when full, readers when empty) / spawn / wait /
//    exit, with weight and affinity.
//
// simulate_default() runs the same workloads on a model of the Linux default
// scheduler (EEVDF) instead of a policy, for comparisons with "default".
//
// Same seed + same policy + same workload => the same result, bit for bit.
// Library code never prints; simulate() returns everything it found.

#ifndef SCX_SIM_HPP
#define SCX_SIM_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.hpp"
#include <scx/loader.hpp>
#include <scx/policy.hpp>
#include <scx/result.hpp>

#include <scx/run.hpp>

namespace scx {
struct ChildWatch;
}

namespace scx::sim {

// Largest machine the simulator models.
inline constexpr int MAX_CPUS = 1024;

// The simulated user-space scheduler task (comm "scx-run"); workload task i
// has pid FIRST_TASK_PID + i.
inline constexpr std::int32_t SCHEDULER_PID = 100;
inline constexpr std::int32_t FIRST_TASK_PID = 1000;

// The simulated machine and the costs of the runtime. Every field has a
// documented default (scx-run(1), "Simulator mode") and can be set by name
// with set_machine_param() ("--machine key=value,...").
struct Machine {
    int cpus = 1;                  // logical CPUs
    int smt = 1;                   // hardware threads per core (1 = no SMT)
    int llc = 0;                   // CPUs per last-level cache; 0 = one LLC for all
    std::uint32_t hz = 250;        // timer tick: slices are charged at tick granularity
    std::uint64_t slice_ns = SLICE_DEFAULT_NS; // the runtime's default slice (Dispatch::slice_ns == 0)
    std::uint64_t cs_ns = 1000;    // context switch between two tasks
    std::uint64_t mm_ns = 500;     // extra when the address space changes (another process)
    std::uint64_t migrate_ns = 2000;      // cache refill after moving to another CPU in the same LLC
    std::uint64_t llc_migrate_ns = 10000; // ... to a CPU in another LLC
    std::uint64_t wake_idle_ns = 2000;    // an idle CPU takes this long to start running after a kick
    // How late a timer fires after it is due: a sleeper's wake-up (its
    // wake-up latency counts from the due time, as a native sleep measures
    // it) and, in the default model, HRTICK's end of a slice. It costs no
    // CPU time. An emulator's timers are late by tens of microseconds.
    std::uint64_t timer_ns = 0;
    // Some timers come later still: with a chance of timer_tail_pct % x
    // (1 + busy CPUs) / (1 + CPUs) a timer due now fires a further 0 to
    // 2 x timer_tail_ns later (uniform) - an emulator's timer thread waiting
    // for a host core its busy vCPUs hold. Sleepers' timers and HRTICK; 0:
    // never (real hardware).
    std::uint32_t timer_tail_pct = 0;
    std::uint64_t timer_tail_ns = 0;
    // A wake-up's cost to the waker, inside its send or receive (try_to_wake_up:
    // choosing the CPU, queueing the task, the IPI); scaled with syscall_pct.
    std::uint64_t wake_ns = 1000;
    std::uint64_t hop_ns = 2500;   // one activation of the user-space scheduler (ring wake-up, return)
    std::uint64_t decision_ns = 100; // per task the scheduler dequeues and per decision it sends
    std::uint32_t ring = 4096;     // capacity of the ring that carries tasks to the scheduler
    std::uint32_t jitter_pct = 10; // +- this percentage of random variation on every task's CPU bursts
    // The workloads' system calls (the cost of every send, receive and spawn)
    // take this percentage of their nominal cost: 100 is one current x86-64
    // core; an emulated or slower machine's are larger. A task's CPU work
    // (run ops) is CPU time and does not change with it.
    std::uint32_t syscall_pct = 100;
    // A socket's send or receive (AF_UNIX stream) costs this percentage of
    // what syscall_pct makes it: how much dearer or cheaper socket calls
    // are than pipe calls on this machine against the built-in figures
    // (an emulator does not slow both alike).
    std::uint32_t socket_pct = 100;
    // Added to every one of those system calls, unscaled: entering and
    // leaving the kernel, which an emulator or mitigations make dearer
    // whatever the call does (0: the built-in figures include it).
    std::uint64_t syscall_ns = 0;
    // The part of a pipe read or write (percent of its cost) spent holding
    // the pipe's mutex; 0: pipes have no mutex.
    std::uint32_t lock_pct = 40;
};

// Set one machine parameter by its name (the field names above).
// Exit::usage with the list of names for an unknown key or a bad value.
Result<void> set_machine_param(Machine &m, std::string_view key, std::string_view value);
// "key=value,key=value" as given to --machine.
Result<void> set_machine_params(Machine &m, std::string_view list);
// A machine file: one key=value (or a list) per line, '#' starts a
// comment (what scx-fidelity --calibrate writes). Exit::no_input when it
// cannot be read; Exit::usage, naming the line, for a bad parameter.
Result<void> set_machine_file(Machine &m, const std::string &path);
// What --machine takes: a KEY=VALUE list, or a machine file (no '=' in it).
Result<void> set_machine_option(Machine &m, const std::string &arg);
// Names and values of every parameter, in a fixed order (for reports).
std::vector<std::pair<std::string, std::uint64_t>> machine_params(const Machine &m);

// The Linux default scheduler as simulate_default() models it: the fair
// class (EEVDF) for SCHED_NORMAL tasks, with the defaults of the kernels
// scxkit compares against (Debian's 6.16 ... 7.3 on x86-64). These tunables
// only apply to simulate_default(); machine_params() does not list them.
// Every field can be set by name with set_eevdf_param().
struct EevdfParams {
    // sysctl_sched_base_slice before CPU scaling: 0.70 ms since upstream commit
    // 2ae891b82695 (0.75 ms before it). The request size of every task.
    std::uint64_t base_slice_ns = 700'000;
    // SCHED_TUNABLESCALING_LOG: the base slice is multiplied by
    // 1 + ilog2(min(CPUs, 8)); 0 uses base_slice_ns as it is.
    std::uint32_t scale_slice = 1;
    // sysctl_sched_migration_cost: load balancing leaves a task alone when it
    // ran less than this long ago (cache hot).
    std::uint64_t migration_cost_ns = 500'000;
    // PREEMPT_LAZY (the only non-full model x86 offers from 7.0 on, and its
    // default): a wake-up preemption of a task on another CPU takes effect at
    // that CPU's next tick. 0 = PREEMPT_VOLUNTARY / FULL (6.x Debian): at once.
    std::uint32_t lazy_preempt = 1;
    std::uint32_t delay_dequeue = 1; // DELAY_DEQUEUE and DELAY_ZERO
    std::uint32_t run_to_parity = 1; // RUN_TO_PARITY
    std::uint32_t preempt_short = 1; // PREEMPT_SHORT
    // HRTICK (on in 7.x): with another task queued, a timer ends the running
    // task's slice when it has run its request since it was picked, instead
    // of the first tick after that. 0 = the tick only (6.x's NO_HRTICK).
    std::uint32_t hrtick = 1;
    // TTWU_QUEUE: a task woken from another CPU onto a CPU with nothing to
    // run joins that CPU's wake list and is queued only when the CPU takes
    // the IPI (after wake_idle_ns): until then no load balancing sees it,
    // and the CPU no longer counts as idle. 0 = queued at once.
    std::uint32_t ttwu_queue = 1;
    // A busy CPU balances its domain every busy_factor x (CPUs in its last-level
    // cache) ms; an idle one every (CPUs in its last-level cache) ms.
    std::uint32_t busy_factor = 16;
};

// Set one EEVDF parameter by its name (the field names above); Exit::usage
// with the list of names for an unknown key or a bad value.
Result<void> set_eevdf_param(EevdfParams &p, std::string_view key, std::string_view value);
// "key=value,key=value".
Result<void> set_eevdf_params(EevdfParams &p, std::string_view list);
// Names and values of every parameter, in a fixed order (for reports).
std::vector<std::pair<std::string, std::uint64_t>> eevdf_params(const EevdfParams &p);

// A workload as named on the command line: "messaging:groups=2,loops=10"
// or the path of a JSON workload file (scx-json(5), scxkit.workload/1).
struct WorkloadSpec {
    std::string name;  // built-in name, or "" for a file
    std::string path;  // JSON workload file, or ""
    std::vector<std::pair<std::string, std::string>> params;
};
Result<WorkloadSpec> parse_workload_spec(std::string_view arg);

// The built-in workloads: name and one-line description.
struct BuiltinInfo {
    const char *name;
    const char *summary;
};
const std::vector<BuiltinInfo> &builtin_workloads();

namespace detail {
struct Model;
}

// A workload built for a machine: its tasks, programs and channels.
class Workload {
public:
    const std::string &name() const;
    // Every parameter with the value used (defaults filled in), in a fixed order.
    const std::vector<std::pair<std::string, std::string>> &params() const;
    // Unit of the "throughput" metric, e.g. "messages/s".
    const std::string &throughput_unit() const;
    std::size_t nr_tasks() const;
    const detail::Model &model() const { return *model_; }

private:
    friend struct WorkloadFactory;
    std::shared_ptr<const detail::Model> model_;
};

// Build a workload: a built-in with its parameters, or a JSON file.
// Exit::usage for unknown workloads or parameters, Exit::no_input for a
// missing file, Exit::data for an invalid file.
Result<Workload> load_workload(const WorkloadSpec &spec, const Machine &machine);
// Build a workload from the text of a JSON workload file (`source` names it in errors).
Result<Workload> parse_workload(std::string_view json_text, const std::string &source, const Machine &machine);

// Scheduling events, as written by --events and used by --trace.
enum class EventType : std::uint8_t {
    wakeup,      // a task became runnable (woken, spawned)
    enqueue,     // a task was queued to the user-space scheduler (ring)
    congestion,  // the ring was full: the task went to the shared queue
    bypass,      // a waking task was dispatched straight to an idle CPU
    dequeue,     // the policy took a task (ctx.dequeue())
    dispatch,    // the policy sent a decision (accepted)
    reject,      // the policy sent an invalid decision (-EINVAL)
    bounce,      // a decision named a CPU outside the task's affinity: shared queue
    cancel,      // a decision carried a stale seq and was dropped
    insert,      // a decision reached its queue (cpu, or -1 for the shared queue)
    kick,        // an idle CPU was woken up
    preempt,     // a running task was preempted (DISPATCH_PREEMPT)
    run,         // a task started running on a CPU (after the switch overhead)
    stop,        // a task stopped running (a: ran ns, b: WaitOn, aux: StopReason)
    idle,        // a CPU went idle
    sched_run,   // the user-space scheduler started one schedule() call
    sched_stop,  // ... and finished it (a: tasks dequeued, b: decisions sent)
    exit,        // a task exited
    stall,       // the watchdog ejected the policy
};
const char *event_name(EventType t);

enum class StopReason : std::uint8_t { block, sleep, expire, preempt, exit, yield, end };
const char *stop_reason_name(StopReason r);

// What a task that stopped to block waits for: a message to receive, room
// to send, a child's exit, all its children's, fewer children alive, a
// gate to open, a pipe's mutex.
enum class WaitOn : std::uint8_t { none, data, space, child, children, fewer_children, gate, mutex };
const char *wait_on_name(WaitOn w);

struct Event {
    EventType type;
    std::uint8_t aux = 0;      // StopReason for stop events
    std::int32_t cpu = -1;
    std::int32_t pid = 0;
    std::uint64_t t = 0;       // simulated time, ns
    std::uint64_t a = 0, b = 0, c = 0; // type-specific (see scx-json(5), event stream)
    const char *comm = "";
};

// Receives events while the simulation runs (trace writers, tests).
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void on_event(const Event &e) = 0;
    // Called once at the end; an error makes simulate() fail.
    virtual Result<void> finish(std::uint64_t end_ns) = 0;
};

struct Options {
    Machine machine;
    std::uint64_t seed = 1;
    std::uint64_t watchdog_ns = 30 * NSEC_PER_SEC;
    std::uint64_t max_time_ns = 3600 * NSEC_PER_SEC; // simulated-time limit
    std::vector<EventSink *> sinks;                  // not owned
    ChildWatch *watch = nullptr; // progress for a supervising parent (see contain/record.hpp)
    EevdfParams eevdf;           // simulate_default() only
    // simulate_default() only: instead of the model of the Linux default,
    // the BPF side alone (scx-run --bpf-only): a waking task takes an idle
    // CPU, every other one joins the shared queue in arrival order with the
    // default slice.
    bool bpf_only = false;
};

// How a run ends, and its figures: the run seam's types (<scx/run.hpp>).
// The simulator ends a run with done, stall, error, limit or deadlock; its
// contained child adds crash, hang, sandbox, oom, timeout and exited.
using ExitKind = scx::ExitKind;
using ExitInfo = scx::RunExit;
using Metric = scx::RunMetric;

// Per-task and per-channel figures, for tests and tools (not in the document).
struct TaskStats {
    std::int32_t pid = 0;
    std::string comm;
    std::uint64_t cpu_ns = 0, wait_ns = 0, exit_ns = 0, items = 0, wakeups = 0;
    std::uint64_t weight = WEIGHT_DEFAULT;
    bool exited = false;
};
struct ChannelStats {
    std::string name;
    std::uint64_t sent = 0, received = 0;
    std::uint32_t capacity = 0, max_fill = 0;
};

struct Outcome {
    ExitInfo exit;
    Counters counters;
    std::vector<Metric> metrics;
    std::vector<TaskStats> tasks;
    std::vector<ChannelStats> channels;
    std::uint64_t events = 0;   // engine events processed
    std::uint64_t end_ns = 0;   // simulated time when the run stopped
};

// Run `policy` on `workload`. The Outcome says how the run ended (done,
// stall, error, limit, deadlock); Result errors are for the host itself
// (trace file cannot be written, invalid options).
Result<Outcome> simulate(LoadedPolicy &policy, const Workload &workload, const Options &options);

// The Linux default scheduler (the EEVDF model of the fair class), no policy
// code involved: the same machine costs, workloads, metrics and events as
// simulate(), but no user-space scheduler, ring or watchdog ejection (the
// watchdog only detects deadlocks). Options::eevdf holds its tunables.
// Its insert events mean "joined a CPU's run queue": a = the request (ns),
// b = the virtual runtime, c = the lag it has there (V - vruntime as a
// two's-complement int64; positive = owed CPU time). With
// Options::bpf_only, the BPF-only mode instead (sched_ext, no policy).
Result<Outcome> simulate_default(const Workload &workload, const Options &options);

// Event sinks writing files: Chrome/Perfetto trace JSON (one track per CPU)
// and JSON Lines. They write `path` as they go; a caller that wants the
// file to appear only when complete passes a temporary name and renames it
// (the simulator backend does, in the parent of the contained run).
Result<std::unique_ptr<EventSink>> open_chrome_trace(const std::string &path, int nr_cpus);
Result<std::unique_ptr<EventSink>> open_event_log(const std::string &path, int nr_cpus);

} // namespace scx::sim

#endif // SCX_SIM_HPP
