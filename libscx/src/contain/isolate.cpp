// SPDX-License-Identifier: MIT
#include "contain/isolate.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fcntl.h>
#include <new>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace scx {

void ChildWatch::set_label(const std::string &s)
{
    const std::size_t n = s.size() < sizeof label - 1 ? s.size() : sizeof label - 1;
    std::memcpy(label, s.data(), n);
    label[n] = '\0';
}

std::string describe_signal(int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    std::string s = strsignal(sig);
    if (abbrev)
        s += std::string(" (SIG") + abbrev + ")";
    return s;
}

namespace {

[[noreturn]] void child_main(int fd, ChildWatch &watch, const std::function<std::string(ChildWatch &)> &body,
                             pid_t parent)
{
    // Die with the parent, so that a killed supervisor leaves nothing behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
        ::_exit(125);
    // A crash must kill the child with its signal, whatever handlers the
    // parent installed, so that the parent can say what happened.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS})
        std::signal(sig, SIG_DFL);
    std::string out;
    try {
        out = body(watch);
    } catch (...) {
        ::_exit(124);
    }
    std::fflush(nullptr); // what the body printed, since _exit() will not
    ::_exit(write_full(fd, out) ? 0 : 123);
}

} // namespace

Result<ChildOutcome> run_isolated(const std::function<std::string(ChildWatch &)> &body, std::uint64_t hang_timeout_ns)
{
    void *mem = ::mmap(nullptr, sizeof(ChildWatch), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return errno_error(Exit::software, "cannot map shared memory for the child", errno);
    auto *watch = new (mem) ChildWatch();
    struct Unmap {
        ChildWatch *w;
        ~Unmap()
        {
            w->~ChildWatch();
            ::munmap(w, sizeof(ChildWatch));
        }
    } unmap{watch};

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return errno_error(Exit::software, "cannot create a pipe", errno);
    const pid_t parent = ::getpid();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return errno_error(Exit::software, "cannot fork", err);
    }
    if (pid == 0) {
        ::close(fds[0]);
        child_main(fds[1], *watch, body, parent);
    }
    ::close(fds[1]);

    ChildOutcome out;
    out.pid = static_cast<int>(pid);
    std::uint64_t last_beats = watch->beats.load();
    std::uint64_t last_change = monotonic_ns();
    bool eof = false, hung = false;
    char buf[65536];
    while (!eof) {
        pollfd p{fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, 100);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            const ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                eof = true;
            else
                out.output.append(buf, static_cast<std::size_t>(n));
        }
        const std::uint64_t beats = watch->beats.load(std::memory_order_relaxed);
        const std::uint64_t now = monotonic_ns();
        if (beats != last_beats) {
            last_beats = beats;
            last_change = now;
        } else if (hang_timeout_ns && now - last_change > hang_timeout_ns) {
            ::kill(pid, SIGKILL);
            hung = true;
            break;
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    out.phase = watch->phase.load();
    out.sim_time = watch->sim_time.load();
    out.label.assign(watch->label, strnlen(watch->label, sizeof watch->label));
    if (hung) {
        out.how = ChildOutcome::How::hung;
        out.code = SIGKILL;
    } else if (WIFSIGNALED(status)) {
        out.how = ChildOutcome::How::signaled;
        out.code = WTERMSIG(status);
    } else {
        out.how = ChildOutcome::How::exited;
        out.code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    }
    return out;
}

} // namespace scx
