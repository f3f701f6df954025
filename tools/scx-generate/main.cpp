// SPDX-License-Identifier: MIT
//
// scx-generate - ask a language model for a policy source.

#include "llm/session.hpp"
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
  -t, --temperature X     sampling temperature (0 to 2; every provider)
      --seed N            sampling seed (0 to 2147483647): openai and ollama
                          send it, anthropic has none (a warning)
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

Exit status: 0 written, 64 usage, 65 bad prompt or configuration file, or
no policy in the reply (the reply is saved), 66 missing input, 69 provider
unavailable or not configured, 74 output not writable (checked before the
call), 75 temporary failure after retries, 77 authentication failed.
See scx-generate(1).
)";

struct Options {
    scx::llm::GenerateJob job;
    bool json = false, verbose = false;
};

// The one-line display of a streaming answer, on a terminal only.
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

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-generate");
    enum { OPT_JSON = 256, OPT_LOG, OPT_REPLAY, OPT_MAX_TOKENS, OPT_NO_STREAM, OPT_CONNECT_TIMEOUT, OPT_TIMEOUT, OPT_RETRIES, OPT_SEED };
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
        {"seed", required_argument, nullptr, OPT_SEED},
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
    scx::llm::GenerateJob &job = o.job;
    auto &f = job.flags;
    opterr = 0;
    int c;
    auto bad = [](const scx::Error &e) { return scx::cli::usage_error(e.message); };
    while ((c = getopt_long(argc, argv, "i:o:p:m:e:c:t:vhV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'i': job.input = optarg; break;
        case 'o': job.output = optarg; break;
        case OPT_JSON: o.json = true; break;
        case OPT_LOG: job.log_dir = optarg; break;
        case 'p': f.provider = optarg; break;
        case 'm': f.model = optarg; break;
        case 'e': f.endpoint = optarg; break;
        case OPT_REPLAY: f.replay = optarg; break;
        case 'c': job.config = optarg; break;
        case 't': {
            auto v = scx::cli::parse_double("--temperature", optarg, 0, scx::llm::TEMPERATURE_MAX);
            if (!v)
                return bad(v.error());
            f.temperature = *v;
            break;
        }
        case OPT_SEED: {
            auto v = scx::cli::parse_int("--seed", optarg, 0, scx::llm::SEED_MAX);
            if (!v)
                return bad(v.error());
            f.seed = static_cast<std::int64_t>(*v);
            break;
        }
        case OPT_MAX_TOKENS: {
            auto v = scx::cli::parse_int("--max-tokens", optarg, 1, scx::llm::MAX_TOKENS_LIMIT);
            if (!v)
                return bad(v.error());
            f.max_tokens = static_cast<long>(*v);
            break;
        }
        case OPT_RETRIES: {
            auto v = scx::cli::parse_int("--retries", optarg, 0, scx::llm::RETRIES_LIMIT);
            if (!v)
                return bad(v.error());
            f.retries = static_cast<long>(*v);
            break;
        }
        case OPT_CONNECT_TIMEOUT:
        case OPT_TIMEOUT: {
            const char *name = c == OPT_TIMEOUT ? "--timeout" : "--connect-timeout";
            auto v = scx::cli::parse_duration_ns(name, optarg, scx::llm::TIMEOUT_MIN);
            if (!v)
                return bad(v.error());
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
    if (job.output == "-")
        job.output.clear();

    scx::llm::GenerationReport report;
    std::string secret; // the API key, once known: kept out of every message
    // Every failure from here on: the message on stderr and, with --json, an
    // scxkit.generation/1 document with the error on stdout.
    auto fail = [&](scx::Error e) {
        if (e.exit == scx::Exit::usage)
            return scx::cli::usage_error(e.message);
        e.message = scx::llm::redact(e.message, secret);
        report.error = e;
        if (o.json)
            std::fputs(scx::llm::generation_document(report, secret).c_str(), stdout);
        if (o.verbose && !report.call.attempts.empty())
            std::fprintf(stderr, "scx-generate: %s\n", scx::llm::describe_outcome(report).c_str());
        return scx::cli::report(e);
    };
    auto warn = [](const std::string &m) { scx::cli::warn(m); };
    auto settings = scx::llm::configure(job, [](const char *n) { return std::getenv(n); }, warn);
    if (!settings)
        return fail(settings.error());
    const scx::llm::Settings &s = *settings;
    if (s.seed && s.provider == "anthropic")
        warn("--seed: the anthropic API has no sampling seed; the request goes without one (--temperature is honoured)");
    if (job.input == "-" && ::isatty(STDIN_FILENO))
        return scx::cli::usage_error("no prompt: pipe one from scx-prompt, or use -i FILE");
    auto conv = scx::llm::read_conversation(job.input);
    if (!conv)
        return fail(conv.error());
    if (auto r = scx::llm::check_outputs(job, o.json || job.output.empty()); !r)
        return fail(r.error());
    if (o.verbose)
        std::fprintf(stderr, "scx-generate: %s\n", scx::llm::describe_settings(s).c_str());

    secret = s.api_key;
    Progress progress(s.stream && scx::cli::stderr_is_tty());
    scx::llm::GenerateHooks hooks;
    hooks.call.on_progress = [&](std::size_t chars, double t) { progress.show(chars, t); };
    hooks.call.on_retry = [&](const std::string &why, double delay, int next, int max) {
        progress.clear();
        std::fprintf(stderr, "scx-generate: %s: retrying in %.1f s (attempt %d of %d)\n", why.c_str(), delay, next, max);
    };
    hooks.replayed = [](const scx::llm::ReplayHit &hit) {
        std::fprintf(stderr, "scx-generate: replaying a recorded answer, no model was called: %s (%zu of %zu, matched by %s)\n",
                     hit.call.path.c_str(), hit.index, hit.count, hit.match.c_str());
    };
    hooks.warn = [&](const std::string &m) {
        progress.clear();
        scx::cli::warn(m);
    };
    auto done = scx::llm::generate(job, s, *conv, hooks, report);
    progress.clear();
    if (!done)
        return fail(done.error());
    if (o.json) {
        if (auto w = scx::cli::write_output("-", scx::llm::generation_document(report, secret)); !w)
            return scx::cli::report(w.error());
    } else if (job.output.empty()) {
        if (auto w = scx::cli::write_output("-", report.code->code); !w)
            return scx::cli::report(w.error());
    }
    if (o.verbose)
        std::fprintf(stderr, "scx-generate: %s\n", scx::llm::describe_outcome(report).c_str());
    return 0;
}
