// SPDX-License-Identifier: MIT
// What the runners share: finding scx-run, naming subjects, running and
// measuring a workload command, reading a figure from its output.
#include "bench/runners.hpp"

#include "base/fs.hpp"
#include "base/paths.hpp"
#include "base/process.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <unistd.h>

#include "base/strformat.hpp"

namespace scx::bench {

std::string find_tool(const std::string &name)
{
    std::string var;
    for (char c : name)
        var += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char *env = std::getenv(var.c_str()); env && *env)
        return env;
    const std::string self = self_exe();
    if (!self.empty()) {
        const std::string sibling = dirname_of(self) + "/" + name;
        if (::access(sibling.c_str(), X_OK) == 0)
            return sibling;
    }
    return name;
}

Result<std::vector<std::string>> native_workload_command(const std::string &spec, const std::string &program)
{
    const auto colon = spec.find(':');
    const std::string name = spec.substr(0, colon);
    if (name != "messaging")
        return Error(Exit::usage, "unknown native workload '" + name + "' (on the kernel: messaging; other workloads "
                                  "run as a command after --)");
    std::vector<std::string> argv = {program, "--json"};
    std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string item = rest.substr(0, comma);
        rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
        const auto eq = item.find('=');
        const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
        const bool number = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        const bool flag_on = value == "1" || value == "yes" || value == "true" || value == "on";
        const bool flag_off = value == "0" || value == "no" || value == "false" || value == "off";
        if ((key == "groups" || key == "loops") && number) {
            argv.push_back(key == "groups" ? "-g" : "-l");
            argv.push_back(value);
        } else if ((key == "thread" || key == "pipe") && (flag_on || flag_off)) {
            if (flag_on)
                argv.push_back(key == "thread" ? "-t" : "-p");
        } else if (key == "groups" || key == "loops" || key == "thread" || key == "pipe") {
            return Error(Exit::usage, "bad value '" + value + "' for messaging parameter " + key +
                                          (number || key == "groups" || key == "loops" ? " (a number)" : " (1 or 0)"));
        } else {
            return Error(Exit::usage, "unknown messaging parameter '" + key +
                                          "' on the kernel (groups, loops, thread, pipe)");
        }
    }
    return argv;
}

Result<double> native_workload_time(const std::string &output)
{
    auto doc = json::parse(output, "scx-messaging output");
    if (!doc)
        return std::move(doc).error();
    if (auto ok = json::check_schema(doc->get(), "scxkit.messaging", 1, "scx-messaging output"); !ok)
        return std::move(ok).error();
    const json_t *first = json_array_get(json_object_get(doc->get(), "duration_s"), 0);
    if (!json_is_number(first))
        return Error(Exit::data, "scx-messaging output has no duration_s");
    return json_number_value(first);
}

Subject default_subject(Mode mode)
{
    Subject s;
    s.label = DEFAULT_SUBJECT;
    s.is_default = true;
    if (mode == Mode::kernel) {
        s.stands_for = "the kernel's own scheduler (sched_ext disabled)";
    } else {
        s.path = policy_objects_dir() + "/fifo.so";
        s.stands_for = "scxkit's reference FIFO policy (" + s.path +
                       "): the simulator has no model of the kernel's own scheduler";
    }
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

Result<std::string> add_subject(Report &rep, const std::string &arg)
{
    const Mode mode = rep.config.mode;
    for (const auto &r : rep.results)
        if ((arg == DEFAULT_SUBJECT && r.subject.is_default) || (!r.subject.is_default && r.subject.path == arg))
            return Error(Exit::usage, "subject '" + arg + "' is listed twice");
    Subject s;
    if (arg == DEFAULT_SUBJECT) {
        s = default_subject(mode);
        if (mode == Mode::sim && !file_exists(s.path))
            return Error(Exit::no_input, "the reference policy standing for 'default' is missing: " + s.path);
    } else {
        if (!file_exists(arg))
            return Error(Exit::no_input, "cannot open policy " + arg + ": No such file or directory");
        s = policy_subject(arg);
    }
    for (auto &r : rep.results)
        if (r.subject.label == s.label) {
            if (!r.subject.is_default)
                r.subject.label = r.subject.path;
            s.label = s.is_default ? s.label : s.path;
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

Error start_error(Error e, const std::string &what)
{
    if (e.exit == Exit::unavailable)
        return std::move(e).wrap("cannot start " + what + " (set SCX_RUN or put scx-run in PATH)");
    return std::move(e).wrap("cannot start " + what);
}

Exit exit_class(int status)
{
    for (Exit e : {Exit::usage, Exit::data, Exit::no_input, Exit::unavailable, Exit::software, Exit::io,
                   Exit::temp_fail, Exit::no_perm, Exit::interrupted})
        if (static_cast<int>(e) == status)
            return e;
    return Exit::software;
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

Result<Sample> run_measured(const std::vector<std::string> &argv, const std::string &what, long long timeout_ns,
                            const volatile std::sig_atomic_t *cancel, std::string *out, std::string *err)
{
    ProcessOptions opt;
    opt.timeout_ns = timeout_ns;
    opt.cancel = cancel;
    opt.own_group = true;
    auto res = run_process(argv, opt);
    if (!res)
        return std::move(res).error();
    if (res->cancelled)
        return Error(Exit::interrupted, "interrupted");
    Sample s;
    s.wall_s = res->seconds;
    s.user_s = res->user_s;
    s.system_s = res->system_s;
    s.exit_code = res->exit_code;
    s.signal = res->term_signal;
    if (res->timed_out)
        s.failure = what + " did not finish within " + seconds_text(static_cast<double>(timeout_ns) / 1e9) +
                    " (--timeout)";
    else if (res->term_signal)
        s.failure = what + " was killed by signal " + std::to_string(res->term_signal) + " (" +
                    ::strsignal(res->term_signal) + ")";
    *out = std::move(res->out);
    *err = std::move(res->err);
    return s;
}

Result<Sample> measure_command(const std::vector<std::string> &command, const Metric &metric, long long timeout_ns,
                               const volatile std::sig_atomic_t *cancel)
{
    std::string out, err;
    auto s = run_measured(command, "the workload", timeout_ns, cancel, &out, &err);
    if (!s || !s->failure.empty())
        return s;
    if (s->exit_code != 0) {
        const std::string why = last_line(err);
        s->failure = "the workload exited with status " + std::to_string(s->exit_code) + (why.empty() ? "" : ": " + why);
    } else if (metric.source == MetricSource::regex || metric.source == MetricSource::native) {
        auto v = metric.source == MetricSource::regex ? extract_metric(out, metric.regex) : native_workload_time(out);
        if (v) {
            s->value = *v;
            s->ok = true;
        } else {
            s->failure = v.error().message;
        }
    } else {
        s->value = s->wall_s;
        s->ok = true;
    }
    return s;
}

json::Value find_run_report(const std::string &out)
{
    auto is_report = [](const json::Value &v) {
        const char *schema = json_is_object(v.get()) ? json::get_string(v.get(), "schema") : nullptr;
        return schema && std::string(schema) == "scxkit.run/1";
    };
    if (auto whole = json::parse(out, "scx-run output"); whole && is_report(*whole))
        return *whole;
    size_t end = out.size();
    while (end > 0) {
        const size_t start = out.rfind('\n', end - 1);
        const size_t from = start == std::string::npos ? 0 : start + 1;
        if (auto v = json::parse(std::string_view(out).substr(from, end - from), "scx-run output"); v && is_report(*v))
            return *v;
        if (start == std::string::npos)
            break;
        end = start;
    }
    return {};
}

std::string run_exit_text(const json_t *report)
{
    const json_t *exit = report ? json_object_get(report, "exit") : nullptr;
    auto get = [&](const char *key) {
        const char *v = exit ? json::get_string(exit, key) : nullptr;
        return std::string(v ? v : "");
    };
    // "runnable task stall: cpu-hog[12] failed to run for 5s"; the kind only
    // when there is no reason.
    std::string head = get("reason");
    if (head.empty())
        head = get("kind");
    const std::string message = get("message");
    if (head.empty() || message.empty())
        return head + message;
    return head + ": " + message;
}

} // namespace scx::bench
