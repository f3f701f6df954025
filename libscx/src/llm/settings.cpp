// SPDX-License-Identifier: MIT
#include "llm/settings.hpp"

#include "base/fs.hpp"
#include "base/parse.hpp"
#include "base/text.hpp"
#include "llm/provider.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sys/stat.h>

namespace scx::llm {

namespace {

const std::set<std::string> KEYS = {"provider",    "model",   "endpoint", "api_key", "temperature", "max_tokens",
                                    "connect_timeout", "timeout", "retries", "stream", "price_input", "price_output", "seed"};
// Shorter "keys" are placeholders for servers that want any key (llama.cpp,
// Ollama's /v1): redacting them would garble messages for nothing.
constexpr std::size_t MIN_SECRET = 8;

const std::set<std::string> PROVIDERS = {"openai", "anthropic", "ollama", "replay"};

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

// Where a setting's value came from.
enum class From { none, flag, env, file };

// A value found for a setting, and where: `origin` for --verbose
// ("generate.conf:3", "SCX_MODEL", "flag"), `where` for messages (the
// file's path and line, the variable, the option).
struct Found {
    std::string value;
    std::string origin;
    bool found = false;
    From from = From::none;
    std::string where;
};

// The API key goes into a header and the endpoint into the request line: a
// control character there (CR LF) would inject a header. Refused with the
// exit class of where the value came from: 64 for an option, 65 for the
// configuration file, 69 for the environment (the provider is not
// configured). The message never quotes the value: it may be a key.
Result<void> no_control_chars(const Found &f, const char *what)
{
    const auto at = f.found ? find_control_char(f.value) : std::nullopt;
    if (!at)
        return {};
    const Exit exit = f.from == From::flag ? Exit::usage : f.from == From::file ? Exit::data : Exit::unavailable;
    return Error(exit, std::string("the ") + what + " from " + f.where + " contains " +
                           control_char_name(static_cast<unsigned char>(f.value[*at])) + " at character " +
                           std::to_string(*at + 1) + ": " +
                           (std::string_view(what) == "API key"
                                ? "keys go into an HTTP header and must not contain control characters (was a line "
                                  "ending copied with it?)"
                                : "a URL must not contain control characters"));
}

// A value of the configuration file, parsed as its option would be (the
// same range, the same words, base/parse.hpp), "path:line: " before the
// message and Exit::data: the file is malformed.
template <typename T> Result<T> in_file(const Found &f, Result<T> v)
{
    if (!v)
        return Error(Exit::data, f.where + ": " + v.error().message);
    return v;
}

Result<bool> to_bool(const Found &f, const char *key)
{
    if (f.value == "yes" || f.value == "true" || f.value == "1" || f.value == "on")
        return true;
    if (f.value == "no" || f.value == "false" || f.value == "0" || f.value == "off")
        return false;
    return in_file(f, Result<bool>(Error(Exit::usage, "invalid value '" + f.value + "' for " + key +
                                                          " (expected yes or no)")));
}

} // namespace

std::string default_config_path() { return config_dir() + "/generate.conf"; }

std::string redact(std::string text, std::string_view secret)
{
    if (secret.size() < MIN_SECRET)
        return text;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
        text.replace(pos, secret.size(), "[redacted]");
        pos += 10;
    }
    return text;
}

Result<ConfigFile> parse_config(std::string_view text, const std::string &path)
{
    ConfigFile cfg;
    cfg.path = path;
    std::string section;
    int line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        line_no++;
        const std::string where = path + ":" + std::to_string(line_no);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                return Error(Exit::data, where + ": malformed section header '" + line + "'");
            section = trim(std::string_view(line).substr(1, line.size() - 2));
            if (!PROVIDERS.count(section) || section == "replay")
                return Error(Exit::data, where + ": unknown section [" + section +
                                             "] (expected [openai], [anthropic] or [ollama])");
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            return Error(Exit::data, where + ": expected 'key = value'");
        const std::string key = trim(std::string_view(line).substr(0, eq));
        std::string value = trim(std::string_view(line).substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        if (!KEYS.count(key))
            return Error(Exit::data, where + ": unknown key '" + key + "'");
        if (!section.empty() && key == "provider")
            return Error(Exit::data, where + ": 'provider' belongs above the first section");
        cfg.sections[section][key] = ConfigEntry{value, line_no};
    }
    return cfg;
}

Result<ConfigFile> load_config(const std::string &path, bool must_exist)
{
    if (!must_exist && !file_exists(path))
        return ConfigFile{path, {}, false};
    auto text = read_text_file(path);
    if (!text)
        return std::move(text).error();
    auto cfg = parse_config(*text, path);
    if (!cfg)
        return cfg;
    struct stat st {};
    bool has_key = false;
    for (const auto &[section, kv] : cfg->sections)
        has_key = has_key || kv.count("api_key");
    cfg->exposed_key = has_key && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077);
    return cfg;
}

Result<Settings> resolve_settings(const SettingFlags &flags, const Getenv &env, const ConfigFile &config)
{
    Settings s;
    auto from_env = [&](const char *var) -> Found {
        const char *v = env(var);
        if (v && *v)
            return {v, var, true, From::env, var};
        return {};
    };
    auto from_config = [&](const std::string &provider, const std::string &key) -> Found {
        for (const std::string &sec : {provider, std::string()}) {
            auto it = config.sections.find(sec);
            if (it == config.sections.end())
                continue;
            auto kv = it->second.find(key);
            if (kv != it->second.end())
                return {kv->second.value, basename_of(config.path) + ":" + std::to_string(kv->second.line), true,
                        From::file, config.path + ":" + std::to_string(kv->second.line)};
        }
        return {};
    };
    auto first = [](std::initializer_list<Found> list) -> Found {
        for (const auto &f : list)
            if (f.found)
                return f;
        return {};
    };
    auto flag = [](const std::string &v, const char *option) -> Found {
        return v.empty() ? Found{} : Found{v, "flag", true, From::flag, option};
    };

    // No provider named: the one whose own variables are set (OpenAI's first).
    auto inferred = [&]() -> Found {
        static const std::pair<const char *, const char *> BY_VARIABLE[] = {
            {"OPENAI_API_KEY", "openai"},       {"OPENAI_BASE_URL", "openai"}, {"ANTHROPIC_API_KEY", "anthropic"},
            {"ANTHROPIC_BASE_URL", "anthropic"}, {"OLLAMA_HOST", "ollama"}};
        for (const auto &[var, name] : BY_VARIABLE)
            if (from_env(var).found)
                return {name, var, true, From::env, var};
        return {};
    };
    Found provider = first({flag(flags.provider, "--provider"), from_env("SCX_PROVIDER"), from_config("", "provider"), inferred()});
    s.provider = provider.found ? provider.value : "openai";
    s.origin["provider"] = provider.found ? provider.origin : "default";
    if (!PROVIDERS.count(s.provider)) {
        const std::string what = "unknown provider '" + s.provider + "'";
        const std::string expected = ": expected openai, anthropic, ollama or replay";
        // As every other value of the file: path:line, and the file is malformed.
        if (provider.from == From::file)
            return Error(Exit::data, provider.where + ": " + what + expected);
        return Error(Exit::usage, what + " (from " + provider.origin + ")" + expected);
    }
    const std::string &p = s.provider;

    Found key_env = p == "openai"      ? from_env("OPENAI_API_KEY")
                    : p == "anthropic" ? from_env("ANTHROPIC_API_KEY")
                                       : Found{};
    Found key = first({from_env("SCX_API_KEY"), key_env, from_config(p, "api_key")});
    if (auto r = no_control_chars(key, "API key"); !r)
        return std::move(r).error();
    s.api_key = key.value;
    s.api_key_from = key.found ? key.origin : "";

    Found endpoint_env = p == "openai"      ? from_env("OPENAI_BASE_URL")
                         : p == "anthropic" ? from_env("ANTHROPIC_BASE_URL")
                         : p == "ollama"    ? from_env("OLLAMA_HOST")
                                            : Found{};
    Found endpoint = first({flag(flags.endpoint, "--endpoint"), from_env("SCX_ENDPOINT"), endpoint_env, from_config(p, "endpoint")});
    Found model = first({flag(flags.model, "--model"), from_env("SCX_MODEL"), from_config(p, "model")});
    if (auto r = no_control_chars(endpoint, "endpoint"); !r)
        return std::move(r).error();

    if (p == "replay") {
        s.replay = flags.replay;
        s.origin["replay"] = "flag";
        s.model = model.value;
    } else {
        auto prov = make_provider(p);
        s.endpoint = endpoint.found ? endpoint.value : prov->default_endpoint();
        s.origin["endpoint"] = endpoint.found ? endpoint.origin : "default";
        // OLLAMA_HOST is often "host:port" without a scheme.
        if (s.endpoint.find("://") == std::string::npos)
            s.endpoint = "http://" + s.endpoint;
        s.model = model.found ? model.value : prov->default_model();
    }
    s.origin["model"] = model.found ? model.origin : "default";

    if (flags.temperature) {
        s.temperature = flags.temperature;
    } else if (Found f = from_config(p, "temperature"); f.found) {
        auto v = in_file(f, number_value("temperature", f.value, 0, TEMPERATURE_MAX));
        if (!v)
            return std::move(v).error();
        s.temperature = *v;
    }
    auto integer = [&](const char *name, std::optional<long> flag_value, long min, long max) -> Result<std::optional<long>> {
        if (flag_value)
            return std::optional<long>(flag_value);
        Found f = from_config(p, name);
        if (!f.found)
            return std::optional<long>();
        auto v = in_file(f, int_value(name, f.value, min, max));
        if (!v)
            return std::move(v).error();
        return std::optional<long>(static_cast<long>(*v));
    };
    auto duration = [&](const char *name, std::optional<long> flag_value, long &out) -> Result<void> {
        if (flag_value) {
            out = *flag_value;
            return {};
        }
        Found f = from_config(p, name);
        if (!f.found)
            return {};
        auto v = in_file(f, duration_value(name, f.value, TIMEOUT_MIN));
        if (!v)
            return std::move(v).error();
        out = static_cast<long>(*v / 1'000'000);
        return {};
    };
    auto sd = integer("seed", flags.seed ? std::optional<long>(static_cast<long>(*flags.seed)) : std::nullopt, 0,
                      static_cast<long>(SEED_MAX));
    if (!sd)
        return std::move(sd).error();
    if (*sd)
        s.seed = static_cast<std::int64_t>(**sd);
    auto mt = integer("max_tokens", flags.max_tokens, 1, MAX_TOKENS_LIMIT);
    if (!mt)
        return std::move(mt).error();
    s.max_tokens = *mt;
    auto rt = integer("retries", flags.retries, 0, RETRIES_LIMIT);
    if (!rt)
        return std::move(rt).error();
    if (*rt)
        s.retries = static_cast<int>(**rt);
    if (auto r = duration("connect_timeout", flags.connect_timeout_ms, s.connect_timeout_ms); !r)
        return std::move(r).error();
    if (auto r = duration("timeout", flags.timeout_ms, s.timeout_ms); !r)
        return std::move(r).error();
    if (flags.stream) {
        s.stream = *flags.stream;
    } else if (Found f = from_config(p, "stream"); f.found) {
        auto v = to_bool(f, "stream");
        if (!v)
            return std::move(v).error();
        s.stream = *v;
    }
    for (const char *name : {"price_input", "price_output"}) {
        Found f = from_config(p, name);
        if (!f.found)
            continue;
        auto v = in_file(f, number_value(name, f.value, 0, PRICE_LIMIT));
        if (!v)
            return std::move(v).error();
        (std::string_view(name) == "price_input" ? s.price_input : s.price_output) = *v;
    }
    if (p != "replay") {
        auto prov = make_provider(p);
        if (prov->needs_key() && s.api_key.empty() && s.endpoint == prov->default_endpoint())
            return Error(Exit::unavailable,
                         "no API key for " + p + ": set " + (p == "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY") +
                             " (or SCX_API_KEY, or api_key in " + config.path +
                             "), or point --endpoint at a server that needs none");
    }
    return s;
}

} // namespace scx::llm
