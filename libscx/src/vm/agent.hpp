// SPDX-License-Identifier: MIT
//
// vm/agent.hpp - how the host talks to the guest: frames over the
// virtio-serial port "scx.agent" (a UNIX socket on the host side).
//
// A frame is one type byte, a 32-bit little-endian length and that many
// bytes. The guest's agent (scx-vm agent) says hello with the kernel
// release and the CPU count, then serves one request at a time: a file to
// write, or a command to run, whose standard output and error come back as
// they are written, then its exit status. A command is run as root in the
// guest: the guest is the sandbox of the whole run, and scx-run there
// contains the policy as on any host.

#ifndef SCX_VM_AGENT_HPP
#define SCX_VM_AGENT_HPP

#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <scx/policy.hpp>
#include <scx/result.hpp>

#include "base/fd.hpp"

namespace scx::vm {

enum class Frame : char {
    hello = 'H',  // guest: "release\0cpus"
    file = 'F',   // host: u32 path length, path, u32 mode, content
    ok = 'K',     // guest: the file was written ("" or an error message)
    run = 'R',    // host: argv joined by NUL
    out = 'O',    // guest: standard output bytes
    err = 'E',    // guest: standard error bytes
    exit = 'X',   // guest: i32 status (exit code, or -signal)
    quit = 'Q',   // host: stop serving (the guest powers off)
};

// Reads and writes frames on a descriptor, with a deadline and a check run
// while waiting (a dead VM, a panic on the console, a cancel flag).
class Channel {
public:
    explicit Channel(int fd) : fd_(fd) {}
    Result<void> send(Frame type, std::string_view payload);
    // The next frame; Exit::unavailable when the other side is gone, the
    // deadline passed (timeout_ns; 0 = none) or `check` returned an error.
    struct Message {
        Frame type;
        std::string payload;
    };
    using Check = std::function<Result<void>()>;
    Result<Message> receive(std::uint64_t timeout_ns = 0, const Check &check = {});

private:
    Error closed(const Check &check);
    int fd_;
    std::string buf_;
};

// The guest side: serve requests on `port` until quit or the host goes
// away. Never returns an error the host could not see; the Result is for
// the agent's own failures (the port cannot be opened).
Result<void> serve(const std::string &port);

// The host side of one connection.
class AgentClient {
public:
    AgentClient(UniqueFd fd, Channel::Check check) : fd_(std::move(fd)), ch_(fd_.get()), check_(std::move(check)) {}
    // Wait for the guest's hello: its kernel release and CPU count.
    struct Hello {
        std::string release;
        int cpus = 0;
    };
    Result<Hello> hello(std::uint64_t timeout_ns);
    Result<void> put(const std::string &guest_path, std::string_view content, unsigned mode);
    // Run argv in the guest; out/err receive its output as it comes.
    // Returns its exit status (-signal when killed). *cancel stops waiting
    // (Exit::interrupted) - the guest's command is then left to the VM's end.
    Result<int> run(const std::vector<std::string> &argv, const std::function<void(std::string_view)> &out,
                    const std::function<void(std::string_view)> &err, std::uint64_t timeout_ns,
                    const volatile std::sig_atomic_t *cancel);
    void quit();

private:
    UniqueFd fd_;
    Channel ch_;
    Channel::Check check_;
};

} // namespace scx::vm

#endif // SCX_VM_AGENT_HPP
