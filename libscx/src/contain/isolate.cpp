// SPDX-License-Identifier: MIT
#include "contain/isolate.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "base/process.hpp"

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

    auto pipe = make_pipe();
    if (!pipe)
        return std::move(pipe).error();
    SpawnOptions so;
    so.death_signal = SIGKILL; // a killed supervisor leaves nothing behind
    auto child = Subprocess::fork(
        [&] {
            pipe->read.reset();
            std::string out = body(*watch);
            std::fflush(nullptr);
            return write_full(pipe->write.get(), out) ? 0 : 123;
        },
        so);
    if (!child)
        return std::move(child).error();
    pipe->write.reset();

    ChildOutcome out;
    out.pid = static_cast<int>(child->pid());
    std::uint64_t last_beats = watch->beats.load();
    std::uint64_t last_change = monotonic_ns();
    bool eof = false, hung = false;
    char buf[65536];
    while (!eof) {
        pollfd p{pipe->read.get(), POLLIN, 0};
        const int r = ::poll(&p, 1, 100);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            const ssize_t n = ::read(pipe->read.get(), buf, sizeof buf);
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
            child->signal(SIGKILL);
            hung = true;
            break;
        }
    }
    child->wait_for(-1);
    out.phase = watch->phase.load();
    out.sim_time = watch->sim_time.load();
    out.label.assign(watch->label, strnlen(watch->label, sizeof watch->label));
    if (hung) {
        out.how = ChildOutcome::How::hung;
        out.code = SIGKILL;
    } else if (child->status().signal) {
        out.how = ChildOutcome::How::signaled;
        out.code = child->status().signal;
    } else {
        out.how = ChildOutcome::How::exited;
        out.code = child->status().code;
    }
    return out;
}

} // namespace scx
