// SPDX-License-Identifier: MIT
//
// <scx/llm/generation.hpp> - the outcome of scx-generate as data
// (scxkit.generation/1): the policy source or the error, with provider,
// model, usage, latency and cost.

#ifndef SCX_LLM_GENERATION_HPP
#define SCX_LLM_GENERATION_HPP

#include <optional>
#include <string>

#include "loop/extract.hpp"
#include "base/json.hpp"
#include "llm/generate.hpp"
#include <scx/result.hpp>

namespace scx::llm {

struct GenerationReport {
    CallRecord call;
    std::optional<Extracted> code;  // set on success
    std::optional<Error> error;     // set on failure
    std::optional<double> cost_usd;
    std::string transcript;         // path written by --log, "" if none
    std::string reply_saved;        // where a reply without a usable policy was saved
};

json::Value generation_json(const GenerationReport &r);
// The document as scx-generate --json prints it: generation_json(), dumped,
// passed through redact() with `secret` as transcripts are.
std::string generation_document(const GenerationReport &r, std::string_view secret);

// The check applied to a reply before extraction: Exit::data when it was
// cut off by the token limit.
Result<Extracted> policy_from_reply(const Reply &reply);

// Keep a reply that held no usable policy for inspection: written (with
// `secret` redacted, mode 0600) under `dir` (default: the cache's replies/
// directory) with a time-ordered name. Returns the path, or "" if it could
// not be written.
std::string save_reply(const std::string &text, const std::string &secret, const std::string &dir = "");

} // namespace scx::llm

#endif // SCX_LLM_GENERATION_HPP
