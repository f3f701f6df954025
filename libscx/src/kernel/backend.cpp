// SPDX-License-Identifier: MIT
// The kernel backend: BPF skeleton, struct_ops link and the policy's Context
// over the two ring buffers.
#include "kernel/kernel.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "kernel/sysfs.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <type_traits>

// The skeleton spells the BPF side's types.
typedef std::uint32_t u32;
typedef std::int32_t s32;
typedef std::uint64_t u64;
typedef std::int64_t s64;
#include "scxkit.skel.h"

extern "C" {
#include "intf.h"
}

#include "policy/idle_select.hpp"

namespace scx::kernel {

// The records travel as they are: the BPF layouts are the policy's.
static_assert(sizeof(scxkit_task) == sizeof(Task) && offsetof(scxkit_task, seq) == offsetof(Task, seq) &&
                  offsetof(scxkit_task, comm) == offsetof(Task, comm) &&
                  offsetof(scxkit_task, vtime) == offsetof(Task, vtime),
              "scxkit_task must have the layout of scx::Task");
static_assert(sizeof(scxkit_dispatch) == sizeof(Dispatch) && offsetof(scxkit_dispatch, seq) == offsetof(Dispatch, seq) &&
                  offsetof(scxkit_dispatch, vtime) == offsetof(Dispatch, vtime),
              "scxkit_dispatch must have the layout of scx::Dispatch");
static_assert(std::is_trivially_copyable_v<Task> && std::is_trivially_copyable_v<Dispatch>);
static_assert(SCXKIT_ENQ_WAKEUP == ENQ_WAKEUP && SCXKIT_ENQ_HEAD == ENQ_HEAD && SCXKIT_ENQ_PREEMPT == ENQ_PREEMPT &&
              SCXKIT_ENQ_REENQ == ENQ_REENQ && SCXKIT_DISPATCH_PREEMPT == DISPATCH_PREEMPT);

using Bss = std::remove_pointer_t<decltype(scxkit::bss)>;
using UserData = std::remove_pointer_t<decltype(scxkit::data_user)>;

namespace {

constexpr int CPU_WORDS = SCXKIT_MAX_CPUS / 64;

// libbpf talks through a print callback; keep its warnings (the verifier log
// on a failed load) for the error message instead of printing them.
std::mutex log_mutex;
std::string libbpf_log;

int collect_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    va_list copy;
    va_copy(copy, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n <= 0)
        return 0;
    std::string buf(static_cast<std::size_t>(n) + 1, '\0');
    std::vsnprintf(buf.data(), buf.size(), fmt, args);
    buf.pop_back();
    std::lock_guard<std::mutex> lock(log_mutex);
    libbpf_log += buf;
    if (libbpf_log.size() > 256 * 1024)
        libbpf_log.erase(0, libbpf_log.size() - 256 * 1024);
    return 0;
}

std::string take_libbpf_log()
{
    std::lock_guard<std::mutex> lock(log_mutex);
    std::string s;
    s.swap(libbpf_log);
    // The tail is where the verifier says what it refused.
    if (s.size() > 4000)
        s = "...\n" + s.substr(s.size() - 4000);
    while (!s.empty() && s.back() == '\n')
        s.pop_back();
    return s;
}

Error bpf_error(const std::string &what, int err)
{
    const int e = err < 0 ? -err : err;
    Exit code = (e == EPERM || e == EACCES) ? Exit::no_perm : Exit::unavailable;
    std::string msg = what + ": " + std::strerror(e);
    if (e == EBUSY)
        msg += " (another sched_ext scheduler is attached)";
    const std::string log = take_libbpf_log();
    if (!log.empty())
        msg += "\nlibbpf:\n" + log;
    return Error(code, msg);
}

// Calls f(cpu) for every CPU of a sysfs list such as "0-3,6".
template <typename F> void for_each_in_list(const std::string &list, F &&f)
{
    std::size_t pos = 0;
    while (pos < list.size()) {
        std::size_t end = list.find(',', pos);
        if (end == std::string::npos)
            end = list.size();
        const std::string range = list.substr(pos, end - pos);
        const auto dash = range.find('-');
        const unsigned long lo = std::strtoul(range.c_str(), nullptr, 10);
        const unsigned long hi = dash == std::string::npos ? lo : std::strtoul(range.c_str() + dash + 1, nullptr, 10);
        for (unsigned long cpu = lo; cpu <= hi && cpu < (1UL << 20); cpu++)
            f(static_cast<int>(cpu));
        pos = end + 1;
    }
}

// CPUs online now (possible CPUs if sysfs says nothing).
std::uint64_t online_cpus()
{
    std::uint64_t n = 0;
    for_each_in_list(read_first_line("/sys/devices/system/cpu/online"), [&](int) { n++; });
    if (n == 0) {
        const int cpus = libbpf_num_possible_cpus();
        n = cpus > 0 ? static_cast<std::uint64_t>(cpus) : 1;
    }
    return n;
}

std::uint64_t load_acquire(const std::uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

} // namespace

// ---------------------------------------------------------------- support

Support probe_support()
{
    Support s;
    const auto status = sched_ext::read_status();
    s.sched_ext = status.present;
    s.btf = file_exists("/sys/kernel/btf/vmlinux");
    s.state = status.state;
    s.ops = status.ops;
    struct utsname u {};
    if (::uname(&u) == 0)
        s.release = u.release;
    return s;
}

Result<void> check_support(const Support &s)
{
    if (!s.sched_ext)
        return Error(Exit::unavailable, "this kernel (" + s.release +
                                            ") has no sched_ext: /sys/kernel/sched_ext is missing (a kernel "
                                            "built with CONFIG_SCHED_CLASS_EXT=y is needed; scxkit is tested on "
                                            "6.16 to 7.3)");
    if (!s.btf)
        return Error(Exit::unavailable, "this kernel (" + s.release +
                                            ") exposes no BTF: /sys/kernel/btf/vmlinux is missing "
                                            "(CONFIG_DEBUG_INFO_BTF=y is needed)");
    if (s.state != "disabled")
        return Error(Exit::unavailable, "another sched_ext scheduler is active (state " + s.state +
                                            (s.ops.empty() ? "" : ", ops " + s.ops) + "); stop it first");
    return {};
}

// ---------------------------------------------------------------- exit info

bool ExitInfo::restart() const { return (static_cast<std::uint64_t>(code) & SCXKIT_ECODE_ACT_RESTART) != 0; }

std::string ExitInfo::kind_name() const
{
    switch (kind) {
    case 0: return "none";
    case 1: return "done";
    case 64: return "unregistered";
    case 65: return "unregistered-bpf";
    case 66: return "unregistered-kernel";
    case 67: return "sysrq";
    case 1024: return "error";
    case 1025: return "error-bpf";
    case 1026: return "stall";
    default: break;
    }
    return (kind >= 1024 ? "error-" : "exit-") + std::to_string(kind);
}

// ---------------------------------------------------------------- scheduler

struct Scheduler::Impl {
    Options opts;
    std::uint64_t nr_online_cpus = 1; // read once: a hotplug restarts the scheduler
    scxkit *skel = nullptr;
    bpf_link *link = nullptr;

    ~Impl()
    {
        if (link)
            bpf_link__destroy(link);
        if (skel)
            scxkit::destroy(skel);
    }
};

Scheduler::Scheduler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scheduler::Scheduler(Scheduler &&) noexcept = default;
Scheduler &Scheduler::operator=(Scheduler &&) noexcept = default;
Scheduler::~Scheduler() = default;

Result<Scheduler> Scheduler::open(const Options &opts)
{
    libbpf_set_print(collect_libbpf);
    take_libbpf_log();
    auto impl = std::make_unique<Impl>();
    impl->opts = opts;
    impl->nr_online_cpus = online_cpus();
    impl->skel = scxkit::open();
    if (!impl->skel)
        return bpf_error("opening the BPF object", errno);
    scxkit *skel = impl->skel;

    skel->rodata->slice_dfl_ns = opts.slice_ns ? opts.slice_ns : SLICE_DEFAULT_NS;
    auto *ops = skel->struct_ops.scxkit_ops;
    if (opts.timeout_ms)
        ops->timeout_ms = opts.timeout_ms;
    if (opts.partial)
        ops->flags |= 8; // SCX_OPS_SWITCH_PARTIAL
    // CPU hotplug between load and attach makes attach fail; the kernel
    // compares this sequence number.
    const std::string seq = read_first_line(std::string(sched_ext::SYSFS_ROOT) + "/hotplug_seq");
    if (!seq.empty())
        ops->hotplug_seq = std::strtoull(seq.c_str(), nullptr, 10);

    if (int err = scxkit::load(skel); err)
        return bpf_error("loading the BPF scheduler", err);
    skel->bss->bpf_only = opts.bpf_only;
    return Scheduler(std::move(impl));
}

void Scheduler::set_scheduler_process(int slot, pid_t tgid)
{
    if (slot >= 0 && slot < 2)
        __atomic_store_n(&impl_->skel->bss->sched_tgid[slot], tgid, __ATOMIC_RELEASE);
}

Result<void> Scheduler::attach()
{
    if (impl_->link)
        return {};
    take_libbpf_log();
    bpf_link *link = bpf_map__attach_struct_ops(impl_->skel->maps.scxkit_ops);
    if (!link)
        return bpf_error("attaching the scheduler", errno);
    impl_->link = link;
    return {};
}

void Scheduler::detach()
{
    if (impl_->link) {
        bpf_link__destroy(impl_->link);
        impl_->link = nullptr;
    }
}

bool Scheduler::attached() const { return impl_->link != nullptr; }

std::optional<ExitInfo> Scheduler::exit_info() const
{
    const Bss *bss = impl_->skel->bss;
    const std::uint64_t kind = load_acquire(&bss->exit_kind);
    if (!kind)
        return std::nullopt;
    ExitInfo e;
    e.kind = kind;
    e.code = bss->exit_code;
    e.reason.assign(bss->exit_reason, strnlen(bss->exit_reason, sizeof bss->exit_reason));
    e.message.assign(bss->exit_msg, strnlen(bss->exit_msg, sizeof bss->exit_msg));
    return e;
}

Stats Scheduler::stats() const
{
    const Bss *b = impl_->skel->bss;
    Stats s;
    Counters &c = s.counters;
    s.nr_enqueued = load_acquire(&b->nr_enqueued);
    const UserData *u = impl_->skel->data_user;
    const std::uint64_t dequeued = load_acquire(&u->nr_user_dequeued);
    c.nr_queued = s.nr_enqueued > dequeued ? s.nr_enqueued - dequeued : 0;
    c.nr_scheduled = load_acquire(&u->nr_scheduled);
    c.nr_running = load_acquire(&b->nr_running);
    c.nr_online_cpus = impl_->nr_online_cpus;
    c.nr_user_dispatches = load_acquire(&b->nr_user_dispatches);
    c.nr_kernel_dispatches = load_acquire(&b->nr_kernel_dispatches);
    c.nr_cancel_dispatches = load_acquire(&b->nr_cancel_dispatches);
    c.nr_bounce_dispatches = load_acquire(&b->nr_bounce_dispatches);
    c.nr_failed_dispatches = load_acquire(&b->nr_failed_dispatches);
    c.nr_congestion = load_acquire(&b->nr_congestion);
    s.nr_sched_dispatches = load_acquire(&b->nr_sched_dispatches);
    s.nr_heartbeats = load_acquire(&b->nr_heartbeats);
    s.nr_wakeups_sent = load_acquire(&b->nr_wakeups_sent);
    return s;
}

struct KernelContext::Shared {
    const Bss *bss;  // read-only in the worker (Scheduler::enter_worker)
    UserData *user;
};

Result<std::unique_ptr<KernelContext>> Scheduler::make_context()
{
    std::unique_ptr<KernelContext> ctx(new KernelContext());
    scxkit *skel = impl_->skel;
    ctx->shared_ = new KernelContext::Shared{skel->bss, skel->data_user};
    const int cpus = libbpf_num_possible_cpus();
    ctx->nr_cpus_ = cpus > 0 ? std::min(cpus, static_cast<int>(SCXKIT_MAX_CPUS)) : 1;
    ctx->read_topology();

    // The task ring, read directly: consumer position (read-write page),
    // then producer position and the data area mapped twice (read-only), as
    // the kernel lays a BPF ring buffer out.
    auto &r = ctx->ring_;
    r.map_fd = bpf_map__fd(skel->maps.queued);
    r.size = bpf_map__max_entries(skel->maps.queued);
    r.page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    r.consumer_page = ::mmap(nullptr, r.page, PROT_READ | PROT_WRITE, MAP_SHARED, r.map_fd, 0);
    if (r.consumer_page == MAP_FAILED) {
        r.consumer_page = nullptr;
        return errno_error(Exit::software, "mapping the task ring buffer", errno);
    }
    r.producer_len = r.page + 2 * r.size;
    r.producer_area = ::mmap(nullptr, r.producer_len, PROT_READ, MAP_SHARED, r.map_fd, static_cast<off_t>(r.page));
    if (r.producer_area == MAP_FAILED) {
        r.producer_area = nullptr;
        return errno_error(Exit::software, "mapping the task ring buffer", errno);
    }
    r.consumer_pos = static_cast<unsigned long *>(r.consumer_page);
    r.producer_pos = static_cast<const unsigned long *>(r.producer_area);
    r.data = static_cast<const char *>(r.producer_area) + r.page;
    r.epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!r.epoll)
        return errno_error(Exit::software, "epoll_create1", errno);
    struct epoll_event ev {};
    ev.events = EPOLLIN;
    if (::epoll_ctl(r.epoll.get(), EPOLL_CTL_ADD, r.map_fd, &ev) < 0)
        return errno_error(Exit::software, "watching the task ring buffer", errno);

    ctx->dispatch_ring_ = user_ring_buffer__new(bpf_map__fd(skel->maps.dispatched), nullptr);
    if (!ctx->dispatch_ring_)
        return errno_error(Exit::software, "mapping the dispatch ring buffer", errno);

    // Preallocate, so the scheduling loop does not allocate for itself.
    ctx->backlog_.reserve(SCXKIT_DISPATCH_RING_BYTES / sizeof(Dispatch));
    ctx->outstanding_.reserve(1 << 16);
    // A CPU going on- or offline restarts the scheduler, and with it this
    // context: the count stays right.
    ctx->counters_.nr_online_cpus = impl_->nr_online_cpus;
    return ctx;
}

Result<void> Scheduler::enter_worker(const KernelContext &ctx, std::vector<int> keep)
{
    // Replace the inherited read-write mapping of .bss with a read-only one
    // at the same address. The kernel drops VM_MAYWRITE from a read-only
    // mapping of a BPF map, so no mprotect() can make it writable again;
    // check that rather than trust it.
    scxkit *skel = impl_->skel;
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t len = (bpf_map__value_size(skel->maps.bss) + page - 1) / page * page;
    void *addr = skel->bss;
    if (::mmap(addr, len, PROT_READ, MAP_SHARED | MAP_FIXED, bpf_map__fd(skel->maps.bss), 0) == MAP_FAILED)
        return errno_error(Exit::software, "mapping the BPF counters read-only", errno);
    if (::mprotect(addr, len, PROT_READ | PROT_WRITE) == 0)
        return Error(Exit::software, "the BPF counters could be made writable again in the policy's process");

    // Close everything else: the BPF object's programs and maps, the
    // supervisor's descriptors. The user ring buffer needs only its mapping.
    keep.insert(keep.end(), {0, 1, 2, ctx.ring_.map_fd, ctx.ring_.epoll.get()});
    std::sort(keep.begin(), keep.end());
    unsigned int from = 0;
    for (int fd : keep) {
        if (fd < 0)
            continue;
        const auto ufd = static_cast<unsigned int>(fd);
        if (ufd > from && ::close_range(from, ufd - 1, 0) < 0)
            return errno_error(Exit::software, "closing descriptors", errno);
        from = std::max(from, ufd + 1);
    }
    if (::close_range(from, ~0U, 0) < 0)
        return errno_error(Exit::software, "closing descriptors", errno);
    return {};
}

// ---------------------------------------------------------------- context

KernelContext::~KernelContext()
{
    if (dispatch_ring_)
        user_ring_buffer__free(dispatch_ring_);
    if (ring_.producer_area)
        ::munmap(ring_.producer_area, ring_.producer_len);
    if (ring_.consumer_page)
        ::munmap(ring_.consumer_page, ring_.page);
    delete shared_;
}

// One record from the task ring, or false when it is empty. Wake-up records
// (no task) are consumed and remembered.
bool KernelContext::next_record(Task &out)
{
    constexpr std::uint32_t BUSY = 1U << 31, DISCARD = 1U << 30, HDR = 8;
    auto &r = ring_;
    for (;;) {
        const unsigned long cons = *r.consumer_pos;
        const unsigned long prod = __atomic_load_n(r.producer_pos, __ATOMIC_ACQUIRE);
        if (cons >= prod)
            return false;
        const auto *hdr = reinterpret_cast<const std::uint32_t *>(r.data + (cons & (r.size - 1)));
        const std::uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
        if (len & BUSY)
            return false; // reserved, not submitted yet
        const std::uint32_t size = len & ~(BUSY | DISCARD);
        bool is_task = false;
        if (!(len & DISCARD) && size >= sizeof(scxkit_task)) {
            scxkit_task rec;
            std::memcpy(&rec, reinterpret_cast<const char *>(hdr) + HDR, sizeof rec);
            if (rec.kind == SCXKIT_REC_TASK) {
                std::memcpy(static_cast<void *>(&out), &rec, sizeof out);
                out.reserved0 = 0;
                is_task = true;
            } else {
                woken_ = true;
            }
        }
        __atomic_store_n(r.consumer_pos, cons + ((size + HDR + 7) & ~7UL), __ATOMIC_RELEASE);
        if (is_task)
            return true;
    }
}

std::optional<Task> KernelContext::dequeue()
{
    Task t;
    if (!next_record(t))
        return std::nullopt;
    consumed_++;
    __atomic_store_n(&shared_->user->nr_user_dequeued, consumed_, __ATOMIC_RELEASE);
    outstanding_[t.pid] = Outstanding{t.seq, t.cpu, t.nr_cpus_allowed};
    return t;
}

bool KernelContext::submit(const Dispatch &d)
{
    void *slot = user_ring_buffer__reserve(dispatch_ring_, sizeof(scxkit_dispatch));
    if (!slot)
        return false;
    std::memcpy(slot, &d, sizeof(scxkit_dispatch));
    user_ring_buffer__submit(dispatch_ring_, slot);
    submitted_ = true;
    return true;
}

int KernelContext::dispatch(const Dispatch &d)
{
    auto it = outstanding_.find(d.pid);
    if (it == outstanding_.end() || d.seq > it->second.seq || d.seq == 0) {
        user_failed_++;
        return -EINVAL;
    }
    if (d.cpu != ANY_CPU && (d.cpu < 0 || d.cpu >= nr_cpus_)) {
        user_failed_++;
        return -EINVAL;
    }
    if (d.seq < it->second.seq) {
        // A decision for an older record of a task queued again since:
        // the kernel would drop it; so do we.
        user_cancelled_++;
        return 0;
    }
    outstanding_.erase(it);
    if (!backlog_.empty() || !submit(d))
        backlog_.push_back(d);
    return 0;
}

void KernelContext::read_topology()
{
    const auto n = static_cast<std::size_t>(nr_cpus_) * CPU_WORDS;
    siblings_.assign(n, 0);
    llc_.assign(n, 0);
    all_cpus_.assign(CPU_WORDS, 0);
    auto set = [](std::uint64_t *bits, int cpu) {
        if (cpu >= 0 && cpu < SCXKIT_MAX_CPUS)
            bits[cpu / 64] |= 1ULL << (cpu % 64);
    };
    for (int cpu = 0; cpu < nr_cpus_; cpu++) {
        std::uint64_t *sib = &siblings_[static_cast<std::size_t>(cpu) * CPU_WORDS];
        std::uint64_t *llc = &llc_[static_cast<std::size_t>(cpu) * CPU_WORDS];
        const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu);
        set(&all_cpus_[0], cpu);
        set(sib, cpu);
        int nr_siblings = 0;
        for_each_in_list(read_first_line(dir + "/topology/thread_siblings_list"), [&](int c) {
            set(sib, c);
            nr_siblings++;
        });
        smt_ = smt_ || nr_siblings > 1;
        // The last-level cache: the highest cache index (they are numbered
        // from 0 without gaps) that lists CPUs.
        std::string shared;
        for (int index = 0; index < 8; index++) {
            std::string l = read_first_line(dir + "/cache/index" + std::to_string(index) + "/shared_cpu_list");
            if (l.empty())
                break;
            shared = l;
        }
        if (shared.empty())
            std::fill(llc, llc + CPU_WORDS, ~0ULL);
        else
            for_each_in_list(shared, [&](int c) { set(llc, c); });
    }
}

// The task's affinity as a CPU mask. Unrestricted tasks (the usual case)
// need no system call.
bool KernelContext::allowed_cpus(std::int32_t pid, std::uint64_t *out) const
{
    auto it = outstanding_.find(pid);
    if (it != outstanding_.end() && it->second.nr_cpus_allowed >= nr_cpus_) {
        std::copy(all_cpus_.begin(), all_cpus_.end(), out);
        return true;
    }
    unsigned long mask[128] = {}; // 8192 CPUs: more than any kernel's nr_cpu_ids here
    static_assert(sizeof(unsigned long) == sizeof(std::uint64_t));
    if (::sched_getaffinity(pid, sizeof mask, reinterpret_cast<cpu_set_t *>(mask)) < 0)
        return false;
    for (int w = 0; w < CPU_WORDS; w++)
        out[w] = mask[w] & all_cpus_[static_cast<std::size_t>(w)];
    return true;
}

int KernelContext::select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t)
{
    std::uint64_t allowed[CPU_WORDS];
    if (!allowed_cpus(pid, allowed))
        return -EINVAL; // no such task
    if (prev_cpu < 0 || prev_cpu >= nr_cpus_) {
        auto it = outstanding_.find(pid);
        prev_cpu = it != outstanding_.end() && it->second.cpu >= 0 && it->second.cpu < nr_cpus_ ? it->second.cpu : 0;
    }
    // The BPF half keeps the idle map (ops.update_idle); claim a CPU by
    // clearing its bit, so two decisions never get the same one. Another
    // claimer may win the race: look again.
    std::uint64_t *mask = shared_->user->idle_mask;
    const detail::CpuTopology topo{nr_cpus_, CPU_WORDS, smt_, siblings_.data(), llc_.data()};
    for (int attempt = 0; attempt < 8; attempt++) {
        std::uint64_t idle[CPU_WORDS], scratch[CPU_WORDS];
        for (int w = 0; w < CPU_WORDS; w++)
            idle[w] = __atomic_load_n(&mask[w], __ATOMIC_ACQUIRE);
        const int cpu = detail::select_idle_cpu(topo, idle, allowed, prev_cpu, scratch);
        if (cpu < 0)
            return -EBUSY;
        const std::uint64_t bit = 1ULL << (cpu % 64);
        if (__atomic_fetch_and(&mask[cpu / 64], ~bit, __ATOMIC_ACQ_REL) & bit)
            return cpu;
    }
    return -EBUSY;
}

std::uint64_t KernelContext::now() const { return monotonic_ns(); }

const Counters &KernelContext::counters() const
{
    const Bss *b = shared_->bss;
    Counters &c = counters_;
    const std::uint64_t enq = load_acquire(&b->nr_enqueued);
    c.nr_queued = enq > consumed_ ? enq - consumed_ : 0;
    c.nr_scheduled = pending_;
    c.nr_running = load_acquire(&b->nr_running);
    c.nr_user_dispatches = load_acquire(&b->nr_user_dispatches);
    c.nr_kernel_dispatches = load_acquire(&b->nr_kernel_dispatches);
    c.nr_cancel_dispatches = load_acquire(&b->nr_cancel_dispatches) + user_cancelled_;
    c.nr_bounce_dispatches = load_acquire(&b->nr_bounce_dispatches);
    c.nr_failed_dispatches = load_acquire(&b->nr_failed_dispatches) + user_failed_;
    c.nr_congestion = load_acquire(&b->nr_congestion);
    return c;
}

void KernelContext::set_pending(std::uint64_t nr_tasks) { pending_ = nr_tasks; }

void KernelContext::set_idle_bypass(bool enabled)
{
    __atomic_store_n(&shared_->user->idle_bypass, enabled, __ATOMIC_RELEASE);
}

bool KernelContext::exited() const { return load_acquire(&shared_->bss->exit_kind) != 0; }

bool KernelContext::wait(int timeout_ms)
{
    auto ready = [&] {
        const unsigned long prod = __atomic_load_n(ring_.producer_pos, __ATOMIC_ACQUIRE);
        return woken_ || *ring_.consumer_pos < prod;
    };
    if (!ready()) {
        struct epoll_event ev {};
        (void)::epoll_wait(ring_.epoll.get(), &ev, 1, timeout_ms);
    }
    if (!ready())
        return false;
    woken_ = false;
    return true;
}

void KernelContext::end_batch()
{
    std::size_t sent = 0;
    while (sent < backlog_.size() && submit(backlog_[sent]))
        sent++;
    backlog_.erase(backlog_.begin(), backlog_.begin() + static_cast<std::ptrdiff_t>(sent));
    __atomic_store_n(&shared_->user->nr_scheduled, pending_, __ATOMIC_RELEASE);
    if (submitted_) {
        // Let this CPU go through ops.dispatch, which applies the decisions.
        submitted_ = false;
        ::sched_yield();
    }
}

} // namespace scx::kernel
