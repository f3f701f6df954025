// SPDX-License-Identifier: MIT
//
// <scx/process.hpp> - run a child process and capture its output.

#ifndef SCX_PROCESS_HPP
#define SCX_PROCESS_HPP

#include <string>
#include <vector>

#include <scx/result.hpp>

namespace scx {

struct ProcessResult {
    int exit_code = -1;   // exit status, or -1 when killed by a signal
    int term_signal = 0;  // signal that killed it, 0 if it exited
    std::string out;      // captured standard output
    std::string err;      // captured standard error
    double seconds = 0.0; // wall time
};

// Run argv[0] (searched in PATH) with the given arguments; capture stdout and
// stderr. Fails only when the program cannot be started (Exit::unavailable).
Result<ProcessResult> run_process(const std::vector<std::string> &argv);

// Split "cc -O2" into words (no quoting rules beyond whitespace).
std::vector<std::string> split_words(const std::string &s);

} // namespace scx

#endif // SCX_PROCESS_HPP
