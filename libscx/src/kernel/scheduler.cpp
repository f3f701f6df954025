// SPDX-License-Identifier: MIT
// The scheduler object: the BPF skeleton, its struct_ops link, the kernel's
// exit information and counters, and the policy's context over its maps.
#include "kernel/skeleton.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "kernel/sysfs.hpp"

#include <bpf/bpf.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace scx::kernel {

namespace {

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

} // namespace

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
    keep.insert(keep.end(), {ctx.ring_.map_fd, ctx.ring_.epoll.get()});
    return close_all_but(std::move(keep));
}

} // namespace scx::kernel
