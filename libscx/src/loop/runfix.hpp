// SPDX-License-Identifier: MIT
//
// <scx/runfix.hpp> - a failed run as the text of a repair prompt.
//
// A policy that builds can still fail when it runs: ejected for a stall,
// crashed, refused, too slow. read_run_fix() reads the scxkit.run/1 document
// of such a run and says what happened in plain words (what the exit kind
// means for a policy and what usually causes it), then the data: the exit
// kind, reason, message and code, the workload and its parameters, the CPUs,
// the watchdog and the counters. render_last_events() adds the last
// scheduling events before the failure from a simulator event stream
// (scx-run --sim --events FILE, scxkit.events/1).

#ifndef SCX_RUNFIX_HPP
#define SCX_RUNFIX_HPP

#include <string>
#include <string_view>

#include "base/json.hpp"
#include <scx/result.hpp>

namespace scx {

struct RunFix {
    std::string text;      // the section to put in the prompt
    std::string exit_kind; // "stall", "crash", ...
    std::string policy_path;
};

// Read a scxkit.run/1 document. Exit::data for any other document, and for
// a run that ended well ("done": there is nothing to repair).
Result<RunFix> read_run_fix(const json_t *run_doc, const std::string &source);

// The last `n` events of a JSON Lines event stream, one line each
// ("t=12.345678ms cpu 1 dispatch pid 42 (worker) slice_ns=5000000"), oldest
// first; the header and end lines are left out. Exit::data for a line that
// is not JSON.
Result<std::string> render_last_events(std::string_view jsonl, const std::string &source, int n = 20);

} // namespace scx

#endif // SCX_RUNFIX_HPP
