// SPDX-License-Identifier: MIT
//
// <scx/llm/replay.hpp> - the offline provider: answers from recorded
// transcripts (the files scx-generate --log writes).
//
// The source is one transcript file or a directory of them (*.json, taken
// in file-name order, which for --log files is the order they were
// recorded). Selection for a request:
//   1. hash: the first transcript, at or after the cursor, whose
//      conversation hash equals the request's; else any that matches;
//   2. sequence: otherwise the transcript at the cursor.
// The cursor is the position after the transcript served last; it is kept
// in a state file (one per source, under $XDG_CACHE_HOME/scxkit/replay/),
// so that the separate scx-generate calls of a multi-round loop walk
// through the recording in order even when prompts differ in details
// (compiler messages, timings). A single file is always served.

#ifndef SCX_LLM_REPLAY_HPP
#define SCX_LLM_REPLAY_HPP

#include <string>

#include "llm/generate.hpp"
#include "llm/provider.hpp"
#include "llm/transcript.hpp"
#include <scx/result.hpp>

namespace scx::llm {

struct ReplayHit {
    RecordedCall call;
    std::string match; // "hash" or "sequence"
    std::size_t index = 0, count = 0; // 1-based position in the source, number of transcripts
};

// `state_dir` "" = do not keep a cursor (always start at the beginning).
// Exit::no_input when the source is missing or holds no transcript;
// Exit::unavailable when the sequence is used up.
Result<ReplayHit> replay_answer(const std::string &source, const Conversation &conv, const std::string &state_dir);

// replay_answer() as a call: fills `rec` the way call_model() does for a
// live provider (for --log transcripts and scxkit.generation/1), with
// replayed_from and replay_match set, and returns the recorded reply.
Result<Reply> replay_call(const std::string &source, const Conversation &conv, const std::string &state_dir,
                          CallRecord &rec, ReplayHit &hit);

// Where the cursor for `source` is kept under `state_dir`.
std::string replay_state_path(const std::string &source, const std::string &state_dir);

} // namespace scx::llm

#endif // SCX_LLM_REPLAY_HPP
