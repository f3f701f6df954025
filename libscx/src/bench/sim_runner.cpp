// SPDX-License-Identifier: MIT
// One simulator run: `scx-run --sim WORKLOAD --seed S [--cpus N] POLICY.so
// --json`, whose scxkit.run/1 report carries the metric.
#include "bench/runners.hpp"

#include "base/fs.hpp"

namespace scx::bench {

namespace {

namespace j = scx::json;

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
    argv.insert(argv.end(), opt_.run_args.begin(), opt_.run_args.end());
    argv.push_back("--json");
    argv.push_back(absolute_path(subject.path));
    return argv;
}

Result<Sample> SimRunner::run(const Subject &subject, const Slot &slot)
{
    const std::string what = "scx-run --sim (" + subject.label + (slot.seed ? ", seed " + std::to_string(*slot.seed) : "") + ")";
    std::string out, err;
    auto run = run_measured(command(subject, slot), what, opt_.timeout_ns, opt_.cancel, &out, &err);
    if (!run)
        return start_error(std::move(run).error(), what);
    Sample s = std::move(*run);
    if (!s.failure.empty())
        return s;
    // 0: completed; 1: the policy failed (ejected, stalled); anything else
    // says the benchmark itself cannot go on (bad workload, bad policy file).
    if (s.exit_code != 0 && s.exit_code != 1) {
        const std::string why = last_line(err);
        return Error(exit_class(s.exit_code),
                     what + " exited with status " + std::to_string(s.exit_code) + (why.empty() ? "" : ": " + why));
    }
    const auto doc = find_run_report(out);
    if (!doc) {
        if (s.exit_code == 1) {
            s.failure = what + " failed: " + last_line(err);
            return s;
        }
        return Error(Exit::software, what + " printed no scxkit.run/1 report");
    }
    const json_t *exit = json_object_get(doc.get(), "exit");
    const json_t *metrics = json_object_get(doc.get(), "metrics");
    auto detail = j::object();
    if (exit)
        j::set(detail.get(), "exit", j::Value::borrow(const_cast<json_t *>(exit)));
    if (metrics)
        j::set(detail.get(), "metrics", j::Value::borrow(const_cast<json_t *>(metrics)));
    for (const char *key : {"cpus", "workload"})
        if (json_t *v = json_object_get(doc.get(), key))
            j::set(detail.get(), key, j::Value::borrow(v));
    s.detail = detail;
    if (s.exit_code == 1) {
        const std::string why = run_exit_text(doc.get());
        s.failure = "the policy failed in the simulator: " + (why.empty() ? last_line(err) : why);
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
