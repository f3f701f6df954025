// SPDX-License-Identifier: MIT
#include "kernel/workload.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace scx::kernel {

namespace {

constexpr long long STOP_GRACE_NS = 1'000'000'000LL;

// Read what is there; the descriptor is closed at end of file. Without a
// buffer the output is passed on to standard error.
void read_from(UniqueFd &fd, std::string *into)
{
    char buf[65536];
    while (fd) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n > 0) {
            if (into)
                into->append(buf, static_cast<std::size_t>(n));
            else
                (void)write_full(STDERR_FILENO, {buf, static_cast<std::size_t>(n)});
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || errno != EAGAIN)
            fd.reset();
        return;
    }
}

} // namespace

Result<void> WorkloadCommand::start(const std::vector<std::string> &argv, bool capture)
{
    capture_ = capture;
    run_.argv = argv;
    run_.captured = capture;
    UniqueFd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!null_in)
        return errno_error(Exit::software, "/dev/null", errno);
    for (auto *p : {&out_, &err_}) {
        auto pp = make_pipe();
        if (!pp)
            return std::move(pp).error();
        *p = std::move(*pp);
        ::fcntl(p->read.get(), F_SETFL, O_NONBLOCK);
    }
    SpawnOptions so;
    so.own_group = true;
    so.death_signal = SIGTERM;
    so.in = null_in.get();
    so.out = out_.write.get();
    so.err = err_.write.get();
    auto p = Subprocess::exec(argv, so);
    if (!p)
        return std::move(p).error().wrap("cannot start the workload");
    proc_ = std::move(*p);
    out_.write.reset();
    err_.write.reset();
    started_ = monotonic_ns();
    return {};
}

bool WorkloadCommand::running()
{
    pump();
    if (!started() || finished_)
        return false;
    if (proc_.running())
        return true;
    finish();
    return false;
}

void WorkloadCommand::stop()
{
    if (!started() || finished_)
        return;
    proc_.signal(SIGTERM);
    if (!proc_.wait_for(STOP_GRACE_NS)) {
        proc_.signal(SIGKILL);
        proc_.wait_for(-1);
    }
    finish();
}

void WorkloadCommand::pump()
{
    read_from(out_.read, capture_ ? &run_.out : nullptr);
    read_from(err_.read, capture_ ? &run_.err : nullptr);
}

void WorkloadCommand::add_poll(std::vector<pollfd> &fds)
{
    for (const UniqueFd *f : {&out_.read, &err_.read})
        if (*f)
            fds.push_back({f->get(), POLLIN, 0});
    // Its end wakes the poll at once: the wall time carries no polling delay.
    if (started() && !finished_ && proc_.exit_fd() >= 0)
        fds.push_back({proc_.exit_fd(), POLLIN, 0});
}

void WorkloadCommand::finish()
{
    if (finished_)
        return;
    finished_ = true;
    run_.wall_s = static_cast<double>(monotonic_ns() - started_) / 1e9;
    // What it wrote before it ended (a descendant may hold the pipes open:
    // do not wait for it).
    for (int i = 0; i < 100 && (out_.read || err_.read); i++)
        pump();
    run_.exit_code = proc_.status().code;
    run_.signal = proc_.status().signal;
    run_.user_s = proc_.status().user_s;
    run_.system_s = proc_.status().system_s;
}

} // namespace scx::kernel
