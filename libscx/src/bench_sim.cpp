// SPDX-License-Identifier: MIT
// One simulator run: `scx-run --sim WORKLOAD --seed S [--cpus N] POLICY.so
// --json`, whose scxkit.run/1 report carries the metric.
#include <scx/bench_runners.hpp>

#include <scx/process.hpp>

#include <cstring>

namespace scx::bench {

namespace {

namespace j = scx::json;

// The report is one JSON document (pretty-printed or on one line); accept
// JSON Lines too and take the last line that parses.
Result<j::Value> parse_report(const std::string &out)
{
    if (auto whole = j::parse(out, "scx-run output"); whole)
        return whole;
    size_t end = out.size();
    while (end > 0) {
        const size_t start = out.rfind('\n', end - 1);
        const size_t from = start == std::string::npos ? 0 : start + 1;
        if (auto v = j::parse(std::string_view(out).substr(from, end - from), "scx-run output"); v)
            return v;
        if (start == std::string::npos)
            break;
        end = start;
    }
    return Error(Exit::software, "scx-run printed no JSON report");
}

// "stall: runnable task stall (...)" from the report's "exit" object.
std::string exit_text(const json_t *exit)
{
    std::string t;
    for (const char *key : {"kind", "reason", "message"}) {
        const char *v = j::get_string(exit, key);
        if (v && *v)
            t += (t.empty() ? "" : ": ") + std::string(v);
    }
    return t;
}

std::string metric_names(const json_t *metrics)
{
    std::string names;
    const char *key;
    json_t *v;
    json_object_foreach(const_cast<json_t *>(metrics), key, v) if (json_is_number(v)) names +=
        (names.empty() ? "" : ", ") + std::string(key);
    return names.empty() ? "none" : names;
}

} // namespace

std::vector<std::string> SimRunner::command(const Subject &subject, const Slot &slot) const
{
    std::vector<std::string> argv = {opt_.scx_run, "--sim", opt_.workload};
    if (slot.seed) {
        argv.push_back("--seed");
        argv.push_back(std::to_string(*slot.seed));
    }
    if (opt_.cpus > 0) {
        argv.push_back("--cpus");
        argv.push_back(std::to_string(opt_.cpus));
    }
    argv.push_back(subject.path);
    argv.push_back("--json");
    return argv;
}

Result<Sample> SimRunner::run(const Subject &subject, const Slot &slot)
{
    const auto argv = command(subject, slot);
    ProcessOptions popt;
    popt.timeout_ns = opt_.timeout_ns;
    popt.cancel = opt_.cancel;
    popt.own_group = true;
    auto res = run_process(argv, popt);
    if (!res)
        return std::move(res).error().wrap("scx-run not found (set SCX_RUN or put scx-run in PATH)");
    if (res->cancelled)
        return Error(Exit::interrupted, "interrupted");

    Sample s;
    s.wall_s = res->seconds;
    s.user_s = res->user_s;
    s.system_s = res->system_s;
    s.exit_code = res->exit_code;
    s.signal = res->term_signal;
    const std::string what = "scx-run --sim (" + subject.label + (slot.seed ? ", seed " + std::to_string(*slot.seed) : "") + ")";
    if (res->timed_out) {
        s.failure = what + " did not finish in time";
        return s;
    }
    if (res->term_signal) {
        s.failure = what + " was killed by signal " + std::to_string(res->term_signal) + " (" +
                    ::strsignal(res->term_signal) + ")";
        return s;
    }
    // 0: completed; 1: the policy failed (ejected, stalled); anything else
    // says the benchmark itself cannot go on (bad workload, bad policy file).
    if (res->exit_code != 0 && res->exit_code != 1) {
        const std::string why = last_line(res->err);
        return Error(exit_class(res->exit_code),
                     what + " exited with status " + std::to_string(res->exit_code) + (why.empty() ? "" : ": " + why));
    }
    auto doc = parse_report(res->out);
    if (!doc || !j::check_schema(doc->get(), "scxkit.run", 1, "scx-run output").ok()) {
        if (res->exit_code == 1) {
            s.failure = what + " failed: " + last_line(res->err);
            return s;
        }
        return Error(Exit::software, what + " printed no scxkit.run/1 report");
    }
    const json_t *exit = json_object_get(doc->get(), "exit");
    const json_t *metrics = json_object_get(doc->get(), "metrics");
    auto detail = j::object();
    if (exit)
        j::set(detail.get(), "exit", j::Value::borrow(const_cast<json_t *>(exit)));
    if (metrics)
        j::set(detail.get(), "metrics", j::Value::borrow(const_cast<json_t *>(metrics)));
    s.detail = detail;
    if (res->exit_code == 1) {
        const std::string why = exit ? exit_text(exit) : "";
        s.failure = "the policy failed in the simulator" + (why.empty() ? ": " + last_line(res->err) : ": " + why);
        return s;
    }
    const json_t *v = metrics ? json_object_get(metrics, opt_.metric.c_str()) : nullptr;
    if (!json_is_number(v))
        return Error(Exit::data, "scx-run's report has no metric '" + opt_.metric +
                                     "' (it has: " + (metrics ? metric_names(metrics) : std::string("none")) + ")");
    s.value = json_number_value(v);
    s.ok = true;
    return s;
}

} // namespace scx::bench
