// SPDX-License-Identifier: MIT
//
// scx-run - host a policy: check it, simulate it, or run it on the kernel.

#include <cstdio>
#include <string>

#include "../common/cli.hpp"
#include "modes.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-run --check [--json] POLICY.so

Load a policy shared object built by scx-build and run it.

Modes:
      --check          load the policy (checking its ABI), hand it a few tasks
                       on the in-process test backend and report whether it
                       dispatched them all

Options:
      --json           JSON output (the default when stdout is not a terminal)
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 the policy failed, 64 usage, 65 not a policy or
wrong ABI, 66 missing policy file. See scx-run(1).
)";

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-run");
    static const struct option longopts[] = {
        {"check", no_argument, nullptr, 'c'}, {"json", no_argument, nullptr, 'j'},
        {"help", no_argument, nullptr, 'h'},  {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };
    bool check = false, json = !scx::cli::stdout_is_tty();
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "hV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'c': check = true; break;
        case 'j': json = true; break;
        case 'h': return scx::cli::print_help(HELP);
        case 'V': return scx::cli::print_version();
        default: return scx::cli::bad_option(argv);
        }
    }
    if (optind >= argc)
        return scx::cli::usage_error("missing POLICY.so");
    if (optind + 1 < argc)
        return scx::cli::usage_error("too many arguments");
    if (!check)
        return scx::cli::usage_error("no mode given (only --check is available in this build)");
    return run_check(argv[optind], json);
}
