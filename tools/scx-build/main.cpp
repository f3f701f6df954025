// SPDX-License-Identifier: MIT
//
// scx-build - compile a policy source into a policy shared object.

#include "loop/build.hpp"
#include "base/fs.hpp"
#include "base/parse.hpp"
#include "base/strformat.hpp"

#include <csignal>
#include <cstdio>

#include "../common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-build [OPTIONS] SOURCE

Compile a scxkit policy (C++20, see scx-policy(7)) into a shared object that
scx-run and scx-bench load. SOURCE is a file, or - for standard input.

Options:
  -o, --output FILE    shared object to write (default: SOURCE with .so;
                       required when SOURCE is -)
      --json           print an scxkit.build/1 report on standard output
  -D, --define NAME[=VALUE]
                       pass a preprocessor definition to the compiler
      --no-cache       always compile; do not use or fill the build cache
      --compile-timeout DURATION
                       stop the compiler after DURATION of wall-clock time
                       (default 2m; 0: no limit)
      --compile-memory SIZE
                       memory limit of each compiler process (address
                       space; default 2G; 0: no limit)
  -v, --verbose        show the compiler command and timing on stderr
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 built, 1 compile errors or the compiler stopped at a limit,
64 usage (or OUTPUT is SOURCE), 65 empty source or no SCX_POLICY
registration, 66 missing source, 69 no compiler, 74 output not writable,
130 interrupted (SIGINT, SIGTERM, SIGHUP). See scx-build(1).
)";

std::string default_output(const std::string &source)
{
    std::string out = source;
    const auto slash = out.rfind('/');
    const auto dot = out.rfind('.');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash))
        out.erase(dot);
    return out + ".so";
}

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_signal(int) { g_stop = 1; }

// SIGINT, SIGTERM and SIGHUP stop the compiler's process group (it leads a
// group of its own, so a terminal's Ctrl-C reaches scx-build only) and end
// the build with 130, after the temporary directory has gone. No
// SA_RESTART: a read of the source from a terminal or a pipe must return.
void install_signal_handlers()
{
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        sigaction(sig, &sa, nullptr);
}

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-build");
    install_signal_handlers();
    enum { OPT_TIMEOUT = 256, OPT_MEMORY };
    static const struct option longopts[] = {
        {"output", required_argument, nullptr, 'o'},
        {"json", no_argument, nullptr, 'j'},
        {"define", required_argument, nullptr, 'D'},
        {"no-cache", no_argument, nullptr, 'n'},
        {"compile-timeout", required_argument, nullptr, OPT_TIMEOUT},
        {"compile-memory", required_argument, nullptr, OPT_MEMORY},
        {"verbose", no_argument, nullptr, 'v'},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };
    scx::BuildRequest req;
    bool json = false, verbose = false;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:D:vhV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'o': req.output = optarg; break;
        case 'j': json = true; break;
        case 'D': req.extra_flags.push_back(std::string("-D") + optarg); break;
        case 'n': req.use_cache = false; break;
        case OPT_TIMEOUT: {
            // 0 turns the limit off; a limit under a second is a mistake.
            auto v = scx::duration_value("--compile-timeout", optarg);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            if (*v != 0 && *v < 1'000'000'000ULL)
                return scx::cli::usage_error("--compile-timeout must be 0 (no limit) or at least 1s");
            req.compile_timeout_ns = *v;
            break;
        }
        case OPT_MEMORY: {
            auto v = scx::size_value("--compile-memory", optarg);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            if (*v != 0 && *v < (64ULL << 20))
                return scx::cli::usage_error("--compile-memory must be 0 (no limit) or at least 64M");
            req.compile_memory = *v;
            break;
        }
        case 'v': verbose = true; break;
        case 'h': return scx::cli::print_help(HELP);
        case 'V': return scx::cli::print_version();
        default: return scx::cli::bad_option(argv);
        }
    }
    if (optind >= argc)
        return scx::cli::usage_error("missing SOURCE");
    if (optind + 1 < argc)
        return scx::cli::usage_error("too many arguments (one SOURCE at a time)");
    req.source = argv[optind];
    if (req.output.empty()) {
        if (req.source == "-")
            return scx::cli::usage_error("-o FILE is required when the source is standard input");
        req.output = default_output(req.source);
    }
    if (req.output == "-")
        return scx::cli::usage_error("a shared object cannot be written to standard output; use -o FILE");

    req.cancel = &g_stop;
    const scx::BuildConfig cfg = scx::default_build_config();
    auto rep = scx::build_policy(req, cfg);
    if (!rep) {
        if (json)
            std::printf("%s\n", scx::json::dump(scx::build_error_json(req, rep.error()).get()).c_str());
        return scx::cli::report(rep.error());
    }
    if (json)
        std::printf("%s\n", scx::json::dump(scx::build_report_json(*rep).get()).c_str());
    else {
        // A stop is said once, in the summary below.
        auto shown = rep->diagnostics;
        if (!rep->stopped.empty() && !shown.empty() && shown.back().message == rep->stopped)
            shown.pop_back();
        std::fputs(scx::format_diagnostics(shown).c_str(), stderr);
    }
    if (verbose) {
        if (!rep->command.empty()) {
            std::fprintf(stderr, "scx-build: %s\n", scx::join(rep->command).c_str());
        }
        std::fprintf(stderr, "scx-build: %s %s in %.3f s%s\n", rep->ok ? "built" : "failed to build",
                     rep->output.c_str(), rep->seconds, rep->cached ? " (cached)" : "");
    }
    if (!rep->ok) {
        const int n = scx::count_severity(rep->diagnostics, "error");
        const std::string what = !rep->stopped.empty() ? rep->stopped
                                                       : std::to_string(n) + (n == 1 ? " error" : " errors");
        std::fprintf(stderr, "scx-build: error: %s: %s; %s was not written%s\n",
                     req.source == "-" ? "<stdin>" : req.source.c_str(), what.c_str(), req.output.c_str(),
                     rep->removed_stale ? " (the older one was removed)" : "");
        return 1;
    }
    return 0;
}
