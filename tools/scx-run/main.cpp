// SPDX-License-Identifier: MIT
//
// scx-run - host a policy: check it, simulate it, or run it on the kernel.

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>

#include "../common/cli.hpp"
#include "modes.hpp"

namespace {

constexpr const char *HEAD = R"(Load a policy shared object built by scx-build and run it.

)";

constexpr const char *TAIL = R"(
Common options:
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 the policy failed (or was ejected), 64 usage,
65 not a policy or wrong ABI, 66 missing file, 69 sched_ext or BPF
unavailable, 77 needs root. See scx-run(1).
)";

enum class Mode { check, sim, kernel };

// "Usage: " before the first synopsis line, aligned indentation before the rest.
void print_usage(std::initializer_list<const char *> usages)
{
    const char *prefix = "Usage: ";
    for (const char *u : usages) {
        for (const char *line = u; *line;) {
            const char *end = std::strchr(line, '\n');
            const size_t n = end ? static_cast<size_t>(end - line) : std::strlen(line);
            std::printf("%s%.*s\n", prefix, static_cast<int>(n), line);
            prefix = "       ";
            line += n + (end ? 1 : 0);
        }
    }
}

bool is(const char *arg, const char *opt)
{
    const size_t n = std::strlen(opt);
    return std::strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-run");
    Mode mode = Mode::kernel;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (std::strcmp(a, "--") == 0)
            break;
        if (is(a, "--help") || std::strcmp(a, "-h") == 0) {
            print_usage({KERNEL_USAGE, SIM_USAGE, CHECK_USAGE});
            std::printf("\n%s%s\n%s\n%s%s", HEAD, KERNEL_HELP, SIM_HELP, CHECK_HELP, TAIL);
            return 0;
        }
        if (is(a, "--version") || std::strcmp(a, "-V") == 0)
            return scx::cli::print_version();
        if (is(a, "--check"))
            mode = Mode::check;
        if (is(a, "--sim"))
            mode = Mode::sim;
    }
    switch (mode) {
    case Mode::check:
        return run_check(argc, argv);
    case Mode::sim:
        return run_sim(argc, argv);
    case Mode::kernel:
        break;
    }
    return run_kernel(argc, argv);
}
