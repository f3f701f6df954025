// SPDX-License-Identifier: MIT
#include "vm/backend.hpp"

#include "native/workload.hpp"
#include "policy/params.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "vm/image.hpp"
#include "vm/session.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

namespace scx::vm {

namespace {

constexpr std::uint64_t HELLO_TIMEOUT_NS = 120 * NSEC_PER_SEC;
constexpr std::uint64_t CONNECT_TIMEOUT_NS = 20 * NSEC_PER_SEC;
// New VMs after QEMU's multi-threaded TCG fault, in a row for one run.
constexpr int MAX_REBOOTS = 3;

// The last line of `text` that is not empty.
std::string last_line(const std::string &text)
{
    std::size_t end = text.size();
    while (end > 0 && text[end - 1] == '\n')
        end--;
    const auto nl = text.rfind('\n', end ? end - 1 : 0);
    return text.substr(nl == std::string::npos ? 0 : nl + 1, end - (nl == std::string::npos ? 0 : nl + 1));
}

// What scx-run in the guest said went wrong: its "scx-run: error: ..."
// line, else its last line.
std::string guest_error(const std::string &err)
{
    const std::string tag = "scx-run: error: ";
    const auto at = err.rfind(tag);
    if (at != std::string::npos) {
        const auto end = err.find('\n', at);
        return err.substr(at + tag.size(), end == std::string::npos ? std::string::npos : end - at - tag.size());
    }
    return last_line(err);
}

Exit exit_class(int status)
{
    for (Exit e : {Exit::usage, Exit::data, Exit::no_input, Exit::unavailable, Exit::software, Exit::io,
                   Exit::temp_fail, Exit::no_perm, Exit::interrupted})
        if (static_cast<int>(e) == status)
            return e;
    return Exit::software;
}

} // namespace

std::string session_dir(const std::string &explicit_dir)
{
    if (!explicit_dir.empty())
        return explicit_dir;
    const char *env = std::getenv("SCX_VM_SESSION");
    return env && *env ? env : "";
}

Result<VmConfig> vm_config(const VmSettings &s, const std::string &dir)
{
    auto kernel = find_kernel(s.kernel);
    if (!kernel)
        return kernel.error();
    auto programs = guest_programs();
    if (!programs)
        return programs.error();
    ImageSpec spec;
    spec.programs = *programs;
    auto image = guest_image(spec);
    if (!image)
        return image.error();
    VmConfig c;
    c.kernel = *kernel;
    c.image = *image;
    c.cpus = s.cpus;
    c.memory = s.memory;
    c.accel = s.accel;
    c.dir = dir;
    return c;
}

Result<UniqueFd> connect_agent(const std::string &socket, std::uint64_t timeout_ns)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket.size() >= sizeof addr.sun_path)
        return Error(Exit::software, "the VM's socket path is too long: " + socket);
    std::memcpy(addr.sun_path, socket.c_str(), socket.size() + 1);
    const std::uint64_t start = monotonic_ns();
    for (;;) {
        UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!fd)
            return errno_error(Exit::software, "socket", errno);
        if (::connect(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0)
            return fd;
        if (monotonic_ns() - start > timeout_ns)
            return errno_error(Exit::unavailable, "cannot reach the VM's agent at " + socket, errno);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

VmBackend::~VmBackend()
{
    if (agent_ && vm_) {
        agent_->quit();
        (void)vm_->wait_poweroff(5 * NSEC_PER_SEC);
    }
    agent_.reset();
    vm_.reset();
    if (!dir_.empty() && !keep_dir_ && session_dir(s_.session).empty())
        (void)run_process({"rm", "-rf", dir_});
}

Result<void> VmBackend::trouble(Error e)
{
    keep_dir_ = true;
    return e;
}

Result<void> VmBackend::ensure(const volatile std::sig_atomic_t *cancel)
{
    if (agent_)
        return {};
    Channel::Check check;
    if (const std::string sdir = session_dir(s_.session); !sdir.empty()) {
        auto info = read_session(sdir);
        if (!info)
            return info.error();
        auto fd = connect_agent(info->socket, CONNECT_TIMEOUT_NS);
        if (!fd)
            return fd.error();
        const std::string console = info->console, accel = info->accelerator;
        check = [console, accel]() -> Result<void> {
            auto raw = read_file(console);
            if (const std::string t = raw ? console_trouble(*raw) : ""; !t.empty())
                return Error(Exit::unavailable,
                             "the VM's kernel is in trouble: \"" + t + "\" (console log: " + console + ")" +
                                 (tcg_patch_fault(accel, *raw) ? "; QEMU's multi-threaded TCG fault, not the "
                                                                 "policy's: start the session again (scx-vm(1), Speed)"
                                                               : ""));
            return {};
        };
        agent_ = std::make_unique<AgentClient>(std::move(*fd), check);
        accel_ = info->accelerator;
    } else {
        dir_ = cache_dir() + "/runs/" + std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr));
        auto c = vm_config(s_, dir_);
        if (!c)
            return c.error();
        auto vm = Vm::boot(*c, cancel);
        if (!vm) {
            keep_dir_ = vm.error().exit != Exit::interrupted;
            return vm.error();
        }
        vm_.emplace(std::move(*vm));
        boot_s_ = vm_->boot_s();
        accel_ = vm_->accelerator();
        auto fd = connect_agent(vm_->agent_socket(), CONNECT_TIMEOUT_NS);
        if (!fd)
            return trouble(fd.error());
        Vm *v = &*vm_;
        check = [v]() { return v->healthy(); };
        agent_ = std::make_unique<AgentClient>(std::move(*fd), check);
    }
    auto hello = agent_->hello(HELLO_TIMEOUT_NS);
    if (!hello) {
        agent_.reset();
        return trouble(hello.error());
    }
    kernel_ = hello->release;
    cpus_ = hello->cpus;
    return {};
}

Result<RunReport> VmBackend::run(const RunRequest &req, const StatsSink &stats)
{
    // A bad workload or parameter is refused here, not after a boot.
    if (!req.workload.empty())
        if (auto w = native::native_workload_command(req.workload); !w)
            return std::move(w).error();
    if (auto ok = check_params_wanted(req); !ok)
        return ok.error();
    if (!req.params.empty()) {
        auto specs = read_policy_params(req.policy_path);
        if (!specs)
            return std::move(specs).error();
        if (auto ok = resolve_params(*specs, req.params, req.policy_path); !ok)
            return std::move(ok).error();
    }
    for (int faults = 0;; faults++) {
        auto report = run_once(req, stats);
        // QEMU's multi-threaded TCG fault killed a VM of our own: its
        // console log is kept, a new VM boots, the run is done again (a few
        // times in a row at most: more is not a rare fault). A long series
        // of runs - a fidelity matrix attaches sched_ext 175 times - may
        // meet it more often than that in all.
        if (report || !vm_ || faults >= MAX_REBOOTS)
            return report;
        auto log = read_file(vm_->console());
        if (!log || !tcg_patch_fault(accel_, *log))
            return report;
        const std::string kept = vm_->console() + "." + std::to_string(reboots_ + 1);
        (void)::rename(vm_->console().c_str(), kept.c_str());
        agent_.reset();
        vm_.reset();
        reboots_++;
        if (auto r = ensure(req.cancel); !r)
            return r.error();
    }
}

Result<RunReport> VmBackend::run_once(const RunRequest &req, const StatsSink &stats)
{
    if (auto r = ensure(req.cancel); !r)
        return r.error();
    std::vector<std::string> argv = {"scx-run", "--json"};
    // Nobody reads statistics lines: the guest's supervisor does not make
    // them (each cost it 8-13 ms of a vCPU under TCG, once a second, inside
    // the measured workload). An --interval of the user's comes after.
    if (!stats)
        argv.insert(argv.end(), {"--interval", "0"});
    argv.insert(argv.end(), s_.guest_args.begin(), s_.guest_args.end());
    switch (req.scheduler) {
    case RunRequest::Scheduler::bpf_only: argv.push_back("--bpf-only"); break;
    case RunRequest::Scheduler::builtin: argv.push_back("default"); break;
    case RunRequest::Scheduler::policy: {
        auto data = read_file(req.policy_path);
        if (!data)
            return data.error();
        // A name of its own per run: a policy replaced between runs is
        // never confused with the one before.
        const std::string guest = "/tmp/scx/" + std::to_string(++files_) + "/" + basename_of(req.policy_path);
        if (auto r = agent_->put(guest, *data, 0644); !r)
            return trouble(r.error()).error();
        argv.push_back(guest);
        break;
    }
    }
    for (const auto &[name, value] : req.params)
        argv.insert(argv.end(), {"--param", name + "=" + value});
    if (!req.workload.empty())
        argv.insert(argv.end(), {"--workload", req.workload});
    if (req.capture_output)
        argv.push_back("--capture-output");
    if (!req.command.empty()) {
        argv.push_back("--");
        argv.insert(argv.end(), req.command.begin(), req.command.end());
    }

    // Statistics lines as they come; the final report is the last line.
    std::string pending, last, err_text;
    auto on_out = [&](std::string_view chunk) {
        pending.append(chunk);
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            if (line.empty())
                continue;
            if (auto l = parse_stats(line); l && stats)
                stats(*l);
            else if (!l)
                last = std::move(line);
        }
    };
    auto on_err = [&](std::string_view chunk) {
        err_text.append(chunk);
        (void)write_full(STDERR_FILENO, chunk);
    };
    const std::uint64_t timeout = s_.run_timeout_ns ? s_.run_timeout_ns + 120 * NSEC_PER_SEC : 0;
    auto status = agent_->run(argv, on_out, on_err, timeout, req.cancel);
    if (!status) {
        if (status.error().exit == Exit::interrupted)
            return status.error();
        return trouble(status.error()).error();
    }
    if (!pending.empty())
        last = pending;
    if (*status != 0 && *status != 1) {
        const std::string why = guest_error(err_text);
        return Error(*status < 0 ? Exit::software : exit_class(*status),
                     why.empty() ? "scx-run in the VM exited with status " + std::to_string(*status) : why);
    }
    if (last.empty()) {
        // Policy code failed before the scheduler was attached: scx-run
        // said why on standard error.
        const std::string why = guest_error(err_text);
        return Error(Exit::failure, why.empty() ? "scx-run in the VM reported nothing" : why);
    }
    auto report = parse_report(last);
    if (!report)
        return Error(Exit::software, "scx-run in the VM printed no report: " + report.error().message);
    report->host.backend = BackendKind::vm;
    report->host.accelerator = accel_;
    report->host.reboots = reboots_;
    if (report->host.kernel.empty())
        report->host.kernel = kernel_;
    if (req.scheduler == RunRequest::Scheduler::policy)
        report->policy_path = req.policy_path;
    return report;
}

} // namespace scx::vm
