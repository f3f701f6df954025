// SPDX-License-Identifier: MIT
#include "base/process.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace scx {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto STOP_GRACE = std::chrono::seconds(1);
constexpr int POLL_MS = 100;

double seconds_of(const struct timeval &tv)
{
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

Result<void> set_limit(int resource, rlim_t value, const char *name)
{
    struct rlimit rl = {value, value};
    struct rlimit old {};
    // Never raise a hard limit (that needs privileges): take the lower one.
    if (::getrlimit(resource, &old) == 0 && old.rlim_max != RLIM_INFINITY && old.rlim_max < value)
        rl.rlim_cur = rl.rlim_max = old.rlim_max;
    if (::setrlimit(resource, &rl) != 0)
        return errno_error(Exit::software, std::string("cannot set ") + name, errno);
    return {};
}

// Stops a child once: SIGTERM, then SIGKILL after a grace period.
class Stopper {
public:
    explicit Stopper(Subprocess &p) : p_(p) {}
    bool started() const { return started_; }
    void tick()
    {
        const auto now = Clock::now();
        if (!started_) {
            p_.signal(SIGTERM);
            started_ = true;
            since_ = now;
        } else if (!killed_ && now - since_ >= STOP_GRACE) {
            p_.signal(SIGKILL);
            killed_ = true;
        }
    }

private:
    Subprocess &p_;
    bool started_ = false, killed_ = false;
    Clock::time_point since_;
};

} // namespace

Result<void> apply_limits(const Limits &l)
{
    if (l.address_space)
        if (auto r = set_limit(RLIMIT_AS, l.address_space, "the memory limit (RLIMIT_AS)"); !r)
            return r;
    if (l.cpu_s)
        if (auto r = set_limit(RLIMIT_CPU, l.cpu_s, "the CPU time limit (RLIMIT_CPU)"); !r)
            return r;
    if (l.open_files)
        if (auto r = set_limit(RLIMIT_NOFILE, l.open_files, "the open files limit (RLIMIT_NOFILE)"); !r)
            return r;
    if (l.no_core)
        if (auto r = set_limit(RLIMIT_CORE, 0, "the core file limit (RLIMIT_CORE)"); !r)
            return r;
    if (l.no_processes)
        if (auto r = set_limit(RLIMIT_NPROC, 0, "the process limit (RLIMIT_NPROC)"); !r)
            return r;
    return {};
}

std::string describe_signal(int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    std::string s = strsignal(sig);
    if (abbrev)
        s += std::string(" (SIG") + abbrev + ")";
    return s;
}

Subprocess::~Subprocess() { kill_and_reap(); }

Subprocess::Subprocess(Subprocess &&o) noexcept
    : pid_(o.pid_), group_(o.group_), reaped_(o.reaped_), status_(o.status_), pidfd_(std::move(o.pidfd_))
{
    o.reaped_ = true;
}

Subprocess &Subprocess::operator=(Subprocess &&o) noexcept
{
    if (this != &o) {
        kill_and_reap();
        pid_ = o.pid_;
        group_ = o.group_;
        reaped_ = o.reaped_;
        status_ = o.status_;
        pidfd_ = std::move(o.pidfd_);
        o.reaped_ = true;
    }
    return *this;
}

Result<Subprocess> Subprocess::start(const std::function<void()> &child, const SpawnOptions &opts)
{
    const pid_t parent = ::getpid();
    std::fflush(nullptr); // nothing buffered is written twice
    const pid_t pid = ::fork();
    if (pid < 0)
        return errno_error(Exit::software, "cannot create a process", errno);
    if (pid == 0) {
        if (opts.own_group)
            ::setpgid(0, 0);
        if (opts.death_signal) {
            ::prctl(PR_SET_PDEATHSIG, opts.death_signal);
            if (::getppid() != parent)
                ::_exit(127);
        }
        if (opts.in >= 0)
            ::dup2(opts.in, STDIN_FILENO);
        if (opts.out >= 0)
            ::dup2(opts.out, STDOUT_FILENO);
        if (opts.err >= 0)
            ::dup2(opts.err, STDERR_FILENO);
        if (!apply_limits(opts.limits))
            ::_exit(126);
        child();
        ::_exit(127);
    }
    Subprocess p;
    p.pid_ = pid;
    p.group_ = opts.own_group;
    p.reaped_ = false;
    if (opts.own_group)
        ::setpgid(pid, pid); // also here: no window where a signal to the group misses it
    return p;
}

Result<Subprocess> Subprocess::exec(const std::vector<std::string> &argv, const SpawnOptions &opts)
{
    if (argv.empty())
        return Error(Exit::software, "spawn: empty command");
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    // The environment with opts.env on top, built before fork(): the child
    // only calls exec.
    std::vector<std::string> env_store;
    std::vector<char *> envp;
    if (!opts.env.empty()) {
        auto name_of = [](std::string_view e) { return e.substr(0, e.find('=')); };
        for (char **e = environ; *e; e++) {
            const std::string_view entry(*e);
            if (std::none_of(opts.env.begin(), opts.env.end(),
                             [&](const std::string &o) { return name_of(o) == name_of(entry); }))
                env_store.emplace_back(entry);
        }
        env_store.insert(env_store.end(), opts.env.begin(), opts.env.end());
        for (auto &e : env_store)
            envp.push_back(e.data());
        envp.push_back(nullptr);
    }
    // An exec failure comes back through a close-on-exec pipe.
    auto errpipe = make_pipe();
    if (!errpipe)
        return std::move(errpipe).error();
    auto p = start(
        [&] {
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            if (envp.empty())
                ::execvp(args[0], args.data());
            else
                ::execvpe(args[0], args.data(), envp.data());
            const int e = errno;
            [[maybe_unused]] ssize_t n = ::write(errpipe->write.get(), &e, sizeof e);
        },
        opts);
    if (!p)
        return p;
    errpipe->write.reset();
    int child_errno = 0;
    ssize_t n;
    while ((n = ::read(errpipe->read.get(), &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
    }
    if (n == static_cast<ssize_t>(sizeof child_errno)) {
        p->reap(true);
        return errno_error(Exit::unavailable, "cannot run " + argv[0], child_errno);
    }
    if (!p->running() && p->status_.code == 126)
        return Error(Exit::software, "cannot run " + argv[0] + ": its resource limits could not be set");
    return p;
}

Result<Subprocess> Subprocess::fork(const std::function<int()> &body, const SpawnOptions &opts)
{
    return start(
        [&] {
            // A crash must kill the child with its signal, whatever handlers
            // the caller installed, so that the caller can say what happened.
            for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGXCPU})
                std::signal(sig, SIG_DFL);
            int rc = 124;
            try {
                rc = body();
            } catch (...) {
            }
            std::fflush(nullptr); // what the body printed, since _exit() will not
            ::_exit(rc);
        },
        opts);
}

bool Subprocess::reap(bool block)
{
    if (reaped_)
        return true;
    int st = 0;
    struct rusage ru {};
    pid_t w;
    while ((w = ::wait4(pid_, &st, block ? 0 : WNOHANG, &ru)) < 0 && errno == EINTR) {
    }
    if (w == 0)
        return false;
    reaped_ = true;
    if (w < 0) // ECHILD: someone else reaped it
        return true;
    status_.user_s = seconds_of(ru.ru_utime);
    status_.system_s = seconds_of(ru.ru_stime);
    if (WIFEXITED(st)) {
        status_.code = WEXITSTATUS(st);
        status_.signal = 0;
    } else if (WIFSIGNALED(st)) {
        status_.code = -1;
        status_.signal = WTERMSIG(st);
    }
    pidfd_.reset();
    return true;
}

bool Subprocess::running() { return !reap(false); }

void Subprocess::signal(int sig)
{
    if (!reaped_)
        ::kill(group_ ? -pid_ : pid_, sig);
}

int Subprocess::exit_fd()
{
    if (!pidfd_ && !reaped_)
        pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
    return pidfd_.get();
}

bool Subprocess::wait_for(long long timeout_ns)
{
    if (timeout_ns < 0)
        return reap(true);
    const auto deadline = Clock::now() + std::chrono::nanoseconds(timeout_ns < 0 ? 0 : timeout_ns);
    while (running()) {
        const auto now = Clock::now();
        if (now >= deadline)
            return false;
        const long long left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
        if (exit_fd() >= 0) {
            struct pollfd pfd = {pidfd_.get(), POLLIN, 0};
            ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left_ms, POLL_MS)));
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    return true;
}

void Subprocess::kill_and_reap()
{
    if (!reaped_) {
        signal(SIGKILL);
        reap(true);
    }
}

Result<ProcessResult> run_process(const std::vector<std::string> &argv, const ProcessOptions &opt)
{
    auto out_pipe = make_pipe();
    if (!out_pipe)
        return std::move(out_pipe).error();
    auto err_pipe = make_pipe();
    if (!err_pipe)
        return std::move(err_pipe).error();
    UniqueFd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!null_in)
        return errno_error(Exit::software, "/dev/null", errno);

    const auto start = Clock::now();
    SpawnOptions so;
    so.own_group = opt.own_group;
    so.death_signal = opt.own_group ? SIGTERM : 0;
    so.in = null_in.get();
    so.out = out_pipe->write.get();
    so.err = err_pipe->write.get();
    so.limits = opt.limits;
    so.env = opt.env;
    auto child = Subprocess::exec(argv, so);
    if (!child)
        return std::move(child).error();
    out_pipe->write.reset();
    err_pipe->write.reset();

    ProcessResult res;
    Stopper stopper(*child);
    const auto deadline = start + std::chrono::nanoseconds(opt.timeout_ns);
    // Decide whether the child must be stopped, and push the stop along.
    auto check_stop = [&] {
        if (!stopper.started()) {
            if (opt.cancel && *opt.cancel)
                res.cancelled = true;
            else if (opt.timeout_ns > 0 && Clock::now() >= deadline)
                res.timed_out = true;
            else
                return;
        }
        stopper.tick();
    };

    struct pollfd fds[2] = {{out_pipe->read.get(), POLLIN, 0}, {err_pipe->read.get(), POLLIN, 0}};
    std::string *sinks[2] = {&res.out, &res.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        check_stop();
        const int rc = ::poll(fds, 2, POLL_MS);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    // The exit itself: the pidfd wakes the wait the moment it happens, so
    // the wall time carries no polling delay.
    while (!child->wait_for(POLL_MS * 1'000'000LL))
        check_stop();
    res.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    res.user_s = child->status().user_s;
    res.system_s = child->status().system_s;
    res.exit_code = child->status().code;
    res.term_signal = child->status().signal;
    return res;
}

std::vector<std::string> split_words(const std::string &s)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n') {
            if (!cur.empty())
                out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        out.push_back(std::move(cur));
    return out;
}

} // namespace scx
