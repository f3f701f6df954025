// SPDX-License-Identifier: MIT
#include "vm/session.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "base/json.hpp"
#include "vm/image.hpp"

#include <signal.h>
#include <unistd.h>

#include <ctime>
#include <memory>
#include <thread>

namespace scx::vm {

namespace {

constexpr const char *INFO = "/session.json";

bool alive(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0; }

} // namespace

Result<SessionInfo> start_session(const VmSettings &s, const std::string &dir_arg)
{
    const std::string dir = dir_arg.empty() ? cache_dir() + "/sessions/" + std::to_string(::getpid()) + "-" +
                                                  std::to_string(std::time(nullptr))
                                            : dir_arg;
    if (auto old = read_session(dir); old)
        return Error(Exit::unavailable, "a session runs in " + dir + " already (scx-vm stop " + dir + ")");
    auto config = vm_config(s, absolute_path(dir));
    if (!config)
        return config.error();
    VmConfig &c = *config;
    if (auto r = make_dirs(c.dir); !r)
        return r.error();
    c.dir = absolute_path(c.dir);
    c.background = true;
    auto vm = Vm::boot(c);
    if (!vm)
        return vm.error();
    // Is the agent there? Then the session is ready for the tools.
    auto fd = connect_agent(vm->agent_socket(), 20 * NSEC_PER_SEC);
    if (!fd)
        return fd.error();
    Vm *v = &*vm;
    AgentClient agent(std::move(*fd), [v]() { return v->healthy(); });
    auto hello = agent.hello(120 * NSEC_PER_SEC);
    if (!hello)
        return hello.error();
    SessionInfo info{c.dir, c.kernel.version, vm->accelerator(), vm->console(), vm->agent_socket(), hello->cpus,
                     static_cast<long>(vm->pid()), vm->boot_s()};
    auto o = json::object();
    json::set(o.get(), "kernel", info.kernel);
    json::set(o.get(), "release", hello->release);
    json::set(o.get(), "accelerator", info.accelerator);
    json::set(o.get(), "cpus", info.cpus);
    json::set(o.get(), "pid", static_cast<std::int64_t>(info.pid));
    json::set(o.get(), "boot_s", info.boot_s);
    json::set(o.get(), "console", info.console);
    json::set(o.get(), "socket", info.socket);
    if (auto r = write_file_atomic(c.dir + INFO, json::dump(o.get()) + "\n"); !r)
        return r.error();
    vm->detach();
    return info;
}

Result<SessionInfo> read_session(const std::string &dir)
{
    auto doc = json::parse_file(dir + INFO);
    if (!doc)
        return Error(Exit::unavailable, "no VM session in " + dir + " (start one with scx-vm start)");
    const json_t *d = doc->get();
    SessionInfo info;
    info.dir = dir;
    auto str = [&](const char *k) {
        const char *v = json::get_string(d, k);
        return std::string(v ? v : "");
    };
    info.kernel = str("kernel");
    info.accelerator = str("accelerator");
    info.console = str("console");
    info.socket = str("socket");
    info.cpus = static_cast<int>(json::get_int(d, "cpus"));
    info.pid = static_cast<long>(json::get_int(d, "pid"));
    info.boot_s = json::get_number(d, "boot_s");
    if (!alive(info.pid))
        return Error(Exit::unavailable, "the VM session in " + dir + " is gone (console log: " + info.console + ")");
    return info;
}

Result<void> stop_session(const std::string &dir)
{
    auto info = read_session(dir);
    if (!info)
        return info.error();
    // Greet, say quit, and keep the connection until the guest is gone: a
    // connection closed at once can lose what was said on it.
    std::unique_ptr<AgentClient> agent;
    if (auto fd = connect_agent(info->socket, 5 * NSEC_PER_SEC)) {
        agent = std::make_unique<AgentClient>(std::move(*fd), Channel::Check{});
        if (agent->hello(30 * NSEC_PER_SEC))
            agent->quit();
    }
    const std::uint64_t start = monotonic_ns();
    while (alive(info->pid) && monotonic_ns() - start < 10 * NSEC_PER_SEC)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    agent.reset();
    if (alive(info->pid))
        ::kill(static_cast<pid_t>(-info->pid), SIGKILL);
    auto raw = read_file(info->console);
    if (const std::string t = raw ? console_trouble(*raw) : ""; !t.empty())
        return Error(Exit::unavailable, "the VM's kernel was in trouble: \"" + t + "\" (console log kept: " +
                                            info->console + ")");
    (void)run_process({"rm", "-rf", dir});
    return {};
}

} // namespace scx::vm
