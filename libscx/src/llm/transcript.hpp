// SPDX-License-Identifier: MIT
//
// <scx/llm/transcript.hpp> - one JSON file per model call
// (scxkit.transcript/1): the conversation, the request without credentials,
// every attempt, the reply, usage and timings. scx-generate --log DIR writes
// them; the replay provider reads them back.

#ifndef SCX_LLM_TRANSCRIPT_HPP
#define SCX_LLM_TRANSCRIPT_HPP

#include <string>

#include "base/json.hpp"
#include "llm/generate.hpp"
#include <scx/result.hpp>

namespace scx::llm {

json::Value transcript_json(const CallRecord &rec);

// Write DIR/<UTC time>-<pid>-<provider>.json atomically (creating DIR);
// returns the path. The text is passed through redact() with `secret`.
Result<std::string> write_transcript(const std::string &dir, const CallRecord &rec, const std::string &secret);

// What replay needs from a transcript.
struct RecordedCall {
    std::string path;
    Conversation conversation;
    std::string request_hash; // recomputed from the conversation
    std::string provider, model;
    Reply reply;
};

// Read a transcript; Exit::data when it is not scxkit.transcript/1 or holds
// no reply (a failed call).
Result<RecordedCall> read_transcript(const json_t *doc, const std::string &path);

} // namespace scx::llm

#endif // SCX_LLM_TRANSCRIPT_HPP
