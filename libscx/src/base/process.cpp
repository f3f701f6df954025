// SPDX-License-Identifier: MIT
#include "base/process.hpp"

#include <cerrno>
#include <chrono>
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

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return fd_; }
    void reset(int fd = -1)
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

struct Stdio {
    int in, out, err;
};

// fork + exec with the given standard streams. With own_group the child
// leads a new process group and gets SIGTERM when the caller dies. An exec
// failure is reported through a close-on-exec pipe.
Result<pid_t> spawn(const std::vector<std::string> &argv, Stdio io, bool own_group)
{
    if (argv.empty())
        return Error(Exit::software, "spawn: empty command");
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    int errpipe[2];
    if (::pipe2(errpipe, O_CLOEXEC) != 0)
        return errno_error(Exit::software, "pipe", errno);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int e = errno;
        ::close(errpipe[0]);
        ::close(errpipe[1]);
        return errno_error(Exit::software, "fork", e);
    }
    if (pid == 0) {
        if (own_group) {
            ::setpgid(0, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent)
                ::_exit(127);
        }
        ::dup2(io.in, STDIN_FILENO);
        ::dup2(io.out, STDOUT_FILENO);
        ::dup2(io.err, STDERR_FILENO);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execvp(args[0], args.data());
        const int e = errno;
        [[maybe_unused]] ssize_t n = ::write(errpipe[1], &e, sizeof e);
        ::_exit(127);
    }
    if (own_group)
        ::setpgid(pid, pid); // also in the parent: no window where signals miss the group
    ::close(errpipe[1]);
    int child_errno = 0;
    ssize_t n;
    while ((n = ::read(errpipe[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
    }
    ::close(errpipe[0]);
    if (n == static_cast<ssize_t>(sizeof child_errno)) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        return errno_error(Exit::unavailable, "cannot run " + argv[0], child_errno);
    }
    return pid;
}

double seconds_of(const struct timeval &tv)
{
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

// Stops a child once: SIGTERM, then SIGKILL after a grace period.
class Stopper {
public:
    Stopper(pid_t pid, bool group) : target_(group ? -pid : pid) {}
    bool started() const { return started_; }
    void tick()
    {
        const auto now = Clock::now();
        if (!started_) {
            ::kill(target_, SIGTERM);
            started_ = true;
            since_ = now;
        } else if (!killed_ && now - since_ >= STOP_GRACE) {
            ::kill(target_, SIGKILL);
            killed_ = true;
        }
    }

private:
    pid_t target_;
    bool started_ = false, killed_ = false;
    Clock::time_point since_;
};

} // namespace

Result<ProcessResult> run_process(const std::vector<std::string> &argv) { return run_process(argv, ProcessOptions{}); }

Result<ProcessResult> run_process(const std::vector<std::string> &argv, const ProcessOptions &opt)
{
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0)
        return errno_error(Exit::software, "pipe", errno);
    Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return errno_error(Exit::software, "pipe", errno);
    Fd err_r(err_pipe[0]), err_w(err_pipe[1]);
    Fd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (null_in.get() < 0)
        return errno_error(Exit::software, "/dev/null", errno);

    const auto start = Clock::now();
    auto pid = spawn(argv, {null_in.get(), out_w.get(), err_w.get()}, opt.own_group);
    if (!pid)
        return std::move(pid).error();
    out_w.reset();
    err_w.reset();

    ProcessResult res;
    Stopper stopper(*pid, opt.own_group);
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

    struct pollfd fds[2] = {{out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
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
    // Reap it. A pidfd becomes readable the moment the child exits, so the
    // wall time carries no polling delay; without one (old kernels), poll
    // every millisecond.
    int status = 0;
    struct rusage ru {};
    Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0)));
    for (;;) {
        const pid_t w = ::wait4(*pid, &status, WNOHANG, &ru);
        if (w == *pid || (w < 0 && errno != EINTR))
            break;
        check_stop();
        if (pidfd.get() >= 0) {
            struct pollfd pfd = {pidfd.get(), POLLIN, 0};
            ::poll(&pfd, 1, POLL_MS);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    res.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    res.user_s = seconds_of(ru.ru_utime);
    res.system_s = seconds_of(ru.ru_stime);
    if (WIFEXITED(status)) {
        res.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        res.term_signal = WTERMSIG(status);
    }
    return res;
}

Child::~Child() { kill_and_reap(); }

void Child::kill_and_reap()
{
    if (!reaped_) {
        ::kill(-pid_, SIGKILL);
        int status;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        reaped_ = true;
    }
}

Child::Child(Child &&o) noexcept
    : pid_(o.pid_), reaped_(o.reaped_), exit_code_(o.exit_code_), term_signal_(o.term_signal_)
{
    o.reaped_ = true;
}

Child &Child::operator=(Child &&o) noexcept
{
    if (this != &o) {
        kill_and_reap();
        pid_ = o.pid_;
        reaped_ = o.reaped_;
        exit_code_ = o.exit_code_;
        term_signal_ = o.term_signal_;
        o.reaped_ = true;
    }
    return *this;
}

Result<Child> Child::spawn(const std::vector<std::string> &argv, const std::string &stdout_path,
                           const std::string &stderr_path)
{
    auto open_out = [](const std::string &path) {
        return ::open(path.empty() ? "/dev/null" : path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    };
    Fd in(::open("/dev/null", O_RDONLY | O_CLOEXEC)), out(open_out(stdout_path)), err(open_out(stderr_path));
    if (out.get() < 0)
        return errno_error(Exit::io, "cannot write " + stdout_path, errno);
    if (err.get() < 0)
        return errno_error(Exit::io, "cannot write " + stderr_path, errno);
    if (in.get() < 0)
        return errno_error(Exit::software, "/dev/null", errno);
    auto pid = scx::spawn(argv, {in.get(), out.get(), err.get()}, true);
    if (!pid)
        return std::move(pid).error();
    Child c;
    c.pid_ = *pid;
    c.reaped_ = false;
    return c;
}

void Child::reap(int status)
{
    reaped_ = true;
    if (WIFEXITED(status)) {
        exit_code_ = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        exit_code_ = -1;
        term_signal_ = WTERMSIG(status);
    }
}

bool Child::running()
{
    if (reaped_)
        return false;
    int status = 0;
    const pid_t w = ::waitpid(pid_, &status, WNOHANG);
    if (w == pid_)
        reap(status);
    else if (w < 0 && errno == ECHILD)
        reaped_ = true;
    return !reaped_;
}

void Child::signal(int sig)
{
    if (!reaped_)
        ::kill(-pid_, sig);
}

bool Child::wait_for(long long timeout_ns)
{
    const auto deadline = Clock::now() + std::chrono::nanoseconds(timeout_ns);
    while (running()) {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
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
