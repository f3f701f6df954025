// SPDX-License-Identifier: MIT
//
// <scx/llm/settings.hpp> - which provider, model and endpoint to use, and
// how: command-line flag > environment > configuration file > default.
//
// Environment: SCX_PROVIDER, SCX_MODEL, SCX_ENDPOINT, SCX_API_KEY, and the
// providers' own OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY,
// ANTHROPIC_BASE_URL, OLLAMA_HOST (the SCX_ names win). When neither a flag,
// SCX_PROVIDER nor the file names the provider, it is the one whose own
// variables are set (OPENAI_*, then ANTHROPIC_*, then OLLAMA_HOST), else openai.
//
// Configuration file ($XDG_CONFIG_HOME/scxkit/generate.conf): "key = value"
// lines, '#' comments, and optional [provider] sections whose keys apply
// only to that provider and override the keys above the first section.
// Keys: provider, model, endpoint, api_key, temperature, max_tokens,
// connect_timeout, timeout, retries, stream, price_input, price_output, seed.

#ifndef SCX_LLM_SETTINGS_HPP
#define SCX_LLM_SETTINGS_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <scx/result.hpp>

namespace scx::llm {

struct Settings {
    std::string provider;       // openai | anthropic | ollama | replay
    std::string model;
    std::string endpoint;       // base URL (see provider.hpp)
    std::string api_key;        // never printed, logged or recorded
    std::string api_key_from;   // where it came from ("OPENAI_API_KEY", "generate.conf"), for messages
    std::optional<double> temperature;
    std::optional<long> max_tokens;
    std::optional<std::int64_t> seed; // sampling seed (openai, ollama; see RequestOptions)
    long connect_timeout_ms = 10'000;
    long timeout_ms = 600'000;
    int retries = 3;
    bool stream = true;
    std::optional<double> price_input;  // USD per million input tokens
    std::optional<double> price_output; // USD per million output tokens
    std::string replay;         // transcript file or directory (provider replay)
    std::map<std::string, std::string> origin; // setting -> "flag", "SCX_MODEL", "generate.conf:3", "default"
};

// The ranges of the settings, the same for an option and for the
// configuration file.
inline constexpr double TEMPERATURE_MAX = 2;           // from 0
inline constexpr std::int64_t SEED_MAX = 2147483647;  // from 0: a 32-bit signed value every provider takes
inline constexpr long MAX_TOKENS_LIMIT = 10'000'000;   // from 1
inline constexpr long RETRIES_LIMIT = 100;             // from 0
inline constexpr const char *TIMEOUT_MIN = "1ms";      // connect_timeout and timeout
inline constexpr double PRICE_LIMIT = 1e6;             // USD per million tokens, from 0

// Values given on the command line ("" / nullopt = not given). Already
// checked for syntax by the tool.
struct SettingFlags {
    std::string provider, model, endpoint, replay;
    std::optional<double> temperature;
    std::optional<std::int64_t> seed;
    std::optional<long> max_tokens, connect_timeout_ms, timeout_ms, retries;
    std::optional<bool> stream;
};

struct ConfigEntry {
    std::string value;
    int line = 0;
};

// Keys of the configuration file: "" section = global, else provider name.
struct ConfigFile {
    std::string path;
    std::map<std::string, std::map<std::string, ConfigEntry>> sections;
    bool exposed_key = false; // holds an api_key and is readable by group or others
};

// Parse a configuration file's text; Exit::data with "path:line: ..." for
// malformed lines and unknown keys or sections.
Result<ConfigFile> parse_config(std::string_view text, const std::string &path);

// Read and parse the file at `path`; a missing file is an empty
// configuration unless `must_exist` (then Exit::no_input).
Result<ConfigFile> load_config(const std::string &path, bool must_exist);

using Getenv = std::function<const char *(const char *)>;

// Resolve every setting. Exit::usage for an unknown provider (naming where
// it came from); Exit::data for a value of the configuration file that does
// not parse ("path:line: " and the message its option would give);
// Exit::unavailable when the provider needs a key at its default endpoint
// and none is set. A control character in the key or the endpoint is
// refused: Exit::usage from an option, Exit::data from the file,
// Exit::unavailable from the environment.
Result<Settings> resolve_settings(const SettingFlags &flags, const Getenv &env, const ConfigFile &config);

// The default configuration file path.
std::string default_config_path();

// Replace every occurrence of `secret` in `text` by "[redacted]". Secrets
// shorter than 8 characters are taken for placeholders ("none", "ollama")
// and left alone. Applied to everything scx-generate prints or records.
std::string redact(std::string text, std::string_view secret);

} // namespace scx::llm

#endif // SCX_LLM_SETTINGS_HPP
