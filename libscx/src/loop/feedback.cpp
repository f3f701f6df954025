// SPDX-License-Identifier: MIT
#include "loop/feedback.hpp"

#include "bench/bench.hpp"
#include "loop/diagnostics.hpp"
#include "base/stats.hpp"

#include "base/strformat.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace scx {

namespace {

std::string number_text(const json_t *v)
{
    if (json_is_integer(v))
        return std::to_string(json_integer_value(v));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", json_real_value(v));
    return buf;
}

std::string scalar_text(const json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_number(v))
        return number_text(v);
    if (json_is_true(v))
        return "true";
    if (json_is_false(v))
        return "false";
    return "null";
}

bool all_numbers(const json_t *arr)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_number(v))
            return false;
    }
    return json_array_size(arr) > 0;
}

std::string summarise_numbers(const json_t *arr)
{
    std::vector<double> xs;
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) xs.push_back(json_number_value(v));
    const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
    return strformat("%zu values, min %.6g, median %.6g, max %.6g", xs.size(), *lo, stats::median(xs), *hi);
}

// A name for an array item: its "name", "command", "subject" or "policy".
std::string item_title(const json_t *o, size_t index)
{
    for (const char *k : {"name", "subject", "policy", "command", "label"})
        if (const char *s = json::get_string(o, k))
            return s;
    return "#" + std::to_string(index + 1);
}

struct Renderer {
    std::string out;
    int lines = 0;
    int max_lines;
    bool cut = false;

    void put(int indent, const std::string &text)
    {
        if (lines >= max_lines) {
            cut = true;
            return;
        }
        out += std::string(static_cast<size_t>(indent) * 2, ' ') + text + "\n";
        lines++;
    }

    void members(const json_t *obj, int indent)
    {
        const char *key;
        const json_t *v;
        json_object_foreach(const_cast<json_t *>(obj), key, v)
        {
            if (indent == 0 && std::string_view(key) == "schema")
                continue;
            value(key, v, indent);
        }
    }

    void value(const std::string &key, const json_t *v, int indent)
    {
        if (json_is_object(v)) {
            if (json_object_size(v) == 0)
                return;
            put(indent, key + ":");
            members(v, indent + 1);
        } else if (json_is_array(v)) {
            if (json_array_size(v) == 0)
                return;
            if (all_numbers(v)) {
                put(indent, key + ": " + summarise_numbers(v));
                return;
            }
            put(indent, key + ":");
            size_t i;
            const json_t *item;
            json_array_foreach(v, i, item)
            {
                if (json_is_object(item)) {
                    put(indent + 1, "- " + item_title(item, i) + ":");
                    members(item, indent + 2);
                } else if (json_is_array(item)) {
                    value("- #" + std::to_string(i + 1), item, indent + 1);
                } else {
                    put(indent + 1, "- " + scalar_text(item));
                }
            }
        } else {
            put(indent, key + ": " + scalar_text(v));
        }
    }
};

std::string maybe_number(const json_t *v, const std::string &unit)
{
    return json_is_number(v) ? bench::format_value(json_number_value(v), unit) : "n/a";
}

// "95% CI" from the "level" of the document's first interval (all share
// the benchmark's confidence), plain "CI" when it has none.
std::string ci_text(const json_t *doc)
{
    for (const auto &[items, interval] : {std::pair{"results", "median_ci"}, std::pair{"comparisons", "ratio_ci"}}) {
        size_t i;
        const json_t *item;
        json_array_foreach(json_object_get(doc, items), i, item)
        {
            if (const json_t *level = json_object_get(json_object_get(item, interval), "level"); json_is_number(level))
                return strformat("%g%% CI", json_number_value(level) * 100);
        }
    }
    return "CI";
}

// Simulator metrics worth showing beside the one the benchmark decided on:
// the median over a subject's successful runs, from each sample's detail.
constexpr const char *SIM_SIDE_METRICS[] = {
    "makespan_s", "throughput", "wakeup_latency_p50_ns", "wakeup_latency_p99_ns", "run_delay_p99_ns",
    "fairness_jain", "utilisation", "context_switches", "migrations", "preemptions",
};

void render_side_metrics(const json_t *result, const std::string &decided_by, std::string &t)
{
    std::string line;
    for (const char *name : SIM_SIDE_METRICS) {
        if (decided_by == name)
            continue;
        std::vector<double> xs;
        size_t i;
        const json_t *sample;
        json_array_foreach(json_object_get(result, "samples"), i, sample)
        {
            const json_t *v = json_object_get(json_object_get(json_object_get(sample, "detail"), "metrics"), name);
            if (json::get_bool(sample, "ok") && json_is_number(v))
                xs.push_back(json_number_value(v));
        }
        if (xs.empty())
            continue;
        line += (line.empty() ? "" : ", ") + std::string(name) + " " + bench::format_value(stats::median(xs), bench::infer_unit(name));
    }
    if (!line.empty())
        t += "    other metrics (medians): " + line + "\n";
}

// scxkit.bench/1: what was measured, each subject's statistics, the
// comparisons and their verdicts, failures and caveats.
std::string render_bench(const json_t *doc)
{
    std::string t;
    const json_t *metric = json_object_get(doc, "metric");
    const char *mname = json::get_string(metric, "name");
    const char *munit = json::get_string(metric, "unit");
    const char *better = json::get_string(metric, "better");
    const std::string unit = munit ? munit : "";
    const char *mode = json::get_string(doc, "mode");
    const json_t *workload = json_object_get(doc, "workload");
    std::string what;
    if (const char *spec = json::get_string(workload, "spec")) {
        what = std::string("simulator workload ") + spec;
    } else if (const json_t *cmd = json_object_get(workload, "command"); json_is_array(cmd)) {
        size_t i;
        const json_t *w;
        json_array_foreach(cmd, i, w) what += (i ? " " : "") + scalar_text(w);
        what = "command `" + what + "`";
    }
    t += std::string("Benchmark (") + (mode ? mode : "?") + "): " + (what.empty() ? "?" : what);
    if (const json_t *cpus = json_object_get(doc, "cpus"); json_is_integer(cpus))
        t += ", " + std::to_string(json_integer_value(cpus)) + " CPUs";
    t += "; metric " + std::string(mname ? mname : "?") + " (" + (better ? better : "?") + " is better); " +
         number_text(json_object_get(doc, "runs")) + " runs per subject\n";
    if (!json::get_bool(doc, "complete", true)) {
        const char *f = json::get_string(doc, "failure");
        t += std::string("Incomplete: ") + (f ? f : "some runs failed") + "\n";
    }

    const std::string ci_name = ci_text(doc);
    t += "Results (median [" + ci_name + "], n successful runs):\n";
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
    {
        const json_t *ci = json_object_get(r, "median_ci");
        t += "  - " + item_title(r, i) + ": " + maybe_number(json_object_get(r, "median"), unit) + " [" +
             maybe_number(json_object_get(ci, "low"), unit) + ", " + maybe_number(json_object_get(ci, "high"), unit) +
             "], n=" + number_text(json_object_get(r, "n"));
        if (const json_t *failed = json_object_get(r, "failed"); json_is_integer(failed) && json_integer_value(failed))
            t += ", " + number_text(failed) + " failed";
        if (const char *stands = json::get_string(r, "stands_for"))
            t += std::string(" (") + stands + ")";
        t += "\n";
        if (mode && std::string_view(mode) == "sim")
            render_side_metrics(r, mname ? mname : "", t);
        // The first failed run's reason, if any: an ejection is news.
        size_t j;
        const json_t *sample;
        json_array_foreach(json_object_get(r, "samples"), j, sample)
        {
            if (const char *f = json::get_string(sample, "failure")) {
                t += std::string("    failed run: ") + f + "\n";
                break;
            }
        }
    }
    const json_t *cmps = json_object_get(doc, "comparisons");
    if (json_array_size(cmps) > 0) {
        t += "Comparisons (ratio of medians [" + ci_name + "], two-sided p-value (rank test), verdict):\n";
        json_array_foreach(cmps, i, r)
        {
            const json_t *ci = json_object_get(r, "ratio_ci");
            const char *subject = json::get_string(r, "subject");
            const char *ref = json::get_string(r, "reference");
            const char *verdict = json::get_string(r, "verdict");
            const char *test = json::get_string(r, "test");
            t += std::string("  - ") + (subject ? subject : "?") + " vs " + (ref ? ref : "?") + ": " +
                 maybe_number(json_object_get(r, "ratio"), "") + " [" + maybe_number(json_object_get(ci, "low"), "") +
                 ", " + maybe_number(json_object_get(ci, "high"), "") + "], p=" +
                 maybe_number(json_object_get(r, "p_value"), "") + (test ? std::string(" (") + test + ")" : "") +
                 ", " + (verdict ? verdict : "?") + "\n";
        }
    }
    json_array_foreach(json_object_get(doc, "notes"), i, r)
    {
        if (json_is_string(r))
            t += std::string("Note: ") + json_string_value(r) + "\n";
    }
    return t;
}

} // namespace

std::string render_members(const json_t *obj, int indent, int max_lines)
{
    Renderer r;
    r.max_lines = max_lines;
    if (json_is_object(obj))
        r.members(obj, indent);
    if (r.cut)
        r.out += "(more members left out)\n";
    return r.out;
}

Result<json::Value> parse_document_or_last_line(std::string_view text, const std::string &source)
{
    // One document?
    json_error_t err;
    json_t *whole = json_loadb(text.data(), text.size(), JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &err);
    if (whole) {
        auto owned = json::Value::steal(whole);
        const std::string_view rest = text.substr(std::min(text.size(), static_cast<size_t>(err.position)));
        if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return owned;
        // More follows: JSON Lines. The document is the last non-empty line.
        size_t end = text.find_last_not_of(" \t\r\n");
        size_t start = text.rfind('\n', end);
        start = start == std::string_view::npos ? 0 : start + 1;
        const long line_no = 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<long>(start), '\n'));
        return json::parse_line(text.substr(start, end + 1 - start), source, line_no);
    }
    return json::parse(text, source);
}

Result<FixInfo> read_fix(const json_t *doc, const std::string &source, int max_diags)
{
    if (auto r = json::check_schema(doc, "scxkit.build", 1, source); !r)
        return std::move(r).error();
    FixInfo fix;
    const char *src = json::get_string(doc, "source");
    fix.source = src ? src : "";
    const json_t *err = json_object_get(doc, "error");
    if (json_is_object(err)) {
        const char *msg = json::get_string(err, "message");
        fix.stopped = true;
        fix.errors = 1;
        fix.text = std::string("scx-build stopped before compiling: ") + (msg ? msg : "(no message)") + "\n";
        return fix;
    }
    const json_t *arr = json_object_get(doc, "diagnostics");
    if (arr && !json_is_array(arr))
        return Error(Exit::data, source + ": \"diagnostics\" is not an array");
    const std::vector<Diagnostic> all = diagnostics_from_json(arr);
    std::vector<Diagnostic> errors, warnings;
    for (const auto &d : all)
        (d.severity == "warning" ? warnings : errors).push_back(d);
    std::erase_if(errors, [](const Diagnostic &d) { return d.severity != "error"; });
    const size_t limit = static_cast<size_t>(std::max(1, max_diags));
    auto quote = [&](std::vector<Diagnostic> &v, const char *what) {
        std::string s;
        const size_t total = v.size();
        if (v.size() > limit)
            v.resize(limit);
        s += format_diagnostics(v);
        if (total > v.size())
            s += "(" + std::to_string(total - v.size()) + " more " + what + " not shown)\n";
        return s;
    };
    fix.errors = static_cast<int>(errors.size());
    fix.warnings = static_cast<int>(warnings.size());
    if (!errors.empty())
        fix.text += quote(errors, "errors");
    if (!warnings.empty())
        fix.text += (fix.text.empty() ? "" : "\nWarnings:\n") + quote(warnings, "warnings");
    if (fix.errors == 0 && !json::get_bool(doc, "ok", false) && fix.text.empty())
        fix.text = "The build failed without a diagnostic.\n";
    return fix;
}

Result<FeedbackInfo> read_feedback(const json_t *doc, const std::string &source)
{
    if (!json_is_object(doc))
        return Error(Exit::data, source + ": expected a JSON object (scxkit.run/1 or scxkit.bench/1)");
    const char *schema = json::get_string(doc, "schema");
    const std::string s = schema ? schema : "";
    const std::string kind = s.substr(0, s.rfind('/'));
    if (kind != "scxkit.run" && kind != "scxkit.bench")
        return Error(Exit::data, source + ": " +
                                     (s.empty() ? std::string("no \"schema\" member") : "schema is \"" + s + "\"") +
                                     ", expected \"scxkit.run/1\" or \"scxkit.bench/1\"");
    if (auto r = json::check_schema(doc, kind, 1, source); !r)
        return std::move(r).error();

    FeedbackInfo info;
    info.schema = s;
    std::string &t = info.text;
    if (kind == "scxkit.bench") {
        t = render_bench(doc);
        return info;
    }
    // The exit report first: an ejection is the most important news.
    const json_t *exit = json_object_get(doc, "exit");
    if (json_is_object(exit)) {
        const char *k = json::get_string(exit, "kind");
        const char *reason = json::get_string(exit, "reason");
        const char *message = json::get_string(exit, "message");
        t += std::string("Exit: ") + (k ? k : "unknown");
        if (reason && *reason)
            t += std::string(": ") + reason;
        if (message && *message)
            t += std::string(" (") + message + ")";
        t += "\n";
    }
    for (const char *key : {"metrics", "counters"}) {
        const json_t *o = json_object_get(doc, key);
        if (json_is_object(o) && json_object_size(o) > 0)
            t += std::string(key == std::string_view("metrics") ? "Metrics" : "Counters") + ":\n" + render_members(o, 1);
    }
    // Everything else, generically (bench statistics, comparison, verdict...).
    auto rest = json::Value::steal(json_deep_copy(doc));
    for (const char *key : {"exit", "metrics", "counters"})
        json_object_del(rest.get(), key);
    t += render_members(rest.get(), 0);
    return info;
}

} // namespace scx
