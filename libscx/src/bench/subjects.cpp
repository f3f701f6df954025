// SPDX-License-Identifier: MIT
// Naming subjects, choosing the baseline, reading a figure from a
// workload's output.
#include "bench/runners.hpp"

#include "base/fs.hpp"
#include "base/paths.hpp"
#include "base/process.hpp"
#include "policy/params.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <unistd.h>

#include "base/strformat.hpp"

namespace scx::bench {


Subject default_subject(Mode mode)
{
    Subject s;
    s.label = DEFAULT_SUBJECT;
    s.is_default = true;
    s.stands_for = mode == Mode::sim ? "the simulator's model of the Linux default scheduler (EEVDF)"
                   : mode == Mode::vm ? "the guest kernel's own scheduler (sched_ext disabled)"
                                      : "the kernel's own scheduler (sched_ext disabled)";
    return s;
}

Subject policy_subject(const std::string &path)
{
    Subject s;
    s.path = path;
    s.label = basename_of(path);
    if (s.label.size() > 3 && s.label.ends_with(".so"))
        s.label.erase(s.label.size() - 3);
    return s;
}

namespace {

// "fifo.so:slice_ns=2ms,boost=0.5" -> the file and its parameters. A path
// that exists as given is a path; otherwise the first ':' followed by a
// NAME=VALUE list ends the file's name.
Result<std::pair<std::string, ParamList>> split_subject(const std::string &arg)
{
    if (file_exists(arg))
        return std::pair<std::string, ParamList>{arg, {}};
    for (auto colon = arg.find(':'); colon != std::string::npos; colon = arg.find(':', colon + 1)) {
        const std::string rest = arg.substr(colon + 1);
        if (rest.find('=') == std::string::npos)
            continue;
        auto list = parse_param_list(rest);
        if (!list)
            return Error(Exit::usage, "subject '" + arg + "': " + list.error().message);
        return std::pair<std::string, ParamList>{arg.substr(0, colon), std::move(*list)};
    }
    return std::pair<std::string, ParamList>{arg, {}};
}

std::string params_text(const ParamList &params)
{
    std::string t;
    for (const auto &[name, value] : params)
        t += (t.empty() ? "" : ",") + name + "=" + value;
    return t;
}

} // namespace

Result<std::string> add_subject(Report &rep, const std::string &arg)
{
    const Mode mode = rep.config.mode;
    auto split = split_subject(arg);
    if (!split)
        return std::move(split).error();
    const auto &[file, params] = *split;
    for (const auto &r : rep.results)
        if ((file == DEFAULT_SUBJECT && r.subject.is_default) ||
            (!r.subject.is_default && r.subject.path == file && r.subject.own_params == params))
            return Error(Exit::usage, "subject '" + arg + "' is listed twice");
    Subject s;
    if (file == DEFAULT_SUBJECT) {
        if (!params.empty())
            return Error(Exit::usage, "subject '" + arg +
                                          "': the default scheduler has no parameters (NAME=VALUE is for a policy)");
        s = default_subject(mode);
    } else {
        if (!file_exists(file))
            return Error(Exit::no_input, "cannot open policy " + file + ": No such file or directory");
        s = policy_subject(file);
        s.own_params = params;
        if (!params.empty())
            s.label += ":" + params_text(params);
    }
    for (auto &r : rep.results)
        if (r.subject.label == s.label) {
            if (!r.subject.is_default)
                r.subject.label = r.subject.path + (r.subject.own_params.empty() ? "" : ":" + params_text(r.subject.own_params));
            s.label = s.is_default ? s.label : s.path + (params.empty() ? "" : ":" + params_text(params));
        }
    SubjectResult sr;
    sr.subject = s;
    rep.results.push_back(std::move(sr));
    return s.label;
}

Result<std::string> set_better_than(Report &rep, const std::string &ref)
{
    if (ref.size() > 5 && ref.ends_with(".json")) {
        rep.better_than = BetterThan{"", ref, false};
        return ref;
    }
    std::string label;
    for (const auto &r : rep.results)
        if (r.subject.label == ref || (!r.subject.is_default && r.subject.path == ref))
            label = r.subject.label;
    if (label.empty()) {
        auto added = add_subject(rep, ref);
        if (!added)
            return std::move(added).error();
        label = *added;
    }
    if (rep.results.size() < 2)
        return Error(Exit::usage, "--better-than " + ref + " needs another subject to compare with it");
    rep.better_than = BetterThan{label, "", false};
    rep.baseline = label;
    return std::string();
}

std::string default_baseline(const Report &rep)
{
    if (rep.find(DEFAULT_SUBJECT))
        return DEFAULT_SUBJECT;
    return rep.results.empty() ? std::string() : rep.results.front().subject.label;
}

Result<void> check_regex(const std::string &regex)
{
    try {
        std::regex re(regex);
    } catch (const std::regex_error &e) {
        return Error(Exit::usage, "invalid --metric-regex '" + regex + "': " + e.what());
    }
    return {};
}

Result<double> extract_metric(const std::string &output, const std::string &regex)
{
    std::smatch m;
    try {
        std::regex re(regex);
        if (!std::regex_search(output, m, re))
            return Error(Exit::data, "--metric-regex '" + regex + "' matched nothing in the output");
    } catch (const std::regex_error &e) {
        return Error(Exit::usage, "invalid --metric-regex '" + regex + "': " + e.what());
    }
    const std::string text = m.size() > 1 && m[1].matched ? m[1].str() : m[0].str();
    const char *begin = text.c_str();
    while (*begin == ' ' || *begin == '\t')
        begin++;
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(begin, &end);
    while (end && (*end == ' ' || *end == '\t' || *end == '\n'))
        end++;
    if (end == begin || errno || *end != '\0')
        return Error(Exit::data, "--metric-regex '" + regex + "' matched '" + text + "', which is not a number");
    return v;
}

std::string last_line(const std::string &text)
{
    // The last non-empty line, skipping the "Try 'x --help'." that follows a
    // usage error's message.
    size_t end = text.size();
    while (end > 0) {
        const size_t last = text.find_last_not_of(" \t\r\n", end - 1);
        if (last == std::string::npos)
            break;
        const size_t nl = text.rfind('\n', last);
        const size_t start = nl == std::string::npos ? 0 : nl + 1;
        std::string line = text.substr(start, last - start + 1);
        if (line.rfind("Try '", 0) != 0)
            return line;
        end = start;
    }
    return {};
}

} // namespace scx::bench
