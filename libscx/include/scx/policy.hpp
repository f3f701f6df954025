// SPDX-License-Identifier: MIT
//
// <scx/policy.hpp> - the scxkit policy contract.
//
// A policy is a small C++20 class that decides where and in which order the
// tasks of a Linux machine run. The runtime (libscx) hosts it either on a real
// sched_ext kernel, where BPF carries every scheduling event to user space and
// your decisions back, or on a deterministic simulator. The same compiled
// policy runs unchanged on both.
//
// How it works, in one paragraph: whenever tasks want a CPU, the runtime calls
// your policy's schedule(ctx). Inside it you take the waiting tasks one by one
// with ctx.dequeue() and, for each, send a Dispatch with ctx.dispatch(). A
// Dispatch names the task, a target (one CPU, or ANY_CPU for the shared
// queue), a time slice and a vtime that orders the shared queue (lowest
// first). A task runs until its slice is used up or it sleeps; then it comes
// back to you through dequeue() again. Every task you dequeue must be
// dispatched eventually: a task left waiting for longer than the watchdog
// timeout (30 s by default) makes the kernel eject your policy ("runnable task
// stall") and fall back to the default scheduler.
//
// Rules for policy code:
//  - Only this header may be included from scxkit; the C++ standard library
//    may be used freely (containers, <algorithm>, <cmath>, ...).
//  - The policy runs sandboxed (seccomp, never as root) in a process of its
//    own, in every mode. From init() on it may NOT: open files (not even
//    /dev/urandom or /proc), create threads or processes (std::thread, fork,
//    system, popen), exec, use sockets or pipes, or signal other processes.
//    The first such call ends the policy: the run fails with exit kind
//    "sandbox", the call named. Constructors (global or of the policy class)
//    must not make these calls either.
//  - It MAY allocate memory, read the clock, print to stderr, and throw and
//    catch exceptions of its own. Its process has a memory limit (4 GiB by
//    default, scx-run --policy-memory); past it the run fails ("oom").
//  - Never end the process (exit, _exit: "exited") or let an exception out
//    of a hook ("error"); a crash (null pointer, abort) fails the run
//    ("crash").
//  - Never sleep, block or loop for long: under scx-run --check and --sim a
//    call that does not return within 10 s (--policy-timeout) is killed
//    ("hang"); on the kernel, waiting tasks make the watchdog eject the
//    policy ("stall").
//  - Keep schedule() fast: it runs for every batch of scheduling events.
//  - Never keep a Task pointer or reference across calls; copy what you need.
//  - Times are nanoseconds; ctx.now() is a monotonic clock (simulated time on
//    the simulator). Do not use wall-clock time or randomness from the
//    environment if you want reproducible simulator results.
//  - Register exactly one policy class with SCX_POLICY(Class, "name").
//  - Numbers a user may want to tune (a time slice, a boost, a threshold)
//    should be Param members (see PARAMETERS below), not hard-coded.
//
// The smallest complete policy (global FIFO):
//
//     #include <scx/policy.hpp>
//     struct Fifo : scx::Policy {
//         void schedule(scx::Context &ctx) override {
//             while (auto task = ctx.dequeue()) {
//                 scx::Dispatch d(*task);          // target ANY_CPU, default slice
//                 ctx.dispatch(d);
//             }
//         }
//     };
//     SCX_POLICY(Fifo, "fifo")

#ifndef SCX_POLICY_HPP
#define SCX_POLICY_HPP

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>

namespace scx {

// Version of the binary interface between the runtime and a policy. A policy
// built against another version is refused with a clear error when loaded.
inline constexpr std::uint32_t POLICY_ABI = 2;

// Dispatch::cpu value meaning "no particular CPU": the task goes to the shared
// queue, ordered by Dispatch::vtime, and the first CPU that becomes free runs
// it.
inline constexpr std::int32_t ANY_CPU = -1;

// Useful time units (nanoseconds).
inline constexpr std::uint64_t NSEC_PER_USEC = 1'000ULL;
inline constexpr std::uint64_t NSEC_PER_MSEC = 1'000'000ULL;
inline constexpr std::uint64_t NSEC_PER_SEC = 1'000'000'000ULL;

// The runtime's default time slice (sched_ext's SCX_SLICE_DFL): 20 ms. A
// Dispatch with slice_ns == 0 gets the runtime's default slice, which is this
// value unless the user changed it (scx-run --slice).
inline constexpr std::uint64_t SLICE_DEFAULT_NS = 20 * NSEC_PER_MSEC;

// Weight of a task at nice 0. Weights range from 1 (nice 19) to 10000
// (nice -20); a task with twice the weight deserves twice the CPU time.
inline constexpr std::uint64_t WEIGHT_DEFAULT = 100;

// Task::flags - why the task became ready. Values match the kernel's
// SCX_ENQ_* flags.
inline constexpr std::uint64_t ENQ_WAKEUP = 1ULL << 0;    // it woke up after sleeping (I/O, message, timer)
inline constexpr std::uint64_t ENQ_HEAD = 1ULL << 4;      // the kernel asked for it to go first
inline constexpr std::uint64_t ENQ_PREEMPT = 1ULL << 32;  // it was preempted before its slice ended
inline constexpr std::uint64_t ENQ_REENQ = 1ULL << 40;    // it was taken back from a CPU and re-queued
// A task without ENQ_WAKEUP used up its slice (or yielded) and still wants to run.

// Dispatch::flags.
inline constexpr std::uint64_t DISPATCH_PREEMPT = 1ULL << 32; // preempt whatever runs on Dispatch::cpu now

// A task that wants a CPU, as returned by Context::dequeue(). All fields are
// read-only information; copy what you need.
struct Task {
    std::int32_t pid = 0;             // thread id (every thread is a task)
    std::int32_t cpu = 0;             // CPU it ran on last (a good default target: warm caches)
    std::int32_t nr_cpus_allowed = 0; // size of its CPU affinity mask; 1 = pinned to `cpu`
    std::uint32_t reserved0 = 0;      // (padding)
    std::uint64_t flags = 0;          // ENQ_* flags: why it became ready
    std::uint64_t weight = WEIGHT_DEFAULT; // priority weight, 100 = nice 0, 1..10000
    std::uint64_t exec_runtime = 0;   // ns of CPU time used since it last woke up (0 after a sleep):
                                      // small = short bursts (interactive), large = CPU hog
    std::uint64_t sum_exec_runtime = 0; // ns of CPU time used over its whole life
    std::uint64_t vtime = 0;          // weighted CPU time: sum of runtime * WEIGHT_DEFAULT / weight
    std::uint64_t enqueued_at = 0;    // ctx.now() when it became ready
    std::uint64_t last_run_at = 0;    // ctx.now() when it last started running (0 = never)
    std::uint64_t last_stop_at = 0;   // ctx.now() when it last stopped running (0 = never)
    std::uint64_t seq = 0;            // runtime bookkeeping; Dispatch(task) copies it, never change it
    char comm[16] = {};               // command name, NUL-terminated (e.g. "sched-messaging")

    bool is_wakeup() const { return (flags & ENQ_WAKEUP) != 0; }
};

// A decision: run task `pid` on `cpu` (or on any CPU) for `slice_ns`.
// Always build it from the Task it is for, then adjust the fields:
//
//     scx::Dispatch d(task);
//     d.cpu = 3;                      // or leave ANY_CPU
//     d.slice_ns = 5 * scx::NSEC_PER_MSEC;
//     d.vtime = my_deadline;          // order in the shared queue
//     ctx.dispatch(d);
struct Dispatch {
    std::int32_t pid = 0;        // the task to run
    std::int32_t cpu = ANY_CPU;  // a CPU number in [0, ctx.nr_cpus()), or ANY_CPU for the shared queue.
                                 // A CPU outside the task's affinity is redirected to the shared queue.
    std::uint64_t slice_ns = 0;  // time slice; 0 = the runtime's default (SLICE_DEFAULT_NS)
    std::uint64_t vtime = 0;     // sort key in the shared queue and in per-CPU queues: lowest runs
                                 // first, equal keys in dispatch order (all 0 = plain FIFO)
    std::uint64_t flags = 0;     // DISPATCH_* flags
    std::uint64_t seq = 0;       // copied from Task::seq: lets the runtime drop stale decisions

    Dispatch() = default;
    explicit Dispatch(const Task &t) : pid(t.pid), seq(t.seq) {}
};

// Counters maintained by the runtime, readable at any time with
// ctx.counters(). Useful for adaptive policies (e.g. shorter slices when many
// tasks wait).
struct Counters {
    std::uint64_t nr_queued = 0;            // tasks waiting to be dequeued right now
    std::uint64_t nr_scheduled = 0;         // tasks your policy holds back (its last set_pending())
    std::uint64_t nr_running = 0;           // tasks running on a CPU right now
    std::uint64_t nr_online_cpus = 0;       // CPUs available
    std::uint64_t nr_user_dispatches = 0;   // decisions made by the policy so far
    std::uint64_t nr_kernel_dispatches = 0; // tasks the runtime dispatched itself (idle CPU, kernel threads)
    std::uint64_t nr_cancel_dispatches = 0; // decisions dropped because the task changed state meanwhile
    std::uint64_t nr_bounce_dispatches = 0; // decisions redirected to the shared queue (CPU not allowed)
    std::uint64_t nr_failed_dispatches = 0; // decisions that could not be delivered
    std::uint64_t nr_congestion = 0;        // tasks sent to the shared queue because the event ring was full
};

// The runtime, as seen by a policy. Passed to every hook; valid only during
// the call.
class Context {
public:
    // Next task waiting for a decision, or std::nullopt when none is waiting.
    // Call it in a loop until it returns std::nullopt.
    virtual std::optional<Task> dequeue() = 0;

    // Send a decision. Returns 0 on success, or -EINVAL when the decision is
    // invalid (a task that is not waiting for a decision, e.g. dispatched
    // twice; a CPU number out of range). A valid decision is never lost: the
    // runtime buffers it if the channel to the kernel is momentarily full.
    // A decision for an older record of a task that was queued again since
    // (you dequeued it twice) is dropped, returns 0 and counts in
    // nr_cancel_dispatches: the newer record is the one to dispatch.
    virtual int dispatch(const Dispatch &d) = 0;

    // Ask the runtime for an idle CPU for a task, as the kernel's default
    // idle-CPU selection does (prefers `prev_cpu` if idle, then a whole idle
    // core, then any idle CPU allowed for the task). Returns the CPU, now
    // reserved for that task, or a negative number if no CPU is idle. Typical
    // use: `int cpu = ctx.select_cpu(t.pid, t.cpu, 0);`
    virtual int select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t flags) = 0;

    // Number of possible CPUs; valid CPU numbers are 0 .. nr_cpus() - 1.
    virtual int nr_cpus() const = 0;

    // Monotonic time in nanoseconds (simulated time on the simulator).
    virtual std::uint64_t now() const = 0;

    // Runtime counters (see Counters).
    virtual const Counters &counters() const = 0;

    // Tell the runtime how many tasks your policy still holds in its own data
    // structures after this call (dequeued but not dispatched yet). While it is
    // non-zero, schedule() is called again as soon as a CPU frees up. Reset to
    // 0 before every schedule() call; policies that dispatch everything they
    // dequeue never need it.
    virtual void set_pending(std::uint64_t nr_tasks) = 0;

    // Let the runtime dispatch a waking task straight to an idle CPU without
    // asking the policy (on by default, like scx_rustland). Turn it off in
    // init() if your policy must see every single decision.
    virtual void set_idle_bypass(bool enabled) = 0;

protected:
    ~Context() = default;
};

// [runtime internals: not part of the policy API]
// What the runtime sees of one declared parameter (plain C layout).
struct ParamInfo {
    const char *name;
    const char *unit;
    const char *description;
    std::uint32_t kind;   // PARAM_INT, PARAM_UINT, PARAM_REAL, PARAM_BOOL
    std::uint32_t size;   // sizeof the value
    double def, min, max; // bool: 0 or 1, range [0, 1]
    void *value;          // the value inside the policy object
    ParamInfo *next;      // the policy's next parameter, or null
};
inline constexpr std::uint32_t PARAM_INT = 1, PARAM_UINT = 2, PARAM_REAL = 3, PARAM_BOOL = 4;

class Policy;
namespace detail {
// The policy object under construction: its Param members join it.
inline Policy *constructing = nullptr;
} // namespace detail
// [end of runtime internals]

// Base class of every policy. Override schedule(); init() and exit() are
// optional.
class Policy {
public:

    // Called once, before the first schedule().
    virtual void init(Context &ctx) { (void)ctx; }

    // Called whenever tasks are waiting for a decision (and again while
    // set_pending() reports held tasks). Drain ctx.dequeue() and dispatch.
    virtual void schedule(Context &ctx) = 0;

    // Called once when the scheduler stops (normal exit or ejection).
    virtual void exit(Context &ctx) { (void)ctx; }

    // [runtime internals: not part of the policy API]
    Policy()
    {
        if (!detail::constructing)
            detail::constructing = this;
    }
    virtual ~Policy()
    {
        if (detail::constructing == this)
            detail::constructing = nullptr;
    }
    const ParamInfo *params() const { return params_; } // the Param members, in declaration order

private:
    template <typename T> friend class Param;
    ParamInfo *params_ = nullptr;
    // [end of runtime internals]
};

// PARAMETERS. A policy declares the numbers a user may tune as Param
// members; the user sets them with `scx-run --param NAME=VALUE` (or
// scx-bench, scx-tune) without editing the code, and `scx-run --check`
// lists them. Declare each as a member with its name, default, range
// [min, max], unit and one line of meaning; read it like a plain value:
//
//     struct MyPolicy : scx::Policy {
//         scx::Param<std::uint64_t> slice_ns{"slice_ns", 5 * scx::NSEC_PER_MSEC,
//             {100 * scx::NSEC_PER_USEC, 100 * scx::NSEC_PER_MSEC}, "ns", "time slice of every task"};
//         scx::Param<double> boost{"boost", 0.5, {0.0, 1.0}, "", "share of the slice a waker gets back"};
//         scx::Param<bool> use_idle{"use_idle", true, "send woken tasks to an idle CPU"};
//         ...  d.slice_ns = slice_ns;   // reads the value (std::uint64_t)
//     };
//
// T is an integer type, float/double, or bool (bool has no range or unit).
// Names are lowercase [a-z][a-z0-9_]*, unique within the policy; the default
// must lie in the range; unit "ns" lets users write 2ms, 500us. The runtime
// sets the values after the constructor and before init(): use them in
// init() and later, never in the constructor. A Param is read-only for the
// policy; where a template wants a plain value, call .get():
// std::min(x, slice_ns.get()).
template <typename T> class Param {
    static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, long double>,
                  "scx::Param<T>: T must be an integer type, float, double or bool");

public:
    struct Range {
        T min, max;
    };
    Param(const char *name, T def, Range range, const char *unit, const char *description)
        requires(!std::is_same_v<T, bool>)
        : value_(def)
    {
        join(name, unit, description, static_cast<double>(def), static_cast<double>(range.min),
             static_cast<double>(range.max));
    }
    Param(const char *name, T def, const char *description)
        requires(std::is_same_v<T, bool>)
        : value_(def)
    {
        join(name, "", description, def ? 1 : 0, 0, 1);
    }
    operator T() const { return value_; }
    T get() const { return value_; }

    // [runtime internals: not part of the policy API]
    Param(const Param &o) : info_{}, value_(o.value_) {} // a copy is a plain value, not a parameter
    Param &operator=(const Param &) = delete;
    // A Param that dies before its policy (a local of the constructor, a
    // member of a freed object) leaves the policy's list.
    ~Param()
    {
        if (!owner_)
            return;
        for (ParamInfo **p = &owner_->params_; *p; p = &(*p)->next)
            if (*p == &info_) {
                *p = info_.next;
                break;
            }
    }

private:
    void join(const char *name, const char *unit, const char *description, double def, double min, double max)
    {
        std::uint32_t kind = std::is_same_v<T, bool>          ? PARAM_BOOL
                             : std::is_floating_point_v<T>    ? PARAM_REAL
                             : std::is_signed_v<T>            ? PARAM_INT
                                                              : PARAM_UINT;
        info_ = ParamInfo{name, unit, description, kind, sizeof(T), def, min, max, &value_, nullptr};
        if (Policy *p = detail::constructing) {
            ParamInfo **tail = &p->params_;
            while (*tail)
                tail = &(*tail)->next;
            *tail = &info_;
            owner_ = p;
        }
    }
    ParamInfo info_;
    T value_;
    Policy *owner_ = nullptr; // the policy whose list holds info_
    // [end of runtime internals]
};

// What a policy shared object exports (through SCX_POLICY). Plain C layout.
struct PolicyInfo {
    std::uint32_t abi;           // POLICY_ABI the policy was built with
    std::uint32_t size;          // sizeof(PolicyInfo)
    std::uint32_t task_size;     // sizeof(Task)
    std::uint32_t dispatch_size; // sizeof(Dispatch)
    const char *name;            // policy name, e.g. "fifo"
    Policy *(*create)();         // new instance
    void (*destroy)(Policy *);   // delete an instance
    std::uint32_t param_size;    // sizeof(ParamInfo)
    const ParamInfo *(*params)(const Policy *); // an instance's parameters (a list)
};

} // namespace scx

// The one exported C entry point of a policy shared object.
#define SCX_POLICY_ENTRY scx_policy_entry
#define SCX_POLICY_ENTRY_NAME "scx_policy_entry"

// Register the policy class `Class` (default-constructible, derived from
// scx::Policy) under the short name `name`. Use exactly once per policy,
// at file scope, after the class definition.
#define SCX_POLICY(Class, name)                                                        \
    extern "C" __attribute__((visibility("default"))) const ::scx::PolicyInfo *        \
    SCX_POLICY_ENTRY(void)                                                             \
    {                                                                                  \
        static const ::scx::PolicyInfo info = {                                        \
            ::scx::POLICY_ABI,                                                         \
            sizeof(::scx::PolicyInfo),                                                 \
            sizeof(::scx::Task),                                                       \
            sizeof(::scx::Dispatch),                                                   \
            (name),                                                                    \
            []() -> ::scx::Policy * {                                                  \
                ::scx::detail::constructing = nullptr;                                 \
                ::scx::Policy *p = new Class();                                        \
                ::scx::detail::constructing = nullptr;                                 \
                return p;                                                              \
            },                                                                         \
            [](::scx::Policy *p) { delete p; },                                        \
            sizeof(::scx::ParamInfo),                                                  \
            [](const ::scx::Policy *p) { return p->params(); },                        \
        };                                                                             \
        return &info;                                                                  \
    }

#endif // SCX_POLICY_HPP
