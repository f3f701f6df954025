// SPDX-License-Identifier: MIT
//
// One generation, as scx-generate runs it, between its command line and its
// output: the settings (flag > environment > configuration file), the
// prompt's conversation, the outputs checked before any money is spent, the
// call (or the replay), the transcript, the extracted policy written to its
// file. The tool parses options and prints; everything else is here.

#ifndef SCX_LLM_SESSION_HPP
#define SCX_LLM_SESSION_HPP

#include <functional>
#include <string>

#include "llm/generate.hpp"
#include "llm/generation.hpp"
#include "llm/http.hpp"
#include "llm/replay.hpp"
#include "llm/settings.hpp"
#include <scx/result.hpp>

namespace scx::llm {

// What scx-generate was asked to do.
struct GenerateJob {
    std::string input = "-"; // the scxkit.prompt/1 document; "-" = standard input
    std::string output;      // the policy source file; "" = standard output
    std::string log_dir;     // where the transcript goes; "" = none
    std::string config;      // configuration file; "" = the default one, which may be absent
    SettingFlags flags;
};

using Warn = std::function<void(const std::string &)>;

// The settings for `job`. --replay SOURCE implies the replay provider
// (Exit::usage with another --provider, and for the replay provider without
// a source); a configuration file that others can read while it holds a key
// is a warning. Errors keep the classes of load_config() and
// resolve_settings().
Result<Settings> configure(const GenerateJob &job, const Getenv &env, const Warn &warn);

// The conversation of a scxkit.prompt/1 document (a file or "-").
Result<Conversation> read_conversation(const std::string &input);

// Fail before the call when an output could not be written: the output
// file (its directory must be writable, and it must not be a directory),
// the transcript directory (made if need be), and standard output when
// `to_stdout` (the code or the --json document goes there). Exit::io.
Result<void> check_outputs(const GenerateJob &job, bool to_stdout);

struct GenerateHooks {
    CallHooks call;                                  // progress and retries of a live call
    std::function<void(const ReplayHit &)> replayed; // a recorded answer is served
    Warn warn;                                       // the transcript could not be written, ...
    HttpTransport *http = nullptr;                   // nullptr: libcurl
    std::string replay_state_dir;                    // "" = the cache's replay/
    std::string replies_dir;                         // "" = the cache's replies/
};

// Ask the model (or replay), write the transcript to job.log_dir, extract
// the policy and write it atomically to job.output. `report` records what
// happened, failed or not; a reply without a usable policy is saved and the
// error says where.
Result<void> generate(const GenerateJob &job, const Settings &s, const Conversation &conv,
                      const GenerateHooks &hooks, GenerationReport &report);

// The lines of --verbose: the settings and where each came from (never the
// key), and the outcome (usage, latency, attempts, cost, extraction).
std::string describe_settings(const Settings &s);
std::string describe_outcome(const GenerationReport &r);

} // namespace scx::llm

#endif // SCX_LLM_SESSION_HPP
