// SPDX-License-Identifier: MIT
// The messaging workload (perf bench sched messaging semantics).
#include "native/messaging.hpp"

#include "base/clock.hpp"
#include "base/fd.hpp"
#include "base/fs.hpp"
#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>
#include <utility>
#include <vector>

namespace scx::messaging {

namespace {

constexpr int SCHED_EXT_POLICY = 7; // SCHED_EXT (not in older libc headers)
constexpr std::size_t THREAD_STACK = 64 * 1024;

// Everything a sender or receiver needs; lives in the parent until all are
// reaped (threads) or is copied by fork (processes).
struct Worker {
    bool sender = false;
    unsigned packets = 0;      // receiver: messages to read
    unsigned loops = 0;        // sender: rounds over out_fds
    int in_fd = -1;            // receiver
    int close_in_child = -1;   // receiver, process mode: its pair's write end
    std::vector<int> out_fds;  // sender
    int ready_out = -1, wake_fd = -1;
    std::atomic<int> *error = nullptr; // thread mode: first errno
    std::atomic<std::uint64_t> *cpu_ns = nullptr; // shared with the parent: CPU time since the start, summed
};

// Say ready, then block until the start signal. 0 or an errno value.
int ready(const Worker &w)
{
    const char dummy = 0;
    if (!write_full(w.ready_out, {&dummy, 1}))
        return errno ? errno : EIO;
    struct pollfd pfd = {w.wake_fd, POLLIN, 0};
    while (::poll(&pfd, 1, -1) != 1)
        if (errno != EINTR)
            return errno;
    return 0;
}

int transfer(const Worker &w)
{
    char data[DATASIZE] = {};
    if (w.sender) {
        for (unsigned i = 0; i < w.loops; i++)
            for (int fd : w.out_fds)
                if (!write_full(fd, {data, sizeof data}))
                    return errno ? errno : EIO;
    } else {
        for (unsigned i = 0; i < w.packets; i++)
            if (!read_full(w.in_fd, data, sizeof data))
                return errno ? errno : EIO;
    }
    return 0;
}

// Wait for the start, move the messages, add the CPU time that took.
int work(const Worker &w)
{
    if (int e = ready(w))
        return e;
    const std::uint64_t start = thread_cpu_ns();
    const int e = transfer(w);
    w.cpu_ns->fetch_add(thread_cpu_ns() - start, std::memory_order_relaxed);
    return e;
}

void *thread_main(void *arg)
{
    auto *w = static_cast<Worker *>(arg);
    if (int e = work(*w)) {
        int expected = 0;
        w->error->compare_exchange_strong(expected, e);
    }
    return nullptr;
}

// A pipe or a socket pair, close-on-exec.
Result<Pipe> fdpair(bool pipes)
{
    int fds[2];
    if ((pipes ? ::pipe2(fds, O_CLOEXEC) : ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)) < 0)
        return errno_error(Exit::temp_fail, pipes ? "pipe" : "socketpair", errno);
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Descriptors the parent holds at once: every pair in thread mode.
void raise_fd_limit(rlim_t want)
{
    struct rlimit rl {};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
        rl.rlim_cur = std::min(want, rl.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

// Starts and reaps the workers; cleans up whatever was started on error.
class Run {
public:
    explicit Run(const Options &o) : opts_(o) {}
    ~Run()
    {
        // Threads already started (a partial start) wait for the start
        // signal: take every other descriptor away, then hang the start
        // pipe up. They wake, fail at once (EBADF, EPIPE: SIGPIPE is
        // blocked, see run()) and are joined, so none outlives the run.
        if (!threads_.empty()) {
            owned_.clear();
            wake_.write.reset();
            for (pthread_t t : threads_)
                ::pthread_join(t, nullptr);
        }
        // Processes still running are killed and reaped by ~Subprocess.
        if (cpu_ns_)
            ::munmap(cpu_ns_, sizeof *cpu_ns_);
    }

    scx::Result<Report> go();

private:
    scx::Result<void> start(Worker &w);
    scx::Result<void> group(int ready_out, int wake_fd);
    // Keep a descriptor open for the run; returns its number.
    int own(UniqueFd fd)
    {
        owned_.push_back(std::move(fd));
        return owned_.back().get();
    }
    void close_fd(int fd)
    {
        for (auto &o : owned_)
            if (o.get() == fd) {
                o = std::move(owned_.back());
                owned_.pop_back();
                break;
            }
    }

    const Options &opts_;
    std::vector<Worker> workers_; // thread mode: must not move once started
    std::vector<pthread_t> threads_;
    std::vector<Subprocess> procs_;
    std::vector<UniqueFd> owned_;
    std::atomic<int> error_{0};
    // The workers' CPU time, in memory the processes share with this one
    // (an atomic that works across processes: one without a lock).
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
    std::atomic<std::uint64_t> *cpu_ns_ = nullptr;
    Pipe wake_;
};

scx::Result<void> Run::start(Worker &w)
{
    if (opts_.threads) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, std::max<std::size_t>(THREAD_STACK, PTHREAD_STACK_MIN));
        pthread_t t;
        const int e = ::pthread_create(&t, &attr, thread_main, &w);
        pthread_attr_destroy(&attr);
        if (e)
            return errno_error(Exit::temp_fail, "creating a messaging thread", e);
        threads_.push_back(t);
        return {};
    }
    auto p = Subprocess::fork([&] {
        // The receiver lets go of its pair's write end: it sees the end of
        // the stream if every sender is gone.
        UniqueFd(w.close_in_child).reset();
        return work(w) ? 1 : 0;
    });
    if (!p)
        return Error(Exit::temp_fail, "creating a messaging process: " + p.error().message);
    procs_.push_back(std::move(*p));
    return {};
}

scx::Result<void> Run::group(int ready_out, int wake_fd)
{
    const unsigned n = opts_.fds;
    Worker sender;
    sender.sender = true;
    sender.loops = opts_.loops;
    sender.ready_out = ready_out;
    sender.wake_fd = wake_fd;
    sender.error = &error_;
    sender.cpu_ns = cpu_ns_;
    for (unsigned i = 0; i < n; i++) {
        auto pair = fdpair(opts_.pipes);
        if (!pair)
            return std::move(pair).error();
        const int in = own(std::move(pair->read)), out = own(std::move(pair->write));
        workers_.emplace_back();
        Worker &r = workers_.back();
        r.packets = n * opts_.loops;
        r.in_fd = in;
        r.close_in_child = out;
        r.ready_out = ready_out;
        r.wake_fd = wake_fd;
        r.error = &error_;
        r.cpu_ns = cpu_ns_;
        if (auto s = start(r); !s)
            return s;
        sender.out_fds.push_back(out);
        if (!opts_.threads)
            close_fd(in);
    }
    for (unsigned i = 0; i < n; i++) {
        workers_.push_back(sender);
        if (auto s = start(workers_.back()); !s)
            return s;
    }
    if (!opts_.threads)
        for (int fd : sender.out_fds)
            close_fd(fd);
    return {};
}

// Context switches so far: of the reaped children (processes) or of this
// process, every thread that ever ran in it included (threads).
std::pair<std::uint64_t, std::uint64_t> switches(bool threads)
{
    struct rusage ru {};
    if (::getrusage(threads ? RUSAGE_SELF : RUSAGE_CHILDREN, &ru) < 0)
        return {0, 0};
    return {static_cast<std::uint64_t>(ru.ru_nvcsw), static_cast<std::uint64_t>(ru.ru_nivcsw)};
}

scx::Result<Report> Run::go()
{
    const std::size_t total = 2ULL * opts_.groups * opts_.fds;
    void *shared = ::mmap(nullptr, sizeof *cpu_ns_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return errno_error(Exit::temp_fail, "mapping the CPU time counter", errno);
    cpu_ns_ = new (shared) std::atomic<std::uint64_t>(0);
    const auto before = switches(opts_.threads);
    workers_.reserve(total);
    raise_fd_limit(static_cast<rlim_t>(total * 2 + 64));

    auto ready_pipe = fdpair(opts_.pipes), wake = fdpair(opts_.pipes);
    if (!ready_pipe || !wake)
        return Error(Exit::temp_fail, "creating the start descriptors: " +
                                          (ready_pipe ? wake : ready_pipe).error().message);
    wake_ = std::move(*wake);
    const int ready_in = own(std::move(ready_pipe->read)), ready_out = own(std::move(ready_pipe->write));
    procs_.reserve(opts_.threads ? 0 : total);
    for (unsigned g = 0; g < opts_.groups; g++)
        if (auto s = group(ready_out, wake_.read.get()); !s)
            return s.error();

    char dummy;
    for (std::size_t i = 0; i < total; i++)
        if (!read_full(ready_in, &dummy, 1))
            return Error(Exit::failure, "a messaging task died before the start");
    const double start = monotonic_s();
    dummy = 0;
    if (!write_full(wake_.write.get(), {&dummy, 1}))
        return errno_error(Exit::failure, "starting the messaging tasks", errno);

    int failed = 0;
    ExitStatus first;
    for (pthread_t t : threads_)
        ::pthread_join(t, nullptr);
    threads_.clear();
    for (Subprocess &p : procs_) {
        p.wait_for(-1);
        if (p.status().code != 0 && !failed++)
            first = p.status();
    }
    procs_.clear();
    const double stop = monotonic_s();
    if (int e = error_.load())
        return errno_error(Exit::failure, "a messaging thread failed", e);
    if (failed)
        return Error(Exit::failure, std::to_string(failed) + " messaging process(es) failed (first: " +
                                        (first.signal ? "killed by signal " + std::to_string(first.signal)
                                                      : "exit status " + std::to_string(first.code)) +
                                        ")");
    Report r;
    r.duration_s = stop - start;
    r.tasks = total;
    r.messages = static_cast<std::uint64_t>(opts_.groups) * opts_.fds * opts_.fds * opts_.loops;
    r.bytes = r.messages * DATASIZE;
    const auto after = switches(opts_.threads);
    r.voluntary_switches = after.first - before.first;
    r.involuntary_switches = after.second - before.second;
    r.cpu_s = static_cast<double>(cpu_ns_->load()) / 1e9;
    return r;
}

} // namespace

scx::Result<void> validate(const Options &opts)
{
    if (opts.groups == 0 || opts.groups > MAX_GROUPS)
        return Error(Exit::usage, "groups must be between 1 and " + std::to_string(MAX_GROUPS));
    if (opts.fds == 0 || opts.fds > MAX_FDS)
        return Error(Exit::usage, "fds must be between 1 and " + std::to_string(MAX_FDS));
    if (opts.loops == 0 || opts.loops > max_loops(opts.fds))
        return Error(Exit::usage, "loops must be at least 1 (and loops * fds must fit in 32 bits)");
    return {};
}

scx::Result<Report> run(const Options &opts)
{
    if (auto v = validate(opts); !v)
        return v.error();
    struct sched_param param {};
    const int old_policy = ::sched_getscheduler(0);
    struct sched_param old_param {};
    ::sched_getparam(0, &old_param);
    if (opts.sched_ext && ::sched_setscheduler(0, SCHED_EXT_POLICY, &param) < 0)
        return errno_error(Exit::unavailable, "switching to SCHED_EXT (a kernel with sched_ext is needed)", errno);
    // A task writing to a peer that is gone (a partial start, cleaned up)
    // must see EPIPE, not kill the process with SIGPIPE: block it for the
    // run (threads and processes inherit the mask), drop any left pending.
    sigset_t pipe_set, old_mask;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
    scx::Result<Report> r = Error(Exit::software, "not run");
    {
        Run run(opts);
        r = run.go();
    }
    const struct timespec no_wait {};
    while (::sigtimedwait(&pipe_set, nullptr, &no_wait) == SIGPIPE) {
    }
    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    if (opts.sched_ext)
        ::sched_setscheduler(0, old_policy, &old_param);
    return r;
}

std::string format_default(const Options &opts, const Report &r)
{
    const char *what = opts.threads ? "threads" : "processes";
    char buf[256];
    const auto ms = static_cast<unsigned long long>(r.duration_s * 1000.0);
    std::snprintf(buf, sizeof buf, "# %u sender and receiver %s per group\n# %u groups == %u %s run\n\n %14s: %llu.%03llu [sec]\n",
                  opts.fds, what, opts.groups, opts.groups * 2 * opts.fds, what, "Total time", ms / 1000, ms % 1000);
    return buf;
}

std::string format_simple(const Report &r)
{
    char buf[64];
    const auto ms = static_cast<unsigned long long>(r.duration_s * 1000.0);
    std::snprintf(buf, sizeof buf, "%llu.%03llu\n", ms / 1000, ms % 1000);
    return buf;
}

} // namespace scx::messaging
