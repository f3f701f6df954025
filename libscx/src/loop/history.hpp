// SPDX-License-Identifier: MIT
//
// <scx/history.hpp> - earlier rounds of an experiment loop, for the prompt.
//
// The history file is JSON Lines that a loop script appends to, one line per
// round (scx-json(5), scxkit.history/1):
//
//   {"type":"round","round":3,"change":"shorter slices for wakers",
//    "outcome":"kept","metrics":{"makespan_s":4.91}}
//
// Lines of another "type" are skipped, so the format can grow.

#ifndef SCX_HISTORY_HPP
#define SCX_HISTORY_HPP

#include <string>
#include <string_view>
#include <vector>

#include <scx/result.hpp>

namespace scx {

struct HistoryRound {
    long round = 0;        // from "round", or the line's position
    std::string change;    // what was tried
    std::string outcome;   // "kept", "reverted", "build_failed", "ejected", ...
    std::string details;   // every other member, rendered "name=value, ..."
};

// Parse the whole file. Exit::data with "source:line:column" on a malformed
// line or a line whose "schema" names another kind or major version.
Result<std::vector<HistoryRound>> read_history(std::string_view text, const std::string &source);

// The prompt section: the last `max_rounds` rounds, oldest first.
std::string render_history(const std::vector<HistoryRound> &rounds, std::size_t max_rounds = 20);

} // namespace scx

#endif // SCX_HISTORY_HPP
