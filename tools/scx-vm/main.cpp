// SPDX-License-Identifier: MIT
//
// scx-vm - the sched_ext VM of scxkit's tools: kernels, sessions, and the
// agent that runs inside the guest. scx-run --vm and scx-bench --vm boot
// one by themselves; this tool lists and fetches kernels, keeps a VM
// running across tools (start, exec, stop), and boots test images.

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../common/cli.hpp"
#include "base/fs.hpp"
#include "base/parse.hpp"
#include "vm/agent.hpp"
#include "vm/image.hpp"
#include "vm/kernels.hpp"
#include "vm/session.hpp"

namespace {

namespace vm = scx::vm;
namespace cli = scx::cli;

constexpr const char *HELP = R"(Usage: scx-vm kernels
       scx-vm fetch [VERSION|PATH]
       scx-vm start [VM OPTION...] [--session DIR]
       scx-vm exec [--session DIR] -- COMMAND [ARG...]
       scx-vm stop [--session DIR]
       scx-vm boot [VM OPTION...] [--smp SPEC] [--add HOST:GUEST]... [--append ARGS] [--console FILE]
       scx-vm agent PORT

Boot sched_ext kernels under QEMU for scxkit's tools, on any Linux machine.

Commands:
  kernels      list the kernels in the cache and those Debian offers
  fetch        fetch (or find in the cache) a kernel; print its image's path
  start        boot a VM that stays up; print its session directory, to export
               as SCX_VM_SESSION for scx-run and scx-bench
  exec         run a command in a session's VM (as root in the guest)
  stop         power a session's VM off and remove its directory
  boot         boot an image that powers off by itself (test scenarios):
               print the console and judge it
  agent        (inside the guest) serve the host on PORT

VM options:
      --kernel VERSION|PATH  the kernel: newest (default), 7.3.4,
                       7.3.4+deb13-amd64, or a bzImage with its config beside it
      --cpus N         vCPUs (default 2)
      --memory SIZE    memory (default 1G)
      --accel A        auto (default: kvm, else tcg), kvm, tcg
                       (multi-threaded), tcg-single
      --session DIR    the session's directory (default: $SCX_VM_SESSION;
                       start: a new one under the cache)
      --smp SPEC       (boot) QEMU's -smp as it is, for a topology
                       (4,sockets=1,cores=2,threads=2)
      --add HOST:GUEST (boot) put a file or directory into the image
      --append ARGS    (boot) more of the kernel command line
      --console FILE   (boot) write the console there instead of stdout
      --timeout DURATION
                       (boot) give up after DURATION (default 15m)
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 the guest was in trouble (panic, oops, hang) or
the command failed, 64 usage, 69 QEMU, a kernel or the session unavailable,
130 interrupted. See scx-vm(1).
)";

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) { g_stop = 1; }

struct Args {
    vm::VmSettings vm;
    std::string session, append, console, smp;
    std::vector<std::pair<std::string, std::string>> add;
    std::uint64_t timeout_ns = 900 * scx::NSEC_PER_SEC;
    std::vector<std::string> rest;
};

// The options every command takes; the operands (and what follows --) in rest.
scx::Result<Args> parse(int argc, char **argv)
{
    enum { KERNEL = 1000, CPUS, MEMORY, ACCEL, SESSION, ADD, APPEND, CONSOLE, TIMEOUT, SMP };
    static const struct option longopts[] = {
        {"kernel", required_argument, nullptr, KERNEL}, {"cpus", required_argument, nullptr, CPUS},
        {"memory", required_argument, nullptr, MEMORY}, {"accel", required_argument, nullptr, ACCEL},
        {"session", required_argument, nullptr, SESSION}, {"add", required_argument, nullptr, ADD},
        {"append", required_argument, nullptr, APPEND}, {"console", required_argument, nullptr, CONSOLE},
        {"timeout", required_argument, nullptr, TIMEOUT}, {"smp", required_argument, nullptr, SMP},
        {nullptr, 0, nullptr, 0},
    };
    Args a;
    opterr = 0;
    optind = 2; // after the command
    int c;
    while ((c = getopt_long(argc, argv, "+", longopts, nullptr)) != -1) {
        switch (c) {
        case KERNEL: a.vm.kernel = optarg; break;
        case CPUS: {
            auto v = scx::int_value("--cpus", optarg, 1, 64);
            if (!v)
                return v.error();
            a.vm.cpus = static_cast<int>(*v);
            break;
        }
        case MEMORY: {
            auto v = scx::size_value("--memory", optarg);
            if (!v)
                return v.error();
            a.vm.memory = *v;
            break;
        }
        case ACCEL: a.vm.accel = optarg; break;
        case SESSION: a.session = optarg; break;
        case ADD: {
            const std::string s = optarg;
            const auto colon = s.find(':');
            if (colon == std::string::npos || colon == 0 || s[colon + 1] != '/')
                return scx::Error(scx::Exit::usage, "--add needs HOST:GUEST with an absolute GUEST path");
            a.add.emplace_back(s.substr(0, colon), s.substr(colon + 1));
            break;
        }
        case APPEND: a.append = optarg; break;
        case SMP: a.smp = optarg; break;
        case CONSOLE: a.console = optarg; break;
        case TIMEOUT: {
            auto v = scx::duration_value("--timeout", optarg, "1s");
            if (!v)
                return v.error();
            a.timeout_ns = *v;
            break;
        }
        default: return scx::Error(scx::Exit::usage, std::string("unrecognized option or missing argument '") +
                                                          argv[optind - 1] + "'");
        }
    }
    for (int i = optind; i < argc; i++)
        if (std::strcmp(argv[i], "--") != 0 || !a.rest.empty() || i != optind)
            a.rest.emplace_back(argv[i]);
    return a;
}

int kernels()
{
    auto l = vm::list_kernels();
    if (!l)
        return cli::report(l.error());
    std::fputs(vm::kernel_list_text(*l).c_str(), stdout);
    if (l->offline)
        cli::warn("Debian's archive cannot be reached: only cached kernels are listed");
    return 0;
}

// A VM that powers off by itself (the test suite's scenarios).
int boot(const Args &a)
{
    auto kernel = vm::find_kernel(a.vm.kernel);
    if (!kernel)
        return cli::report(kernel.error());
    auto programs = vm::guest_programs();
    if (!programs)
        return cli::report(programs.error());
    vm::ImageSpec spec;
    spec.programs = *programs;
    spec.extra = a.add;
    auto image = vm::guest_image(spec);
    if (!image)
        return cli::report(image.error());
    auto dir = scx::TempDir::create("scx-vm");
    if (!dir)
        return cli::report(dir.error());
    vm::VmConfig c;
    c.kernel = *kernel;
    c.image = *image;
    c.cpus = a.vm.cpus;
    c.smp = a.smp;
    c.memory = a.vm.memory;
    c.accel = a.vm.accel;
    c.append = a.append;
    c.dir = dir->path();
    c.agent = false;
    std::fprintf(stderr, "scx-vm: kernel %s, %s, %s vCPUs\n", kernel->version.c_str(),
                 vm::choose_accel(a.vm.accel).c_str(), a.smp.empty() ? std::to_string(a.vm.cpus).c_str() : a.smp.c_str());
    auto v = vm::Vm::boot(c, &g_stop);
    scx::Result<void> done = v ? v->wait_poweroff(a.timeout_ns, &g_stop) : scx::Result<void>(v.error());
    auto raw = scx::read_file(dir->path() + "/console.log");
    std::string log;
    for (char ch : raw ? *raw : std::string())
        if (ch != '\r')
            log += ch;
    if (auto w = cli::write_output(a.console.empty() ? "-" : a.console, log); !w)
        return cli::report(w.error());
    if (!done)
        return cli::report(scx::Error(done.error().exit == scx::Exit::interrupted ? scx::Exit::interrupted
                                                                                    : scx::Exit::failure,
                                      done.error().message));
    if (const std::string t = vm::console_trouble(log); !t.empty())
        return cli::report(scx::Error(scx::Exit::failure, "the guest's kernel was in trouble: " + t));
    return 0;
}

int exec(const Args &a)
{
    auto info = vm::read_session(vm::session_dir(a.session));
    if (!info)
        return cli::report(info.error());
    auto fd = vm::connect_agent(info->socket, 20 * scx::NSEC_PER_SEC);
    if (!fd)
        return cli::report(fd.error());
    vm::AgentClient agent(std::move(*fd), {});
    if (auto h = agent.hello(60 * scx::NSEC_PER_SEC); !h)
        return cli::report(h.error());
    auto st = agent.run(
        a.rest, [](std::string_view s) { (void)scx::write_full(1, s); },
        [](std::string_view s) { (void)scx::write_full(2, s); }, 0, &g_stop);
    if (!st)
        return cli::report(st.error());
    return *st < 0 ? 128 - *st : *st;
}

} // namespace

int main(int argc, char **argv)
{
    cli::set_program("scx-vm");
    if (argc < 2)
        return cli::usage_error("missing command (kernels, fetch, start, exec, stop, boot or agent)");
    const std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help")
        return cli::print_help(HELP);
    if (cmd == "-V" || cmd == "--version")
        return cli::print_version();
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    for (int s : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(s, &sa, nullptr);
    auto a = parse(argc, argv);
    if (!a)
        return cli::usage_error(a.error().message);
    const std::size_t operands = a->rest.size();
    if (cmd == "kernels")
        return operands ? cli::usage_error("kernels takes no operand") : kernels();
    if (cmd == "fetch") {
        if (operands > 1)
            return cli::usage_error("fetch takes one VERSION or PATH");
        auto k = vm::find_kernel(operands ? a->rest[0] : a->vm.kernel);
        if (!k)
            return cli::report(k.error());
        std::printf("%s\n", k->vmlinuz.c_str());
        return 0;
    }
    if (cmd == "start") {
        if (operands)
            return cli::usage_error("start takes no operand");
        auto s = vm::start_session(a->vm, a->session);
        if (!s)
            return cli::report(s.error());
        std::fprintf(stderr, "scx-vm: kernel %s, %s, %d vCPUs, booted in %.1f s\n", s->kernel.c_str(),
                     s->accelerator.c_str(), s->cpus, s->boot_s);
        std::printf("%s\n", s->dir.c_str());
        return 0;
    }
    if (cmd == "stop") {
        if (operands)
            return cli::usage_error("stop takes no operand");
        const std::string dir = vm::session_dir(a->session);
        if (dir.empty())
            return cli::usage_error("which session? (--session DIR, or SCX_VM_SESSION)");
        if (auto r = vm::stop_session(dir); !r)
            return cli::report(r.error());
        return 0;
    }
    if (cmd == "exec")
        return operands ? exec(*a) : cli::usage_error("exec needs a COMMAND after --");
    if (cmd == "boot")
        return operands ? cli::usage_error("boot takes no operand") : boot(*a);
    if (cmd == "agent") {
        if (operands != 1)
            return cli::usage_error("agent takes the PORT to serve");
        if (auto r = vm::serve(a->rest[0]); !r)
            return cli::report(r.error());
        return 0;
    }
    return cli::usage_error("unknown command '" + cmd + "'");
}
