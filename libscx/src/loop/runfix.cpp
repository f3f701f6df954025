// SPDX-License-Identifier: MIT
#include "loop/runfix.hpp"

#include "loop/feedback.hpp"

#include <cstdio>
#include <deque>
#include <vector>

namespace scx {

namespace {

// What an exit kind means for the policy's author, and where to look.
const char *explain(std::string_view kind)
{
    if (kind == "stall")
        return "The watchdog ejected the policy: a runnable task waited longer than the watchdog's limit "
               "without being dispatched. Every task the policy dequeues must be dispatched within the limit, "
               "whatever its kind; a task kept back (a queue that is never drained, a condition that is never "
               "met, a CPU nobody dispatches to) stalls.";
    if (kind == "error")
        return "The policy failed: it threw an exception, or one of its operations was refused (for example a "
               "dispatch to a CPU that does not exist or a task that is not queued).";
    if (kind == "crash")
        return "The policy's process was killed by a signal (the code is the signal number): an out-of-range "
               "index, a dangling reference or pointer, an unchecked optional, or an abort.";
    if (kind == "hang")
        return "A call into the policy did not return in time: schedule() and the callbacks must be fast and "
               "must never block, sleep or loop without end.";
    if (kind == "limit")
        return "The workload did not finish within the simulated time limit: the policy lets tasks progress "
               "far too slowly (CPUs left idle, tasks held back, tiny slices).";
    if (kind == "deadlock")
        return "Every task of the workload ended up blocked for ever.";
    if (kind == "ejected")
        return "The kernel stopped the scheduler for a reason of its own (see the message).";
    if (kind == "sandbox")
        return "The policy made a system call it may not make (the code is its number): a policy computes, "
               "it does not open files, allocate threads or sleep.";
    if (kind == "oom")
        return "The policy's process reached its memory limit: something grows without bound.";
    if (kind == "timeout")
        return "The run reached its wall-clock limit: the policy is far too slow or never lets the workload end.";
    if (kind == "exited")
        return "The policy's process ended by itself (exit() or similar).";
    return "The run did not complete.";
}

std::string scalar(const json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        return std::to_string(json_integer_value(v));
    if (json_is_real(v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6g", json_real_value(v));
        return buf;
    }
    if (json_is_true(v))
        return "true";
    if (json_is_false(v))
        return "false";
    return "null";
}

// "interactive (duration=200ms, hogs=4), 30 tasks" from the document's workload.
std::string workload_text(const json_t *w)
{
    if (json_is_string(w))
        return json_string_value(w);
    if (!json_is_object(w))
        return {};
    const char *name = json::get_string(w, "name");
    std::string s = name ? name : "?";
    const json_t *params = json_object_get(w, "params");
    if (json_is_object(params) && json_object_size(params) > 0) {
        std::string p;
        const char *k;
        json_t *v;
        json_object_foreach(const_cast<json_t *>(params), k, v) p += (p.empty() ? "" : ", ") + std::string(k) + "=" + scalar(v);
        s += " (" + p + ")";
    }
    if (const json_t *t = json_object_get(w, "tasks"); json_is_integer(t))
        s += ", " + std::to_string(json_integer_value(t)) + " tasks";
    return s;
}

std::string ms_text(std::int64_t ns)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
    return buf;
}

} // namespace

Result<RunFix> read_run_fix(const json_t *doc, const std::string &source)
{
    if (auto r = json::check_schema(doc, "scxkit.run", 1, source); !r)
        return std::move(r).error();
    const json_t *exit = json_object_get(doc, "exit");
    if (!json_is_object(exit))
        return Error(Exit::data, source + ": no \"exit\" object");
    const char *kind = json::get_string(exit, "kind");
    if (!kind)
        return Error(Exit::data, source + ": \"exit\" has no \"kind\"");
    if (std::string_view(kind) == "done")
        return Error(Exit::data, source + ": the run completed (exit kind \"done\"): nothing to fix");
    RunFix fix;
    fix.exit_kind = kind;
    if (const char *p = json::get_string(doc, "policy_path"))
        fix.policy_path = p;
    std::string &t = fix.text;
    const char *reason = json::get_string(exit, "reason");
    const char *message = json::get_string(exit, "message");
    const char *mode = json::get_string(doc, "mode");
    const char *policy = json::get_string(doc, "policy");
    t += std::string("The policy") + (policy && *policy ? std::string(" \"") + policy + "\"" : "") +
         " built, but its run " + (mode && std::string_view(mode) == "sim" ? "in the simulator" : "") +
         (mode && std::string_view(mode) != "sim" ? std::string("on the ") + mode + " backend" : "") +
         " failed. " + explain(kind) + "\n\n";
    t += std::string("Exit kind: ") + kind + "\n";
    if (reason && *reason)
        t += std::string("Reason: ") + reason + "\n";
    if (message && *message)
        t += std::string("Message: ") + message + "\n";
    if (const json_t *st = json_object_get(exit, "stalled"); json_is_object(st)) {
        const char *comm = json::get_string(st, "comm");
        t += "Stalled task: pid " + std::to_string(json::get_int(st, "pid")) + " (" + (comm ? comm : "?") +
             "), runnable and not dispatched for " + ms_text(json::get_int(st, "waited_ns")) + "\n";
    }
    if (const json_t *code = json_object_get(exit, "code"); json_is_integer(code) && json_integer_value(code) != 0)
        t += "Code: " + std::to_string(json_integer_value(code)) + "\n";
    if (std::string w = workload_text(json_object_get(doc, "workload")); !w.empty())
        t += "Workload: " + w + "\n";
    if (const json_t *c = json_object_get(doc, "cpus"); json_is_integer(c))
        t += "CPUs: " + std::to_string(json_integer_value(c)) + "\n";
    if (const json_t *h = json_object_get(doc, "host"); json_is_object(h))
        if (const json_t *c = json_object_get(h, "cpus"); json_is_integer(c))
            t += "CPUs: " + std::to_string(json_integer_value(c)) + "\n";
    if (const json_t *wd = json_object_get(doc, "watchdog_ns"); json_is_integer(wd))
        t += "Watchdog limit: " + ms_text(json_integer_value(wd)) + "\n";
    const json_t *counters = json_object_get(doc, "counters");
    if (json_is_object(counters) && json_object_size(counters) > 0)
        t += "Counters:\n" + render_members(counters, 1);
    return fix;
}

Result<std::string> render_last_events(std::string_view text, const std::string &source, int n)
{
    std::deque<std::pair<long, std::string_view>> last;
    long line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        line_no++;
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        last.emplace_back(line_no, line);
        if (last.size() > static_cast<std::size_t>(n) + 2) // room for a trailing end line
            last.pop_front();
    }
    std::string out;
    std::vector<std::string> lines;
    for (const auto &[no, line] : last) {
        auto ev = json::parse_line(line, source, no);
        if (!ev)
            return std::move(ev).error();
        const json_t *e = ev->get();
        const char *type = json::get_string(e, "type");
        if (!json_is_object(e) || !type)
            return Error(Exit::data, source + ":" + std::to_string(no) + ": not an event (no \"type\")");
        const std::string_view ty = type;
        if (ty == "header" || ty == "end" || json_object_get(e, "schema"))
            continue;
        char head[96];
        std::snprintf(head, sizeof head, "t=%.6fms", static_cast<double>(json::get_int(e, "t")) / 1e6);
        std::string s = head;
        if (const json_t *cpu = json_object_get(e, "cpu"); json_is_integer(cpu) && json_integer_value(cpu) >= 0)
            s += " cpu " + std::to_string(json_integer_value(cpu));
        s += std::string(" ") + type;
        if (const json_t *pid = json_object_get(e, "pid"); json_is_integer(pid)) {
            s += " pid " + std::to_string(json_integer_value(pid));
            if (const char *comm = json::get_string(e, "comm"))
                s += std::string(" (") + comm + ")";
        }
        const char *k;
        json_t *v;
        json_object_foreach(const_cast<json_t *>(e), k, v)
        {
            const std::string_view key = k;
            if (key == "type" || key == "t" || key == "cpu" || key == "pid" || key == "comm")
                continue;
            s += " " + std::string(key) + "=" + scalar(v);
        }
        lines.push_back(std::move(s));
    }
    const std::size_t from = lines.size() > static_cast<std::size_t>(n) ? lines.size() - static_cast<std::size_t>(n) : 0;
    for (std::size_t i = from; i < lines.size(); i++)
        out += lines[i] + "\n";
    return out;
}

} // namespace scx
