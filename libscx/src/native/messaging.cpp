// SPDX-License-Identifier: MIT
// The messaging workload (perf bench sched messaging semantics).
#include "native/messaging.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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

int work(const Worker &w)
{
    if (int e = ready(w))
        return e;
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

void *thread_main(void *arg)
{
    auto *w = static_cast<Worker *>(arg);
    if (int e = work(*w)) {
        int expected = 0;
        w->error->compare_exchange_strong(expected, e);
    }
    return nullptr;
}

int fdpair(bool pipes, int fds[2])
{
    return pipes ? ::pipe2(fds, O_CLOEXEC) : ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
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
            for (int fd : owned_)
                if (fd != wake_[0] && fd != wake_[1])
                    ::close(fd);
            owned_.clear();
            if (wake_[1] >= 0)
                ::close(wake_[1]);
            for (pthread_t t : threads_)
                ::pthread_join(t, nullptr);
            if (wake_[0] >= 0)
                ::close(wake_[0]);
        }
        for (int fd : owned_)
            ::close(fd);
        for (pid_t pid : pids_) {
            ::kill(pid, SIGKILL);
            int st;
            ::waitpid(pid, &st, 0);
        }
    }

    scx::Result<Report> go();

private:
    scx::Result<void> start(Worker &w);
    scx::Result<void> group(int ready_out, int wake_fd);
    int close_fd(int fd)
    {
        for (auto &o : owned_)
            if (o == fd) {
                o = owned_.back();
                owned_.pop_back();
                break;
            }
        return ::close(fd);
    }

    const Options &opts_;
    std::vector<Worker> workers_; // thread mode: must not move once started
    std::vector<pthread_t> threads_;
    std::vector<pid_t> pids_;
    std::vector<int> owned_;
    std::atomic<int> error_{0};
    int wake_[2] = {-1, -1};
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
    const pid_t pid = ::fork();
    if (pid < 0)
        return errno_error(Exit::temp_fail, "creating a messaging process", errno);
    if (pid == 0) {
        if (w.close_in_child >= 0)
            ::close(w.close_in_child);
        ::_exit(work(w) ? 1 : 0);
    }
    pids_.push_back(pid);
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
    for (unsigned i = 0; i < n; i++) {
        int fds[2];
        if (fdpair(opts_.pipes, fds) < 0)
            return errno_error(Exit::temp_fail, opts_.pipes ? "pipe" : "socketpair", errno);
        owned_.push_back(fds[0]);
        owned_.push_back(fds[1]);
        workers_.emplace_back();
        Worker &r = workers_.back();
        r.packets = n * opts_.loops;
        r.in_fd = fds[0];
        r.close_in_child = fds[1];
        r.ready_out = ready_out;
        r.wake_fd = wake_fd;
        r.error = &error_;
        if (auto s = start(r); !s)
            return s;
        sender.out_fds.push_back(fds[1]);
        if (!opts_.threads)
            close_fd(fds[0]);
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

scx::Result<Report> Run::go()
{
    const std::size_t total = 2ULL * opts_.groups * opts_.fds;
    workers_.reserve(total);
    raise_fd_limit(static_cast<rlim_t>(total * 2 + 64));

    int readyfds[2], wakefds[2];
    if (fdpair(opts_.pipes, readyfds) < 0 || fdpair(opts_.pipes, wakefds) < 0)
        return errno_error(Exit::temp_fail, "creating the start descriptors", errno);
    for (int fd : {readyfds[0], readyfds[1], wakefds[0], wakefds[1]})
        owned_.push_back(fd);
    wake_[0] = wakefds[0];
    wake_[1] = wakefds[1];
    for (unsigned g = 0; g < opts_.groups; g++)
        if (auto s = group(readyfds[1], wakefds[0]); !s)
            return s.error();

    char dummy;
    for (std::size_t i = 0; i < total; i++)
        if (!read_full(readyfds[0], &dummy, 1))
            return Error(Exit::failure, "a messaging task died before the start");
    const double start = monotonic_s();
    dummy = 0;
    if (!write_full(wakefds[1], {&dummy, 1}))
        return errno_error(Exit::failure, "starting the messaging tasks", errno);

    int failed = 0, first_status = 0;
    for (pthread_t t : threads_)
        ::pthread_join(t, nullptr);
    threads_.clear();
    for (pid_t pid : pids_) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (!failed++)
                first_status = status;
        }
    }
    pids_.clear();
    const double stop = monotonic_s();
    if (int e = error_.load())
        return errno_error(Exit::failure, "a messaging thread failed", e);
    if (failed)
        return Error(Exit::failure, std::to_string(failed) + " messaging process(es) failed (first: " +
                                        (WIFSIGNALED(first_status) ? "killed by signal " + std::to_string(WTERMSIG(first_status))
                                                                   : "exit status " + std::to_string(WEXITSTATUS(first_status))) +
                                        ")");
    Report r;
    r.duration_s = stop - start;
    r.tasks = total;
    r.messages = static_cast<std::uint64_t>(opts_.groups) * opts_.fds * opts_.fds * opts_.loops;
    r.bytes = r.messages * DATASIZE;
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
