// SPDX-License-Identifier: MIT
#include "llm/session.hpp"

#include "base/fs.hpp"
#include "base/strformat.hpp"
#include "llm/transcript.hpp"
#include "loop/prompt.hpp"

#include <unistd.h>

namespace scx::llm {

Result<Settings> configure(const GenerateJob &job, const Getenv &env, const Warn &warn)
{
    SettingFlags flags = job.flags;
    if (!flags.replay.empty()) {
        if (!flags.provider.empty() && flags.provider != "replay")
            return Error(Exit::usage, "--replay cannot be combined with --provider " + flags.provider);
        flags.provider = "replay";
    }
    auto config = load_config(job.config.empty() ? default_config_path() : job.config, !job.config.empty());
    if (!config)
        return std::move(config).error();
    if (config->exposed_key && warn)
        warn(config->path + " holds an API key and is readable by others (chmod 600 it)");
    auto s = resolve_settings(flags, env, *config);
    if (s && s->provider == "replay" && s->replay.empty())
        return Error(Exit::usage, "the replay provider needs --replay SOURCE");
    return s;
}

Result<Conversation> read_conversation(const std::string &input)
{
    auto doc = json::parse_file(input);
    if (!doc)
        return std::move(doc).error();
    auto p = prompt_from_json(doc->get(), input == "-" ? "<stdin>" : input);
    if (!p)
        return std::move(p).error();
    Conversation conv;
    conv.system = p->system;
    for (const auto &m : p->messages)
        conv.messages.push_back({m.role, m.content});
    return conv;
}

Result<void> check_outputs(const GenerateJob &job, bool to_stdout)
{
    if (!job.output.empty()) {
        PendingFile probe(job.output);
        if (auto r = probe.prepare(); !r)
            return r;
    }
    if (!job.log_dir.empty()) {
        auto r = make_dirs(job.log_dir);
        if (r) {
            PendingFile probe(job.log_dir + "/transcript.json");
            r = probe.prepare();
        }
        if (!r)
            return std::move(r).error().wrap("transcripts (--log " + job.log_dir + ")");
    }
    if (to_stdout)
        return check_writable_fd(STDOUT_FILENO, "standard output");
    return {};
}

namespace {

// Call the provider over `http`, or replay a recorded answer.
Result<Reply> ask(const Settings &s, const Conversation &conv, const GenerateHooks &hooks, HttpTransport *http,
                  CallRecord &rec)
{
    if (s.provider == "replay") {
        ReplayHit hit;
        const std::string state = hooks.replay_state_dir.empty() ? cache_dir() + "/replay" : hooks.replay_state_dir;
        auto reply = replay_call(s.replay, conv, state, rec, hit);
        if (reply && hooks.replayed)
            hooks.replayed(hit);
        return reply;
    }
    RetryPolicy policy;
    policy.retries = s.retries;
    return call_model(*make_provider(s.provider), conv, s, *http, hooks.call, rec, policy);
}

} // namespace

Result<void> generate(const GenerateJob &job, const Settings &s, const Conversation &conv,
                      const GenerateHooks &hooks, GenerationReport &report)
{
    std::unique_ptr<HttpTransport> owned;
    HttpTransport *http = hooks.http;
    if (!http && s.provider != "replay") {
        auto made = make_http_transport();
        if (!made)
            return std::move(made).error();
        owned = std::move(*made);
        http = owned.get();
    }
    auto reply = ask(s, conv, hooks, http, report.call);
    if (!job.log_dir.empty()) {
        auto path = write_transcript(job.log_dir, report.call, s.api_key);
        if (path)
            report.transcript = *path;
        else if (hooks.warn)
            hooks.warn("transcript not written: " + path.error().message);
    }
    if (!reply)
        return std::move(reply).error();
    report.cost_usd = cost_usd(s, reply->usage);
    auto code = policy_from_reply(*reply);
    if (!code) {
        Error e = std::move(code).error();
        report.reply_saved = save_reply(reply->text, s.api_key, hooks.replies_dir);
        e.message += report.reply_saved.empty() ? "; the reply could not be saved"
                                                : "; the reply was saved to " + report.reply_saved;
        if (!report.transcript.empty())
            e.message += " (transcript: " + report.transcript + ")";
        return e;
    }
    report.code = std::move(*code);
    if (!job.output.empty())
        return write_file_atomic(job.output, report.code->code);
    return {};
}

std::string describe_settings(const Settings &s)
{
    auto from = [&](const char *k) {
        auto it = s.origin.find(k);
        return it == s.origin.end() ? std::string("default") : it->second;
    };
    if (s.provider == "replay")
        return "provider replay, source " + s.replay;
    return "provider " + s.provider + " (" + from("provider") + "), model " + s.model + " (" + from("model") +
           "), endpoint " + s.endpoint + " (" + from("endpoint") + "), API key " +
           (s.api_key.empty() ? "none" : "from " + s.api_key_from);
}

std::string describe_outcome(const GenerationReport &r)
{
    const CallRecord &c = r.call;
    std::string usage = "usage unknown";
    if (c.reply && c.reply->usage.input_tokens >= 0)
        usage = std::to_string(c.reply->usage.input_tokens) + " input + " +
                std::to_string(std::max<std::int64_t>(0, c.reply->usage.output_tokens)) + " output tokens";
    std::string s = usage + strformat(", %.2f s", c.latency_s);
    if (c.first_token_s >= 0)
        s += strformat(" (first text after %.2f s)", c.first_token_s);
    s += strformat(", %zu attempt%s", c.attempts.size(), c.attempts.size() == 1 ? "" : "s");
    if (r.cost_usd)
        s += strformat(", $%.4f", *r.cost_usd);
    if (r.code) {
        s += "; policy from " + r.code->method;
        if (r.code->block)
            s += " block " + std::to_string(r.code->block) + " of " + std::to_string(r.code->blocks);
    }
    return s;
}

} // namespace scx::llm
