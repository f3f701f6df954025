// SPDX-License-Identifier: MIT
//
// scx-prompt - assemble the request that asks a language model for a policy.

#include "loop/feedback.hpp"
#include "base/fs.hpp"
#include "loop/history.hpp"
#include "base/paths.hpp"
#include "base/text.hpp"
#include "loop/prompt.hpp"
#include "loop/runfix.hpp"

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-prompt [OPTIONS] [REQUIREMENT...]

Assemble a request that asks a language model to rewrite a scxkit policy:
the policy API (generated from <scx/policy.hpp>), the base policy source, the
requirement in plain words and, when given, build errors to fix,
measurements and earlier rounds. The requirement is read from standard input
(when it is a pipe or a file), then from the arguments.

Options:
  -b, --base FILE        policy source to start from (default: the installed
                         fifo.cpp; with --fix, the source named in BUILD.json)
      --fix BUILD.json|RUN.json
                         scx-build's JSON report: quote its errors and ask for
                         a corrected complete source; or scx-run's report of
                         a failed run (scxkit.run/1): say what failed, in
                         plain words and data, and ask for a fix that keeps
                         the requirement (--base names the source)
      --events FILE      with --fix RUN.json: the failed run's events, as
                         the simulator writes them (scxkit.events/1); the
                         last 20 are quoted
  -f, --feedback FILE    scx-run or scx-bench JSON (scxkit.run/1, scxkit.bench/1;
                         a JSON Lines stream's last line); repeatable
      --history FILE     earlier rounds, JSON Lines (scxkit.history/1)
      --system FILE      replace the built-in system text
      --text             print plain text to paste into a chat window
  -o, --output FILE      write to FILE (atomically) instead of standard output
  -v, --verbose          report the prompt's size on stderr
  -h, --help             show this help and exit
  -V, --version          show the version and exit

Output: an scxkit.prompt/1 document for scx-generate (see scx-json(5)).
Exit status: 0 written, 64 usage, 65 malformed or wrong-schema input, or
text that is not UTF-8, 66 missing input file, 74 output not writable.
See scx-prompt(1).
)";

// Standard input holds a requirement when it is a pipe or a regular file
// (not a terminal, not /dev/null or a socket inherited by accident).
bool stdin_has_data()
{
    struct stat st {};
    if (::fstat(STDIN_FILENO, &st) != 0)
        return false;
    return S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode);
}

std::string trim(std::string s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

struct Options {
    std::string base, fix, events, history, system, output = "-";
    std::vector<std::string> feedback;
    bool text = false, verbose = false;
};

scx::Result<scx::PromptInputs> gather(const Options &o, std::string requirement)
{
    scx::PromptInputs in;
    in.requirement = std::move(requirement);
    std::string base = o.base;
    if (!o.fix.empty()) {
        auto doc = scx::json::parse_file(o.fix);
        if (!doc)
            return std::move(doc).error();
        const char *schema = scx::json::get_string(doc->get(), "schema");
        if (schema && std::string_view(schema).starts_with("scxkit.run/")) {
            auto run = scx::read_run_fix(doc->get(), o.fix);
            if (!run)
                return std::move(run).error();
            if (base.empty())
                return scx::Error(scx::Exit::usage, o.fix + " is a run of " +
                                                        (run->policy_path.empty() ? "a policy" : run->policy_path) +
                                                        ": name its source with --base FILE");
            in.fix_text = run->text;
            in.fix_exit = run->exit_kind;
            in.fix_path = o.fix;
            in.fix_errors = 1;
            if (!o.events.empty()) {
                auto text = scx::read_file(o.events);
                if (!text)
                    return std::move(text).error();
                auto last = scx::render_last_events(*text, o.events);
                if (!last)
                    return std::move(last).error();
                in.fix_events = *last;
                in.fix_events_path = o.events;
            }
        } else {
            if (schema && !std::string_view(schema).starts_with("scxkit.build/"))
                return scx::Error(scx::Exit::data, o.fix + ": schema is \"" + schema +
                                                       "\", expected \"scxkit.build/1\" (scx-build --json) or "
                                                       "\"scxkit.run/1\" (scx-run --json)");
            if (!o.events.empty())
                return scx::Error(scx::Exit::usage, "--events goes with --fix RUN.json (a failed run), not with a build report");
            auto fix = scx::read_fix(doc->get(), o.fix);
            if (!fix)
                return std::move(fix).error();
            if (base.empty()) {
                if (fix->source.empty() || fix->source == "-")
                    return scx::Error(scx::Exit::usage, o.fix + " is the build of standard input: name the failing source "
                                                                "with --base FILE");
                base = fix->source;
            }
            in.fix_text = fix->text;
            in.fix_path = o.fix;
            in.fix_errors = fix->errors;
            if (fix->text.empty())
                scx::cli::warn(o.fix + ": the build succeeded without warnings; nothing to fix");
        }
    } else if (!o.events.empty()) {
        return scx::Error(scx::Exit::usage, "--events goes with --fix RUN.json (the report of the failed run)");
    }
    if (base.empty())
        base = scx::policies_dir() + "/fifo.cpp";
    auto src = scx::read_text_file(base);
    if (!src)
        return std::move(src).error().wrap("base policy");
    in.base_path = base;
    in.base_source = *src;
    for (const auto &f : o.feedback) {
        auto text = scx::read_file(f);
        if (!text)
            return std::move(text).error();
        auto doc = scx::parse_document_or_last_line(*text, f == "-" ? "<stdin>" : f);
        if (!doc)
            return std::move(doc).error();
        auto fb = scx::read_feedback(doc->get(), f);
        if (!fb)
            return std::move(fb).error();
        in.feedback.push_back({f, fb->schema, fb->text});
    }
    if (!o.history.empty()) {
        auto text = scx::read_file(o.history);
        if (!text)
            return std::move(text).error();
        auto rounds = scx::read_history(*text, o.history);
        if (!rounds)
            return std::move(rounds).error();
        in.history_text = scx::render_history(*rounds);
        in.history_path = o.history;
        in.history_rounds = rounds->size();
    }
    if (!o.system.empty()) {
        auto text = scx::read_text_file(o.system);
        if (!text)
            return std::move(text).error();
        if (trim(*text).empty())
            return scx::Error(scx::Exit::data, o.system + " is empty: expected the system text");
        in.system = *text;
        in.system_path = o.system;
    }
    return in;
}

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-prompt");
    static const struct option longopts[] = {
        {"base", required_argument, nullptr, 'b'},   {"fix", required_argument, nullptr, 'x'},
        {"events", required_argument, nullptr, 'E'},
        {"feedback", required_argument, nullptr, 'f'}, {"history", required_argument, nullptr, 'H'},
        {"system", required_argument, nullptr, 's'}, {"text", no_argument, nullptr, 't'},
        {"output", required_argument, nullptr, 'o'}, {"verbose", no_argument, nullptr, 'v'},
        {"help", no_argument, nullptr, 'h'},         {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };
    Options o;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "b:f:o:vhV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'b': o.base = optarg; break;
        case 'x': o.fix = optarg; break;
        case 'E': o.events = optarg; break;
        case 'f': o.feedback.push_back(optarg); break;
        case 'H': o.history = optarg; break;
        case 's': o.system = optarg; break;
        case 't': o.text = true; break;
        case 'o': o.output = optarg; break;
        case 'v': o.verbose = true; break;
        case 'h': return scx::cli::print_help(HELP);
        case 'V': return scx::cli::print_version();
        default: return scx::cli::bad_option(argv);
        }
    }
    // Standard input is the requirement unless an option reads it.
    bool stdin_taken = o.base == "-" || o.fix == "-" || o.events == "-" || o.history == "-" || o.system == "-";
    for (const auto &f : o.feedback)
        stdin_taken = stdin_taken || f == "-";
    std::string requirement;
    if (!stdin_taken && stdin_has_data()) {
        auto in = scx::read_file("-");
        if (!in)
            return scx::cli::report(in.error());
        if (auto r = scx::check_utf8(*in, "the requirement (<stdin>)"); !r)
            return scx::cli::report(r.error());
        requirement = trim(*in);
    }
    for (int i = optind; i < argc; i++) {
        const std::string where = "the requirement (argument " + std::to_string(i - optind + 1) + ")";
        if (auto r = scx::check_utf8(argv[i], where); !r)
            return scx::cli::report(r.error());
        const std::string arg = trim(argv[i]);
        if (arg.empty())
            continue;
        requirement += (requirement.empty() ? "" : (i == optind ? "\n\n" : " ")) + arg;
    }
    if (requirement.empty() && o.fix.empty())
        return scx::cli::usage_error("no requirement: give it as arguments or on standard input");

    auto in = gather(o, requirement);
    if (!in)
        return in.error().exit == scx::Exit::usage ? scx::cli::usage_error(in.error().message)
                                                   : scx::cli::report(in.error());
    const scx::Prompt p = scx::assemble_prompt(*in);
    const std::string out = o.text ? scx::prompt_to_text(p) : scx::json::dump(scx::prompt_to_json(p).get()) + "\n";
    if (auto w = scx::cli::write_output(o.output, out); !w)
        return scx::cli::report(w.error());
    if (o.verbose) {
        const size_t chars = scx::prompt_chars(p);
        std::string parts = "system " + std::to_string(p.system.size());
        for (const auto &s : p.sections)
            parts += ", " + s.name + " " + std::to_string(s.chars);
        std::fprintf(stderr, "scx-prompt: %zu characters, ~%zu tokens (estimated at 4 characters per token): %s\n",
                     chars, scx::estimate_tokens(chars), parts.c_str());
    }
    return 0;
}
