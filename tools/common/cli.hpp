// SPDX-License-Identifier: MIT
//
// The command-line conventions every scx-* tool shares: --help to stdout and
// exit 0; --version; bad usage -> "Try 'scx-x --help'." and exit 64; errors
// printed once by main() as "scx-x: error: <message>"; -o FILE or - for
// standard output; --json error objects on stderr.

#ifndef SCX_TOOLS_CLI_HPP
#define SCX_TOOLS_CLI_HPP

#include <getopt.h>

#include <csignal>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include <scx/result.hpp>

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

// Split off everything after the first "--" (the workload command); return
// how many arguments come before it (argc when there is none).
int split_command(int argc, char **argv, std::vector<std::string> &command);

bool stdout_is_tty();
bool stderr_is_tty();

// Option values, with the messages of scx::int_value() and friends
// (base/parse.hpp), which the configuration file's settings share.
Result<long long> parse_int(const char *option, const char *value, long long min, long long max);
// "10s", "250ms", "2m", "1.5" (seconds) -> nanoseconds, at least `min`.
Result<long long> parse_duration_ns(const char *option, const char *value, const char *min = "0");
// A number from lo to hi (Range::closed), or strictly between them
// (Range::open); usage error text on failure.
enum class Range { closed, open };
Result<double> parse_double(const char *option, const char *value, double lo, double hi, Range range = Range::closed);

// From now on SIGINT, SIGTERM and SIGHUP only set the flag returned, so
// that a long measurement stops between two runs and still reports what it
// measured (exit 130).
const volatile std::sig_atomic_t *stop_on_signals();

} // namespace scx::cli

#endif // SCX_TOOLS_CLI_HPP
