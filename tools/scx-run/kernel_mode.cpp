// SPDX-License-Identifier: MIT
// scx-run POLICY.so (the default mode): run the policy as the machine's
// scheduler on a sched_ext kernel. The work is libscx's run_host(); this
// file parses options, checks root and sched_ext, and prints.
#include "modes.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

#include <scx/policy.hpp>

#include "../common/cli.hpp"

#ifdef SCX_HAVE_BPF
#include "kernel/host.hpp"
#endif

const char *const KERNEL_USAGE =
    "scx-run [OPTION...] POLICY.so                  (on the kernel: root, sched_ext)\n"
    "scx-run --bpf-only [OPTION...]\n";
const char *const KERNEL_HELP = R"(Kernel mode (the default; needs root and a kernel with sched_ext):
      --user USER      run the policy as USER, without privileges (default:
                       nobody); NAME, UID or UID:GID, never root
      --interval DURATION
                       print statistics every DURATION (default 1s; 0: none)
      --duration DURATION
                       stop after DURATION (default: until SIGINT/SIGTERM)
      --slice DURATION default time slice (default 20ms)
      --timeout-ms MS  watchdog: eject the scheduler when a runnable task waits
                       longer than MS (default: the kernel's, 30000)
      --partial        schedule only tasks in the SCHED_EXT class
      --bpf-only       no policy: the BPF half runs a global FIFO by itself
                       (a reference point for benchmarks)
      --json           JSON Lines output (the default when stdout is not a
                       terminal)
)";

#ifdef SCX_HAVE_BPF

namespace {

void print_stats(const scx::kernel::StatsLine &l, bool json)
{
    if (json)
        std::printf("%s\n", scx::json::dump(scx::kernel::stats_json(l).get(), false).c_str());
    else
        std::fputs(scx::kernel::stats_text(l).c_str(), stdout);
    std::fflush(stdout);
}

void print_report(const scx::kernel::RunReport &r, bool json)
{
    if (json)
        std::printf("%s\n", scx::json::dump(scx::kernel::report_json(r).get(), false).c_str());
    else
        std::fputs(scx::kernel::report_text(r).c_str(), stdout);
}

} // namespace

#endif

namespace {

// The command line, parsed the same way whether or not this build has the
// kernel backend (usage errors are usage errors everywhere).
struct Args {
    std::string policy_path, user;
    std::uint64_t interval_ns = scx::NSEC_PER_SEC, duration_ns = 0, slice_ns = scx::SLICE_DEFAULT_NS;
    std::uint32_t timeout_ms = 0;
    bool partial = false, bpf_only = false, json = false;
};

} // namespace

int run_kernel(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"user", required_argument, nullptr, 'u'},
        {"interval", required_argument, nullptr, 'i'},
        {"duration", required_argument, nullptr, 'd'},
        {"slice", required_argument, nullptr, 's'},
        {"timeout-ms", required_argument, nullptr, 't'},
        {"partial", no_argument, nullptr, 'p'},
        {"bpf-only", no_argument, nullptr, 'b'},
        {"json", no_argument, nullptr, 'j'},
        {nullptr, 0, nullptr, 0},
    };
    Args opts;
    bool json_out = !scx::cli::stdout_is_tty();
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, nullptr)) != -1) {
        switch (c) {
        case 'u': opts.user = optarg; break;
        case 'i':
        case 'd':
        case 's': {
            auto v = scx::cli::parse_duration_ns(argv[optind - 1], optarg);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            const auto ns = static_cast<std::uint64_t>(*v);
            if (c == 'i')
                opts.interval_ns = ns;
            else if (c == 'd')
                opts.duration_ns = ns;
            else if (ns < 100 * scx::NSEC_PER_USEC || ns > 10 * scx::NSEC_PER_SEC)
                return scx::cli::usage_error("--slice must be between 100us and 10s");
            else
                opts.slice_ns = ns;
            break;
        }
        case 't': {
            auto v = scx::cli::parse_int("--timeout-ms", optarg, 100, 30000);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            opts.timeout_ms = static_cast<std::uint32_t>(*v);
            break;
        }
        case 'p': opts.partial = true; break;
        case 'b': opts.bpf_only = true; break;
        case 'j': json_out = true; break;
        default: return scx::cli::bad_option(argv);
        }
    }
    if (opts.bpf_only) {
        if (optind < argc)
            return scx::cli::usage_error("--bpf-only takes no POLICY.so");
    } else {
        if (optind >= argc)
            return scx::cli::usage_error("missing POLICY.so");
        if (optind + 1 < argc)
            return scx::cli::usage_error("too many arguments");
        opts.policy_path = argv[optind];
    }

#ifndef SCX_HAVE_BPF
    return scx::cli::report(scx::Error(scx::Exit::unavailable, "kernel mode is not available in this build "
                                                               "(configured without the bpf feature); use --check"),
                            json_out);
#else
    if (::geteuid() != 0)
        return scx::cli::report(scx::Error(scx::Exit::no_perm,
                                           "kernel mode needs root (loading a sched_ext scheduler needs CAP_BPF and "
                                           "CAP_SYS_ADMIN; the policy itself runs unprivileged); try sudo, or "
                                           "--check to test the policy without a kernel"),
                                json_out);
    if (auto r = scx::kernel::check_support(scx::kernel::probe_support()); !r)
        return scx::cli::report(r.error(), json_out);

    scx::kernel::HostOptions host;
    host.policy_path = opts.policy_path;
    host.user = opts.user;
    host.interval_ns = opts.interval_ns;
    host.duration_ns = opts.duration_ns;
    host.sched.slice_ns = opts.slice_ns;
    host.sched.timeout_ms = opts.timeout_ms;
    host.sched.partial = opts.partial;
    host.sched.bpf_only = opts.bpf_only;
    auto report = scx::kernel::run_host(host, [&](const scx::kernel::StatsLine &l) { print_stats(l, json_out); });
    if (!report)
        return scx::cli::report(report.error(), json_out);
    print_report(*report, json_out);
    if (report->failed())
        return scx::cli::report(scx::Error(scx::Exit::failure, "the scheduler stopped: " + report->exit.kind +
                                                                   (report->exit.message.empty() ? "" : ": ") +
                                                                   report->exit.message));
    return 0;
#endif
}
