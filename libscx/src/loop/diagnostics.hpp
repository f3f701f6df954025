// SPDX-License-Identifier: MIT
//
// <scx/diagnostics.hpp> - compiler diagnostics as data.
//
// scx-build asks the compiler for machine-readable diagnostics (GCC's
// -fdiagnostics-format=json, Clang's SARIF) and turns them, together with any
// plain-text lines from the linker, into Diagnostic records that a repair
// prompt can quote.

#ifndef SCX_DIAGNOSTICS_HPP
#define SCX_DIAGNOSTICS_HPP

#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include <scx/result.hpp>

namespace scx {

enum class DiagFormat { gcc_json, sarif, text };

struct Diagnostic {
    std::string severity;    // "error", "warning" or "note"
    std::string file;        // as the compiler named it ("" for linker messages without a file)
    int line = 0, column = 0; // 1-based, 0 = unknown
    std::string message;
    std::string option;      // warning option, e.g. "-Wunused-variable" ("" if none)
    std::string source_line; // text of `line` in `file`, when known
    std::vector<Diagnostic> notes;
};

// Parse a compiler's stderr. Text outside the machine-readable part (linker
// errors, "collect2: ...") is parsed as "file:line:col: severity: message"
// lines and "undefined reference" messages. Bytes that are not UTF-8 are
// replaced with U+FFFD (locations are kept). Exit::data if the structured
// part is malformed.
Result<std::vector<Diagnostic>> parse_diagnostics(std::string_view stderr_text, DiagFormat format);

// Rename `from` to `to` in every diagnostic (temporary build path -> user's
// path) and fill source_line from `source` for diagnostics in that file.
void attach_source(std::vector<Diagnostic> &diags, const std::string &from, const std::string &to,
                   std::string_view source);

// Count diagnostics with the given severity (top level only).
int count_severity(const std::vector<Diagnostic> &diags, std::string_view severity);

// JSON array of diagnostic objects (scx-json(5), scxkit.build/1) and back.
json::Value diagnostics_to_json(const std::vector<Diagnostic> &diags);
std::vector<Diagnostic> diagnostics_from_json(const json_t *array);

// Classic one-diagnostic-per-block text, as compilers print it:
//   file:line:col: error: message
//       12 |   source line
std::string format_diagnostics(const std::vector<Diagnostic> &diags);

} // namespace scx

#endif // SCX_DIAGNOSTICS_HPP
