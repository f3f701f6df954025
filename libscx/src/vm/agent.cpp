// SPDX-License-Identifier: MIT
#include "vm/agent.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "base/process.hpp"
#include <scx/policy.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace scx::vm {

namespace {

constexpr std::size_t MAX_FRAME = 256U << 20;
constexpr int POLL_MS = 50;
constexpr std::uint64_t CLOSE_GRACE_NS = 5 * NSEC_PER_SEC;

std::string u32(std::uint32_t v)
{
    std::string s(4, '\0');
    for (int i = 0; i < 4; i++)
        s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}

std::uint32_t get_u32(std::string_view s, std::size_t at)
{
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

std::vector<std::string> split_nul(std::string_view s)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); i++)
        if (i == s.size() || s[i] == '\0') {
            if (i > start || i < s.size())
                out.emplace_back(s.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

// Guest: write a file the host sent.
std::string write_guest_file(std::string_view payload)
{
    if (payload.size() < 8)
        return "short file frame";
    const std::uint32_t n = get_u32(payload, 0);
    if (payload.size() < 8 + n)
        return "short file frame";
    const std::string path(payload.substr(4, n));
    const unsigned mode = get_u32(payload, 4 + n) & 07777;
    if (auto r = make_dirs(dirname_of(path)); !r)
        return r.error().message;
    if (auto r = write_file_atomic(path, payload.substr(8 + n), mode); !r)
        return r.error().message;
    return "";
}

// Guest: run a command, its output sent as it comes.
Result<void> run_guest_command(Channel &ch, const std::vector<std::string> &argv)
{
    auto out = make_pipe();
    auto err = make_pipe();
    if (!out || !err)
        return ch.send(Frame::exit, u32(static_cast<std::uint32_t>(-127)));
    UniqueFd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    SpawnOptions so;
    so.own_group = true;
    so.in = null_in.get();
    so.out = out->write.get();
    so.err = err->write.get();
    auto p = Subprocess::exec(argv, so);
    if (!p) {
        (void)ch.send(Frame::err, p.error().message + "\n");
        return ch.send(Frame::exit, u32(127));
    }
    out->write.reset();
    err->write.reset();
    char buf[65536];
    std::vector<std::pair<UniqueFd *, Frame>> streams = {{&out->read, Frame::out}, {&err->read, Frame::err}};
    while (out->read || err->read) {
        pollfd fds[2];
        int n = 0;
        for (auto &[fd, type] : streams)
            if (*fd)
                fds[n++] = {fd->get(), POLLIN, 0};
        if (::poll(fds, static_cast<nfds_t>(n), -1) < 0 && errno != EINTR)
            break;
        for (auto &[fd, type] : streams) {
            if (!*fd)
                continue;
            bool ready = false;
            for (int i = 0; i < n; i++)
                if (fds[i].fd == fd->get() && fds[i].revents)
                    ready = true;
            if (!ready)
                continue;
            const ssize_t got = ::read(fd->get(), buf, sizeof buf);
            if (got > 0) {
                if (auto s = ch.send(type, {buf, static_cast<std::size_t>(got)}); !s)
                    return s;
            } else if (got == 0 || errno != EINTR) {
                fd->reset();
            }
        }
    }
    p->wait_for(-1);
    const int status = p->status().signal ? -p->status().signal : p->status().code;
    return ch.send(Frame::exit, u32(static_cast<std::uint32_t>(status)));
}

} // namespace

Result<void> Channel::send(Frame type, std::string_view payload)
{
    std::string frame(1, static_cast<char>(type));
    frame += u32(static_cast<std::uint32_t>(payload.size()));
    frame.append(payload);
    // On the host's socket, a VM that is gone must be an error, not a
    // SIGPIPE that kills the tool; the guest's port is no socket.
    std::string_view left = frame;
    while (!left.empty()) {
        ssize_t n = ::send(fd_, left.data(), left.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            return write_full(fd_, left) ? Result<void>() : errno_error(Exit::unavailable, "the VM's agent channel", errno);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return errno_error(Exit::unavailable, "the VM's agent channel", errno);
        left.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// The channel closed under us: most often the guest's kernel died (a panic
// closes the port before the console has said so) or QEMU stopped. Give
// the console a few seconds to name the cause before blaming the channel.
Error Channel::closed(const Check &check)
{
    if (check) {
        const std::uint64_t until = monotonic_ns() + CLOSE_GRACE_NS;
        do {
            if (auto c = check(); !c)
                return c.error();
            ::usleep(100 * 1000);
        } while (monotonic_ns() < until);
    }
    return Error(Exit::unavailable, "the VM's agent closed the channel");
}

Result<Channel::Message> Channel::receive(std::uint64_t timeout_ns, const Check &check)
{
    const std::uint64_t deadline = timeout_ns ? monotonic_ns() + timeout_ns : 0;
    for (;;) {
        if (buf_.size() >= 5) {
            const std::uint32_t n = get_u32(buf_, 1);
            if (n > MAX_FRAME)
                return Error(Exit::software, "the VM's agent sent a frame of " + std::to_string(n) + " bytes");
            if (buf_.size() >= 5 + n) {
                Message m{static_cast<Frame>(buf_[0]), buf_.substr(5, n)};
                buf_.erase(0, 5 + n);
                return m;
            }
        }
        pollfd p{fd_, POLLIN, 0};
        const int r = ::poll(&p, 1, POLL_MS);
        if (r < 0 && errno != EINTR)
            return errno_error(Exit::unavailable, "the VM's agent channel", errno);
        if (r > 0) {
            char buf[65536];
            const ssize_t got = ::read(fd_, buf, sizeof buf);
            if (got > 0)
                buf_.append(buf, static_cast<std::size_t>(got));
            else if (got == 0 || (errno != EINTR && errno != EAGAIN))
                return closed(check);
        }
        if (check)
            if (auto c = check(); !c)
                return c.error();
        if (deadline && monotonic_ns() > deadline)
            return Error(Exit::unavailable, "the VM's agent did not answer in time");
    }
}

Result<void> serve(const std::string &port)
{
    UniqueFd fd(::open(port.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd)
        return errno_error(Exit::unavailable, "cannot open " + port, errno);
    const std::string hello = read_first_line("/proc/sys/kernel/osrelease") + '\0' +
                              std::to_string(::sysconf(_SC_NPROCESSORS_ONLN));
    // One host connection after another (a session serves several tools):
    // greet until a host is there (writes fail while none is), then serve
    // it until it goes away or says quit.
    for (;;) {
        Channel ch(fd.get());
        while (!ch.send(Frame::hello, hello))
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        for (bool connected = true; connected;) {
            auto m = ch.receive();
            if (!m)
                break;
            Result<void> sent;
            switch (m->type) {
            case Frame::file: sent = ch.send(Frame::ok, write_guest_file(m->payload)); break;
            case Frame::run: sent = run_guest_command(ch, split_nul(m->payload)); break;
            case Frame::hello: sent = ch.send(Frame::hello, hello); break;
            case Frame::quit: return {};
            default: break;
            }
            connected = static_cast<bool>(sent);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

Result<AgentClient::Hello> AgentClient::hello(std::uint64_t timeout_ns)
{
    // Ask again: a guest that greeted before we connected answers anew.
    if (auto s = ch_.send(Frame::hello, ""); !s)
        return s.error();
    for (;;) {
        auto m = ch_.receive(timeout_ns, check_);
        if (!m)
            return std::move(m).error();
        if (m->type != Frame::hello)
            continue;
        const auto nul = m->payload.find('\0');
        Hello h;
        h.release = m->payload.substr(0, nul);
        h.cpus = nul == std::string::npos ? 0 : std::atoi(m->payload.c_str() + nul + 1);
        return h;
    }
}

Result<void> AgentClient::put(const std::string &guest_path, std::string_view content, unsigned mode)
{
    std::string payload = u32(static_cast<std::uint32_t>(guest_path.size())) + guest_path + u32(mode);
    payload.append(content);
    if (auto s = ch_.send(Frame::file, payload); !s)
        return s;
    for (;;) {
        auto m = ch_.receive(60 * NSEC_PER_SEC, check_);
        if (!m)
            return std::move(m).error();
        if (m->type == Frame::ok) {
            if (!m->payload.empty())
                return Error(Exit::io, "the VM cannot write " + guest_path + ": " + m->payload);
            return {};
        }
    }
}

Result<int> AgentClient::run(const std::vector<std::string> &argv, const std::function<void(std::string_view)> &out,
                             const std::function<void(std::string_view)> &err, std::uint64_t timeout_ns,
                             const volatile std::sig_atomic_t *cancel)
{
    std::string payload;
    for (const std::string &a : argv) {
        payload += a;
        payload += '\0';
    }
    if (auto s = ch_.send(Frame::run, payload); !s)
        return s.error();
    auto check = [&]() -> Result<void> {
        if (cancel && *cancel)
            return Error(Exit::interrupted, "interrupted");
        return check_ ? check_() : Result<void>();
    };
    for (;;) {
        auto m = ch_.receive(timeout_ns, check);
        if (!m)
            return std::move(m).error();
        switch (m->type) {
        case Frame::out: out(m->payload); break;
        case Frame::err: err(m->payload); break;
        case Frame::exit: return static_cast<int>(m->payload.size() >= 4 ? get_u32(m->payload, 0) : 127);
        default: break;
        }
    }
}

void AgentClient::quit() { (void)ch_.send(Frame::quit, ""); }

} // namespace scx::vm
