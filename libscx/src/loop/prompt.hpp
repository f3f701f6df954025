// SPDX-License-Identifier: MIT
//
// <scx/prompt.hpp> - assemble the request a language model answers with a
// policy source, and read it back (scxkit.prompt/1).
//
// A prompt is provider-neutral: a system text and a list of messages. The
// user message carries the API reference (generated from <scx/policy.hpp>),
// the base policy source, the requirement and, when given, the build errors
// to fix, measurements and the earlier rounds of a loop.

#ifndef SCX_PROMPT_HPP
#define SCX_PROMPT_HPP

#include <string>
#include <vector>

#include "base/json.hpp"
#include <scx/result.hpp>

namespace scx {

struct PromptMessage {
    std::string role; // "user" or "assistant"
    std::string content;
};

struct PromptSection {
    std::string name;  // "api", "base", "requirement", "fix", "feedback", "history", "task"
    std::size_t chars = 0;
};

struct PromptInputs {
    std::string requirement;   // plain words; may be empty with a fix
    std::string base_path;     // as given by the user
    std::string base_source;   // its text
    std::string system;        // "" = default_system_text()
    std::string system_path;   // where a replaced system text came from ("" = built in)
    std::string fix_text;      // read_fix() or read_run_fix() output, "" if none
    std::string fix_path;
    int fix_errors = 0;
    std::string fix_exit;      // a run's exit kind ("stall", ...): the fix is of a run, not a build
    std::string fix_events;    // render_last_events() output, "" if none (run fixes only)
    std::string fix_events_path;
    struct Feedback {
        std::string path, schema, text;
    };
    std::vector<Feedback> feedback;
    std::string history_text;  // render_history() output, "" if none
    std::string history_path;
    std::size_t history_rounds = 0;
};

struct Prompt {
    std::string system;
    std::vector<PromptMessage> messages;
    json::Value metadata; // object, see scx-json(5)
    std::vector<PromptSection> sections;
};

// The built-in system text.
const std::string &default_system_text();

// Assemble the prompt. Pure: no I/O.
Prompt assemble_prompt(const PromptInputs &in);

// Size of the whole prompt in characters and an estimate of its tokens
// (one token per four characters, rounded up: a fair figure for English and
// C++ with current tokenizers).
std::size_t prompt_chars(const Prompt &p);
std::size_t estimate_tokens(std::size_t chars);

// scxkit.prompt/1 and back. The reader checks the schema, that "system" is
// a string and "messages" a non-empty array of {"role","content"} strings
// ending with a user message; Exit::data otherwise.
json::Value prompt_to_json(const Prompt &p);
Result<Prompt> prompt_from_json(const json_t *doc, const std::string &source);

// Plain text to paste into a chat window: the system text, then the messages.
std::string prompt_to_text(const Prompt &p);

} // namespace scx

#endif // SCX_PROMPT_HPP
