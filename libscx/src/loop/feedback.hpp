// SPDX-License-Identifier: MIT
//
// <scx/feedback.hpp> - turn scxkit JSON results into prompt text.
//
// Readers for what the tools write: scxkit.build/1 (scx-build --json: the
// compile errors a repair prompt quotes), scxkit.run/1 (scx-run: exit
// report, counters, metrics) and scxkit.bench/1 (scx-bench: per-subject
// statistics and the comparison with a baseline). The run renderer knows the
// members that matter and lists any other member generically, so newer minor
// versions still come through; the bench renderer keeps to what a model can
// act on (statistics, failures, side metrics, verdicts), leaving out the
// method's bookkeeping and the raw samples.

#ifndef SCX_FEEDBACK_HPP
#define SCX_FEEDBACK_HPP

#include <string>
#include <string_view>

#include "base/json.hpp"
#include <scx/result.hpp>

namespace scx {

// Parse a document that is either one JSON value or a JSON Lines stream, in
// which case the last non-empty line is the document (a final report after
// periodic lines). Errors carry "source:line:column" of the real line.
Result<json::Value> parse_document_or_last_line(std::string_view text, const std::string &source);

struct FixInfo {
    std::string text;    // the section to put in the prompt
    std::string source;  // the source the build read ("-" for stdin)
    int errors = 0;      // errors quoted
    int warnings = 0;    // warnings quoted
    bool stopped = false; // the build stopped before compiling ("error" member)
};

// Read scxkit.build/1 and quote every error with its source line and notes
// (at most `max_diags` diagnostics; a line says how many were left out).
Result<FixInfo> read_fix(const json_t *build_doc, const std::string &source, int max_diags = 25);

struct FeedbackInfo {
    std::string text;   // the section to put in the prompt
    std::string schema; // "scxkit.run/1" or "scxkit.bench/1"
};

// Read scxkit.run/1 or scxkit.bench/1; Exit::data for any other kind.
Result<FeedbackInfo> read_feedback(const json_t *doc, const std::string &source);

// List the members of a JSON object as "name: value" lines, nested objects
// indented, arrays of numbers summarised (count, min, median, max), arrays
// of objects item by item. At most `max_lines` lines.
std::string render_members(const json_t *obj, int indent = 0, int max_lines = 120);

} // namespace scx

#endif // SCX_FEEDBACK_HPP
