// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <scx/fs.hpp>
#include <scx/paths.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

Result<long long> parse_int(const char *option, const char *value, long long min, long long max)
{
    char *end = nullptr;
    errno = 0;
    const long long v = std::strtoll(value, &end, 10);
    if (errno || end == value || *end != '\0' || v < min || v > max)
        return Error(Exit::usage, std::string("invalid value '") + value + "' for " + option + " (expected an integer from " +
                                      std::to_string(min) + " to " + std::to_string(max) + ")");
    return v;
}

Result<long long> parse_duration_ns(const char *option, const char *value)
{
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(value, &end);
    const std::string unit = end ? end : "";
    double scale = 0;
    if (unit.empty() || unit == "s") scale = 1e9;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ns") scale = 1;
    else if (unit == "m" || unit == "min") scale = 60e9;
    if (errno || end == value || scale == 0 || !(v >= 0) || !std::isfinite(v) || v * scale > 9.2e18)
        return Error(Exit::usage, std::string("invalid duration '") + value + "' for " + option +
                                      " (examples: 10s, 250ms, 1.5, 2m)");
    return static_cast<long long>(std::llround(v * scale));
}

Result<double> parse_double(const char *option, const char *value, double lo, double hi, Range range)
{
    char *end = nullptr;
    const double v = std::strtod(value, &end);
    const bool in = range == Range::open ? v > lo && v < hi : v >= lo && v <= hi;
    if (end == value || *end != '\0' || !in) {
        char bounds[96];
        std::snprintf(bounds, sizeof bounds, range == Range::open ? "between %g and %g" : "from %g to %g", lo, hi);
        return Error(Exit::usage, std::string("invalid value '") + value + "' for " + option + " (expected a number " +
                                      bounds + ")");
    }
    return v;
}

} // namespace scx::cli
