// SPDX-License-Identifier: MIT
//
// scx-generate - ask a language model for a policy source.

#include "base/fs.hpp"
#include "llm/generation.hpp"
#include "llm/replay.hpp"
#include "llm/transcript.hpp"
#include "loop/prompt.hpp"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "../common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-generate [OPTIONS]

Send a prompt (scxkit.prompt/1, from scx-prompt) to a language model and
write the policy source found in its reply.

Input and output:
  -i, --input FILE        prompt to send (default: standard input)
  -o, --output FILE       write the policy source to FILE, atomically
                          (default: standard output)
      --json              print an scxkit.generation/1 document on stdout
      --log DIR           write a transcript of the call to DIR
Provider (flag > environment > configuration file):
  -p, --provider NAME     openai, anthropic, ollama or replay (default: the
                          one whose key or URL variable is set, else openai)
  -m, --model NAME        model name
  -e, --endpoint URL      base URL of the API
      --replay SOURCE     answer from recorded transcripts (a file or a
                          directory written by --log); implies --provider replay
  -c, --config FILE       configuration file (default:
                          $XDG_CONFIG_HOME/scxkit/generate.conf)
Request:
  -t, --temperature X     sampling temperature (0 to 2)
      --max-tokens N      limit of the reply's length in tokens
      --no-stream         wait for the whole answer instead of streaming
      --connect-timeout DURATION
                          limit for connecting (default: 10s)
      --timeout DURATION  limit for one attempt, start to end (default: 600s)
      --retries N         attempts after the first on temporary failures
                          (default: 3)
  -v, --verbose           show settings, usage and timing on stderr
  -h, --help              show this help and exit
  -V, --version           show the version and exit

API keys come from the environment or the configuration file, never from
the command line: OPENAI_API_KEY, ANTHROPIC_API_KEY or SCX_API_KEY.

Exit status: 0 written, 64 usage, 65 bad prompt or no policy in the reply
(the reply is saved), 66 missing input, 69 provider unavailable or not
configured, 74 output not writable, 75 temporary failure after retries,
77 authentication failed. See scx-generate(1).
)";

struct Options {
    std::string input = "-", output, log_dir, config;
    bool json = false, verbose = false;
    scx::llm::SettingFlags flags;
};

// The conversation of a scxkit.prompt/1 document (a file or "-").
scx::Result<scx::llm::Conversation> read_prompt(const std::string &input)
{
    auto doc = scx::json::parse_file(input);
    if (!doc)
        return std::move(doc).error();
    auto p = scx::prompt_from_json(doc->get(), input == "-" ? "<stdin>" : input);
    if (!p)
        return std::move(p).error();
    scx::llm::Conversation conv;
    conv.system = p->system;
    for (const auto &m : p->messages)
        conv.messages.push_back({m.role, m.content});
    return conv;
}

class Progress {
public:
    explicit Progress(bool on) : on_(on) {}
    ~Progress() { clear(); }
    void show(std::size_t chars, double elapsed)
    {
        if (!on_)
            return;
        std::fprintf(stderr, "\r\033[K%s: receiving: ~%zu tokens, %.1f s", scx::cli::program(),
                     scx::estimate_tokens(chars), elapsed);
        std::fflush(stderr);
        shown_ = true;
    }
    void clear()
    {
        if (shown_)
            std::fputs("\r\033[K", stderr);
        shown_ = false;
    }

private:
    bool on_, shown_ = false;
};

void verbose_settings(const scx::llm::Settings &s)
{
    auto from = [&](const char *k) {
        auto it = s.origin.find(k);
        return it == s.origin.end() ? std::string("default") : it->second;
    };
    if (s.provider == "replay") {
        std::fprintf(stderr, "scx-generate: provider replay, source %s\n", s.replay.c_str());
        return;
    }
    std::fprintf(stderr, "scx-generate: provider %s (%s), model %s (%s), endpoint %s (%s), API key %s%s\n",
                 s.provider.c_str(), from("provider").c_str(), s.model.c_str(), from("model").c_str(),
                 s.endpoint.c_str(), from("endpoint").c_str(), s.api_key.empty() ? "none" : "from ",
                 s.api_key_from.c_str());
}

void verbose_summary(const scx::llm::GenerationReport &r)
{
    const auto &c = r.call;
    std::string usage = "usage unknown";
    if (c.reply && c.reply->usage.input_tokens >= 0)
        usage = std::to_string(c.reply->usage.input_tokens) + " input + " +
                std::to_string(std::max<std::int64_t>(0, c.reply->usage.output_tokens)) + " output tokens";
    std::fprintf(stderr, "scx-generate: %s, %.2f s", usage.c_str(), c.latency_s);
    if (c.first_token_s >= 0)
        std::fprintf(stderr, " (first text after %.2f s)", c.first_token_s);
    std::fprintf(stderr, ", %zu attempt%s", c.attempts.size(), c.attempts.size() == 1 ? "" : "s");
    if (r.cost_usd)
        std::fprintf(stderr, ", $%.4f", *r.cost_usd);
    if (r.code)
        std::fprintf(stderr, "; policy from %s%s", r.code->method.c_str(),
                     r.code->block ? (" block " + std::to_string(r.code->block) + " of " + std::to_string(r.code->blocks)).c_str()
                                   : "");
    std::fputc('\n', stderr);
}

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-generate");
    enum { OPT_JSON = 256, OPT_LOG, OPT_REPLAY, OPT_MAX_TOKENS, OPT_NO_STREAM, OPT_CONNECT_TIMEOUT, OPT_TIMEOUT, OPT_RETRIES };
    static const struct option longopts[] = {
        {"input", required_argument, nullptr, 'i'},
        {"output", required_argument, nullptr, 'o'},
        {"json", no_argument, nullptr, OPT_JSON},
        {"log", required_argument, nullptr, OPT_LOG},
        {"provider", required_argument, nullptr, 'p'},
        {"model", required_argument, nullptr, 'm'},
        {"endpoint", required_argument, nullptr, 'e'},
        {"replay", required_argument, nullptr, OPT_REPLAY},
        {"config", required_argument, nullptr, 'c'},
        {"temperature", required_argument, nullptr, 't'},
        {"max-tokens", required_argument, nullptr, OPT_MAX_TOKENS},
        {"no-stream", no_argument, nullptr, OPT_NO_STREAM},
        {"connect-timeout", required_argument, nullptr, OPT_CONNECT_TIMEOUT},
        {"timeout", required_argument, nullptr, OPT_TIMEOUT},
        {"retries", required_argument, nullptr, OPT_RETRIES},
        {"verbose", no_argument, nullptr, 'v'},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };
    Options o;
    auto &f = o.flags;
    opterr = 0;
    int c;
    auto bad = [](const scx::Error &e) { return scx::cli::usage_error(e.message); };
    while ((c = getopt_long(argc, argv, "i:o:p:m:e:c:t:vhV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'i': o.input = optarg; break;
        case 'o': o.output = optarg; break;
        case OPT_JSON: o.json = true; break;
        case OPT_LOG: o.log_dir = optarg; break;
        case 'p': f.provider = optarg; break;
        case 'm': f.model = optarg; break;
        case 'e': f.endpoint = optarg; break;
        case OPT_REPLAY: f.replay = optarg; break;
        case 'c': o.config = optarg; break;
        case 't': {
            auto v = scx::cli::parse_double("--temperature", optarg, 0, 2);
            if (!v)
                return bad(v.error());
            f.temperature = *v;
            break;
        }
        case OPT_MAX_TOKENS: {
            auto v = scx::cli::parse_int("--max-tokens", optarg, 1, 10'000'000);
            if (!v)
                return bad(v.error());
            f.max_tokens = static_cast<long>(*v);
            break;
        }
        case OPT_RETRIES: {
            auto v = scx::cli::parse_int("--retries", optarg, 0, 100);
            if (!v)
                return bad(v.error());
            f.retries = static_cast<long>(*v);
            break;
        }
        case OPT_CONNECT_TIMEOUT:
        case OPT_TIMEOUT: {
            const char *name = c == OPT_TIMEOUT ? "--timeout" : "--connect-timeout";
            auto v = scx::cli::parse_duration_ns(name, optarg);
            if (!v)
                return bad(v.error());
            if (*v < 1'000'000)
                return scx::cli::usage_error(std::string(name) + " must be at least 1ms");
            (c == OPT_TIMEOUT ? f.timeout_ms : f.connect_timeout_ms) = static_cast<long>(*v / 1'000'000);
            break;
        }
        case OPT_NO_STREAM: f.stream = false; break;
        case 'v': o.verbose = true; break;
        case 'h': return scx::cli::print_help(HELP);
        case 'V': return scx::cli::print_version();
        default: return scx::cli::bad_option(argv);
        }
    }
    if (optind < argc)
        return scx::cli::usage_error(std::string("unexpected argument '") + argv[optind] +
                                     "' (the prompt comes from -i FILE or standard input)");
    if (!f.replay.empty()) {
        if (!f.provider.empty() && f.provider != "replay")
            return scx::cli::usage_error("--replay cannot be combined with --provider " + f.provider);
        f.provider = "replay";
    }
    if (o.output == "-")
        o.output.clear();

    scx::llm::GenerationReport report;
    std::string secret; // the API key, once known: kept out of every message
    // Every failure from here on: the message on stderr and, with --json, an
    // scxkit.generation/1 document with the error on stdout.
    auto fail = [&](scx::Error e) {
        e.message = scx::llm::redact(e.message, secret);
        report.error = e;
        if (o.json)
            std::printf("%s\n", scx::json::dump(scx::llm::generation_json(report).get()).c_str());
        if (o.verbose && !report.call.attempts.empty())
            verbose_summary(report);
        return scx::cli::report(e);
    };
    auto config = scx::llm::load_config(o.config.empty() ? scx::llm::default_config_path() : o.config, !o.config.empty());
    if (!config)
        return fail(config.error());
    if (config->exposed_key)
        scx::cli::warn(config->path + " holds an API key and is readable by others (chmod 600 it)");
    auto settings = scx::llm::resolve_settings(f, [](const char *n) { return std::getenv(n); }, *config);
    if (!settings)
        return settings.error().exit == scx::Exit::usage ? scx::cli::usage_error(settings.error().message)
                                                         : fail(settings.error());
    const scx::llm::Settings &s = *settings;
    if (s.provider == "replay" && s.replay.empty())
        return scx::cli::usage_error("the replay provider needs --replay SOURCE");

    if (o.input == "-" && ::isatty(STDIN_FILENO))
        return scx::cli::usage_error("no prompt: pipe one from scx-prompt, or use -i FILE");
    auto conv = read_prompt(o.input);
    if (!conv)
        return fail(conv.error());
    if (!o.output.empty()) {
        // Fail before spending tokens if the output cannot be written.
        scx::PendingFile probe(o.output);
        if (auto r = probe.prepare(); !r)
            return fail(r.error());
    }
    if (o.verbose)
        verbose_settings(s);

    secret = s.api_key;
    scx::Result<scx::llm::Reply> reply = scx::Error(scx::Exit::software, "no call made");
    {
        Progress progress(s.stream && scx::cli::stderr_is_tty());
        if (s.provider == "replay") {
            scx::llm::ReplayHit hit;
            reply = scx::llm::replay_call(s.replay, *conv, scx::cache_dir() + "/replay", report.call, hit);
            if (reply)
                std::fprintf(stderr,
                             "scx-generate: replaying a recorded answer, no model was called: %s (%zu of %zu, matched by %s)\n",
                             hit.call.path.c_str(), hit.index, hit.count, hit.match.c_str());
        } else {
            auto http = scx::llm::make_http_transport();
            if (!http)
                return fail(http.error());
            auto provider = scx::llm::make_provider(s.provider);
            scx::llm::CallHooks hooks;
            hooks.on_progress = [&](std::size_t chars, double t) { progress.show(chars, t); };
            hooks.on_retry = [&](const std::string &why, double delay, int next, int max) {
                progress.clear();
                std::fprintf(stderr, "scx-generate: %s: retrying in %.1f s (attempt %d of %d)\n", why.c_str(), delay,
                             next, max);
            };
            scx::llm::RetryPolicy policy;
            policy.retries = s.retries;
            reply = scx::llm::call_model(*provider, *conv, s, **http, hooks, report.call, policy);
        }
    }
    if (!o.log_dir.empty()) {
        auto path = scx::llm::write_transcript(o.log_dir, report.call, s.api_key);
        if (path)
            report.transcript = *path;
        else
            scx::cli::warn("transcript not written: " + path.error().message);
    }

    if (!reply)
        return fail(reply.error());
    report.cost_usd = scx::llm::cost_usd(s, reply->usage);
    auto code = scx::llm::policy_from_reply(*reply);
    if (!code) {
        scx::Error e = code.error();
        report.reply_saved = scx::llm::save_reply(reply->text, s.api_key);
        e.message += report.reply_saved.empty() ? "; the reply could not be saved"
                                                : "; the reply was saved to " + report.reply_saved;
        if (!report.transcript.empty())
            e.message += " (transcript: " + report.transcript + ")";
        return fail(e);
    }
    report.code = *code;
    if (!o.output.empty()) {
        if (auto w = scx::write_file_atomic(o.output, report.code->code); !w)
            return fail(w.error());
    }
    if (o.json) {
        if (auto w = scx::cli::write_output("-", scx::json::dump(scx::llm::generation_json(report).get()) + "\n"); !w)
            return scx::cli::report(w.error());
    } else if (o.output.empty()) {
        if (auto w = scx::cli::write_output("-", report.code->code); !w)
            return scx::cli::report(w.error());
    }
    if (o.verbose)
        verbose_summary(report);
    return 0;
}
