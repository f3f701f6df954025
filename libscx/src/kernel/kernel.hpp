// SPDX-License-Identifier: MIT
//
// <scx/kernel.hpp> - the kernel backend: a policy on a real sched_ext kernel.
//
// Two halves, usually in two processes (see scx/kernel_host.hpp):
//
//  - Scheduler (privileged): owns the BPF skeleton and the struct_ops link.
//    open() loads and verifies the BPF half; attach() makes it the machine's
//    scheduler; detach() (or the destructor, or the death of every process
//    holding the link) gives the machine back to the default scheduler.
//
//  - KernelContext (unprivileged): the scx::Context a policy sees. Tasks
//    arrive through the BPF ring buffer (memory-mapped, read without system
//    calls), decisions leave through the BPF user ring buffer, select_cpu()
//    claims a CPU from an idle map the BPF half keeps in shared memory. No
//    call but wait() enters the kernel (and select_cpu() for a task whose
//    affinity is restricted: sched_getaffinity()).
//
// Shared memory (see bpf/scxkit.bpf.c): the worker writes only the
// ".data.user" map (idle map, idle bypass, records consumed, tasks held);
// Scheduler::enter_worker() makes the ".bss" map (counters, exit
// information, the scheduler's pids) read-only for good in the worker.
//
// Available only when libscx was built with the `bpf` feature.

#ifndef SCX_KERNEL_HPP
#define SCX_KERNEL_HPP

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/fd.hpp"
#include <scx/policy.hpp>
#include <scx/result.hpp>

struct user_ring_buffer; // libbpf

namespace scx::kernel {

// What the running kernel offers. check_support() turns a missing piece into
// an Error (Exit::unavailable) that says what is missing.
struct Support {
    bool sched_ext = false;   // /sys/kernel/sched_ext exists (CONFIG_SCHED_CLASS_EXT)
    bool btf = false;         // /sys/kernel/btf/vmlinux exists (CONFIG_DEBUG_INFO_BTF)
    std::string state;        // /sys/kernel/sched_ext/state: "disabled", "enabled", ...
    std::string ops;          // /sys/kernel/sched_ext/root/ops when a scheduler is attached
    std::string release;      // uname -r
};
Support probe_support();
// CPUs online now (possible CPUs if sysfs says nothing).
std::uint64_t online_cpus();
Result<void> check_support(const Support &s);

struct Options {
    std::uint64_t slice_ns = SLICE_DEFAULT_NS; // default slice
    std::uint32_t timeout_ms = 0;              // watchdog timeout; 0 = the kernel's (30 s)
    bool partial = false;                      // only tasks with SCHED_EXT (SCX_OPS_SWITCH_PARTIAL)
    bool bpf_only = false;                     // reference mode: global FIFO in BPF, no user space
};

// How the BPF half stopped, as the kernel reported it (struct scx_exit_info).
struct ExitInfo {
    std::uint64_t kind = 0;  // SCX_EXIT_* (1 done, 64.. unregistered, 1024.. errors)
    std::int64_t code = 0;   // exit code (bit 48 set: the kernel asks for a restart)
    std::string reason;      // e.g. "runnable task stall"
    std::string message;     // e.g. "sched-messaging[123] failed to run for 5.4s"

    bool restart() const;    // hotplug: the kernel asks for a restart
    std::string kind_name() const; // "done", "unregistered", "sysrq", "error", "stall", ...
};

// Snapshot of the counters the BPF half keeps in .bss.
struct Stats {
    Counters counters;
    std::uint64_t nr_enqueued = 0;        // task records sent to user space
    std::uint64_t nr_sched_dispatches = 0; // the scheduler's own processes, dispatched directly
    std::uint64_t nr_heartbeats = 0;
    std::uint64_t nr_wakeups_sent = 0;
};

class KernelContext;

class Scheduler {
public:
    // Open and load the BPF half with `opts`. Needs root (CAP_BPF,
    // CAP_SYS_ADMIN); Exit::no_perm / Exit::unavailable otherwise.
    static Result<Scheduler> open(const Options &opts);

    Scheduler(Scheduler &&) noexcept;
    Scheduler &operator=(Scheduler &&) noexcept;
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;
    ~Scheduler(); // detaches and frees everything, in reverse order

    // Processes whose threads are dispatched directly (the scheduler's own:
    // slot 0 the supervisor, slot 1 the worker running the policy).
    void set_scheduler_process(int slot, pid_t tgid);

    // Attach the struct_ops link; the machine runs on scxkit from here.
    Result<void> attach();
    // Destroy the link; the kernel switches back to the default scheduler.
    void detach();
    bool attached() const;

    // The BPF half's exit information, once the kernel stopped it.
    std::optional<ExitInfo> exit_info() const;
    Stats stats() const;

    // The Context for the policy, over this scheduler's ring buffers and
    // shared memory. Create it before dropping privileges; it stays valid
    // in a forked child (the maps are inherited).
    Result<std::unique_ptr<KernelContext>> make_context();

    // In the forked worker, once `ctx` exists and before any policy code
    // runs: map the BPF state the worker must not write (.bss) read-only
    // without the right to remap it writable, and close every descriptor
    // except 0-2, `keep` and the ones `ctx` needs (the task ring and its
    // epoll). After this the process cannot reach the BPF program, its
    // counters or its other maps but through the two ring buffers and the
    // .data.user map. Do not use this Scheduler in that process afterwards.
    Result<void> enter_worker(const KernelContext &ctx, std::vector<int> keep);

    struct Impl;

private:
    explicit Scheduler(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class KernelContext final : public Context {
public:
    ~KernelContext();
    KernelContext(const KernelContext &) = delete;
    KernelContext &operator=(const KernelContext &) = delete;

    // Context.
    std::optional<Task> dequeue() override;
    int dispatch(const Dispatch &d) override;
    int select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t flags) override;
    int nr_cpus() const override { return nr_cpus_; }
    std::uint64_t now() const override;
    const Counters &counters() const override;
    void set_pending(std::uint64_t nr_tasks) override;
    void set_idle_bypass(bool enabled) override;

    // The loop around the policy (kernel_host.cpp):
    // Wait up to timeout_ms for task records or a wake-up from BPF. Returns
    // true when schedule() should run (tasks waiting, a wake-up, or the
    // policy holds tasks); false on timeout. Never fails: EINTR = timeout.
    bool wait(int timeout_ms);
    // After schedule(): send buffered decisions, publish set_pending(), and
    // yield the CPU if decisions went out, so the kernel applies them.
    void end_batch();
    // Decisions waiting for room in the user ring buffer.
    std::size_t backlog() const { return backlog_.size(); }
    bool exited() const;
    // Decisions refused (-EINVAL) and cancelled (older record) in user
    // space, which the BPF counters do not see.
    std::uint64_t user_failed() const { return user_failed_; }
    std::uint64_t user_cancelled() const { return user_cancelled_; }

    struct Shared;

private:
    friend class Scheduler;
    KernelContext() = default;
    bool next_record(Task &out);
    bool submit(const Dispatch &d);
    bool allowed_cpus(std::int32_t pid, std::uint64_t *out) const;
    void read_topology();

    Shared *shared_ = nullptr;              // the skeleton's .bss and .data.user (memory-mapped)
    struct Ring {
        int map_fd = -1;
        UniqueFd epoll;
        void *consumer_page = nullptr, *producer_area = nullptr;
        std::size_t size = 0, producer_len = 0, page = 0;
        unsigned long *consumer_pos = nullptr;
        const unsigned long *producer_pos = nullptr;
        const char *data = nullptr;
    } ring_;
    ::user_ring_buffer *dispatch_ring_ = nullptr;
    std::vector<Dispatch> backlog_;
    struct Outstanding {
        std::uint64_t seq;
        std::int32_t cpu, nr_cpus_allowed;
    };
    std::unordered_map<std::int32_t, Outstanding> outstanding_; // dequeued, not dispatched: pid -> record
    // Topology for select_cpu(), read once (sysfs) before the sandbox, as
    // bit masks of SCXKIT_MAX_CPUS bits: each CPU's SMT siblings (itself
    // included) and last-level cache. smt_: some core has two CPUs or more.
    std::vector<std::uint64_t> siblings_, llc_, all_cpus_;
    bool smt_ = false;
    mutable Counters counters_;
    std::uint64_t consumed_ = 0, pending_ = 0, user_failed_ = 0, user_cancelled_ = 0;
    int nr_cpus_ = 1;
    bool woken_ = false, submitted_ = false;
};

} // namespace scx::kernel

#endif // SCX_KERNEL_HPP
