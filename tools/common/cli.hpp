// SPDX-License-Identifier: MIT
//
// The command-line conventions every scx-* tool shares: --help to stdout and
// exit 0; --version; bad usage -> "Try 'scx-x --help'." and exit 64; errors
// printed once by main() as "scx-x: error: <message>"; -o FILE or - for
// standard output; --json error objects on stderr.

#ifndef SCX_TOOLS_CLI_HPP
#define SCX_TOOLS_CLI_HPP

#include <getopt.h>

#include <string>
#include <string_view>

#include "base/json.hpp"
#include <scx/result.hpp>

#include "base/parse.hpp"

namespace scx::cli {

// Set once at the start of main(): the tool name used in every message.
void set_program(const char *name);
const char *program();

// "scx-x: <message>\nTry 'scx-x --help'." on stderr; returns 64.
int usage_error(const std::string &message);
// Report getopt_long()'s complaint about argv[optind - 1]; returns 64.
int bad_option(char **argv);
// "scx-x (scxkit) 0.1.0" on stdout; returns 0.
int print_version();
// Print usage text to stdout; returns 0.
int print_help(std::string_view text);

// "scx-x: error: <message>" on stderr (and, with json, a JSON error object
// on stderr too); returns the exit status of the error's class.
int report(const Error &e, bool json = false);
// "scx-x: warning: <message>" on stderr.
void warn(const std::string &message);

// Write data to a file (atomically) or to standard output for "-".
Result<void> write_output(const std::string &path, std::string_view data);

bool stdout_is_tty();
bool stderr_is_tty();

// Option values (base/parse.hpp): the same syntax and messages in every tool.
inline Result<long long> parse_int(const char *option, const char *value, long long min, long long max)
{
    return option_int(option, value, min, max);
}
inline Result<long long> parse_duration_ns(const char *option, const char *value)
{
    return option_duration_ns(option, value);
}
using scx::Range;
inline Result<double> parse_double(const char *option, const char *value, double lo, double hi,
                                   Range range = Range::closed)
{
    return option_double(option, value, lo, hi, range);
}

} // namespace scx::cli

#endif // SCX_TOOLS_CLI_HPP
