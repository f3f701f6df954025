// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include "base/fs.hpp"
#include "base/parse.hpp"
#include "base/paths.hpp"

#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace scx::cli {

namespace {
const char *g_program = "scx";
}

void set_program(const char *name) { g_program = name; }
const char *program() { return g_program; }

int usage_error(const std::string &message)
{
    std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", g_program, message.c_str(), g_program);
    return static_cast<int>(Exit::usage);
}

int bad_option(char **argv)
{
    const char *arg = argv[optind - 1];
    if (optopt && arg && arg[0] == '-' && arg[1] != '-') {
        // Short option: either unknown or missing its argument.
        return usage_error(std::string("invalid option or missing argument -- '") + static_cast<char>(optopt) + "'");
    }
    std::string a = arg ? arg : "?";
    const auto eq = a.find('=');
    if (eq != std::string::npos)
        a.erase(eq);
    return usage_error("unrecognized option or missing argument '" + a + "'");
}

int print_version()
{
    std::printf("%s (scxkit) %s\n", g_program, scx::version());
    return 0;
}

int print_help(std::string_view text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int report(const Error &e, bool json)
{
    std::fprintf(stderr, "%s: error: %s\n", g_program, e.message.c_str());
    if (json) {
        auto o = json::object();
        auto err = json::object();
        json::set(err.get(), "code", exit_name(e.exit));
        json::set(err.get(), "exit_status", static_cast<int>(e.exit));
        json::set(err.get(), "message", e.message);
        json::set(o.get(), "error", err);
        std::fprintf(stderr, "%s\n", json::dump(o.get(), false).c_str());
    }
    return static_cast<int>(e.exit);
}

void warn(const std::string &message) { std::fprintf(stderr, "%s: warning: %s\n", g_program, message.c_str()); }

Result<void> write_output(const std::string &path, std::string_view data)
{
    if (path == "-") {
        std::fflush(stdout);
        return write_file_atomic("-", data);
    }
    return write_file_atomic(path, data);
}

int split_command(int argc, char **argv, std::vector<std::string> &command)
{
    for (int i = 1; i < argc; i++)
        if (std::strcmp(argv[i], "--") == 0) {
            command.assign(argv + i + 1, argv + argc);
            return i;
        }
    return argc;
}

bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

Result<long long> parse_int(const char *option, const char *value, long long min, long long max)
{
    return int_value(option, value, min, max);
}

Result<long long> parse_duration_ns(const char *option, const char *value, const char *min)
{
    auto v = duration_value(option, value, min);
    if (!v)
        return std::move(v).error();
    return static_cast<long long>(*v);
}

Result<double> parse_double(const char *option, const char *value, double lo, double hi, Range range)
{
    return number_value(option, value, lo, hi, range == Range::open ? Bounds::open : Bounds::closed);
}

namespace {
volatile std::sig_atomic_t stop_requested = 0;
extern "C" void on_stop_signal(int) { stop_requested = 1; }
} // namespace

const volatile std::sig_atomic_t *stop_on_signals()
{
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        sigaction(sig, &sa, nullptr);
    return &stop_requested;
}

} // namespace scx::cli
