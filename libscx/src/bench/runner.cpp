// SPDX-License-Identifier: MIT
// One run of scx-bench, through the run seam: the backend runs the subject
// (a policy, or "default"), the runner turns its RunReport into a Sample.
#include "bench/runners.hpp"

#include "base/paths.hpp"
#include "base/strformat.hpp"
#include "policy/params.hpp"
#include "run/options.hpp"
#include "run/report.hpp"

#include <algorithm>
#include <cstring>
#include <unistd.h>

namespace scx::bench {

namespace {

namespace j = scx::json;
namespace se = scx::sched_ext;

std::string metric_names(const RunReport &r)
{
    std::string names;
    for (const RunMetric &m : r.metrics)
        names += (names.empty() ? "" : ", ") + m.name;
    return names.empty() ? "none" : names;
}

// "runnable task stall: cpu-hog[12] failed to run for 5s" (the kind when
// there is no reason).
std::string exit_text(const RunExit &e)
{
    std::string head = e.reason.empty() ? exit_kind_name(e.kind) : e.reason;
    return e.message.empty() ? head : head + ": " + e.message;
}

std::string seconds(long long ns) { return seconds_text(static_cast<double>(ns) / 1e9); }

} // namespace

Result<void> check_kernel_ready(const Report &rep, const std::string &sysfs)
{
    if (rep.config.mode != Mode::kernel ||
        std::all_of(rep.results.begin(), rep.results.end(), [](const SubjectResult &r) { return r.subject.is_default; }))
        return {};
    if (::geteuid() != 0)
        return Error(Exit::no_perm,
                     "hosting a policy on the kernel needs root (try sudo), or benchmark in the simulator with --sim");
    if (!se::read_status(sysfs).present)
        return Error(Exit::unavailable,
                     "this kernel has no sched_ext (" + sysfs + " is missing); benchmark in the simulator with --sim");
    return {};
}

Result<void> check_subject_params(const Report &rep)
{
    for (const SubjectResult &r : rep.results) {
        if (r.subject.is_default || r.subject.params.empty())
            continue;
        auto specs = read_policy_params(r.subject.path);
        if (!specs)
            return std::move(specs).error();
        if (auto ok = resolve_params(*specs, r.subject.params, r.subject.path); !ok)
            return std::move(ok).error();
    }
    return {};
}

Result<std::unique_ptr<Backend>> make_backend(const Config &cfg)
{
    const BackendKind kind =
        cfg.mode == Mode::sim ? BackendKind::sim : cfg.mode == Mode::vm ? BackendKind::vm : BackendKind::kernel;
    BackendSettings s = default_settings();
    if (cfg.cpus > 0) {
        s.sim.machine.cpus = cfg.cpus;
        s.vm.cpus = cfg.cpus;
    }
    if (auto r = set_backend_options(s, kind, cfg.run_args); !r)
        return Error(Exit::usage, "--run-arg: " + r.error().message);
    if (cfg.timeout_ns > 0) {
        for (contain::Confinement *c : {&s.sim.confinement, &s.kernel.confinement})
            c->run_timeout_ns = static_cast<std::uint64_t>(cfg.timeout_ns);
        s.vm.guest_args.push_back("--timeout=" + std::to_string(cfg.timeout_ns) + "ns");
        s.vm.run_timeout_ns = static_cast<std::uint64_t>(cfg.timeout_ns);
    }
    return scx::make_backend(kind, std::move(s));
}

Result<std::unique_ptr<Runner>> make_runner(const Config &cfg, const volatile std::sig_atomic_t *cancel)
{
    auto backend = make_backend(cfg);
    if (!backend)
        return std::move(backend).error();
    return std::unique_ptr<Runner>(new BackendRunner(cfg, std::move(*backend), cancel));
}

Result<double> output_metric(const Metric &metric, const std::string &out)
{
    return metric.source == MetricSource::regex ? extract_metric(out, metric.regex) : native_workload_time(out);
}

Result<Sample> BackendRunner::run(const Subject &subject, const Slot &slot)
{
    RunRequest req;
    if (subject.path.empty()) {
        req.scheduler = RunRequest::Scheduler::builtin;
    } else {
        req.policy_path = absolute_path(subject.path);
    }
    req.params = subject.params;
    req.seed = slot.seed;
    req.cancel = cancel_;
    if (cfg_.mode == Mode::sim || cfg_.metric.source == MetricSource::report) {
        // The simulator's workload, or a native one scx-run runs itself.
        req.workload = cfg_.workload;
    } else {
        req.command = cfg_.command;
        req.capture_output = true;
    }
    auto report = backend_->run(req);
    if (!report) {
        // Policy code that failed before it ran (an init() that threw, a
        // forbidden call in a constructor) fails this run; anything else
        // (a missing file, no permission, a bad workload) stops the benchmark.
        if (report.error().exit != Exit::failure)
            return std::move(report).error();
        Sample s;
        s.exit_code = 1;
        s.failure = "the policy failed before it ran: " + report.error().message;
        return s;
    }
    if (report->exit.kind == ExitKind::interrupted)
        return Error(Exit::interrupted, "interrupted");
    return cfg_.mode == Mode::sim ? from_sim(*report) : from_kernel(*report);
}

Result<Sample> BackendRunner::from_sim(const RunReport &r)
{
    Sample s;
    s.wall_s = r.cost.wall_s;
    s.user_s = r.cost.user_s;
    s.system_s = r.cost.system_s;
    s.exit_code = r.ok() ? 0 : 1;
    const auto doc = report_value(r);
    auto detail = j::object();
    for (const char *key : {"exit", "metrics", "cpus", "workload", "params"})
        if (json_t *v = json_object_get(doc.get(), key))
            j::set(detail.get(), key, j::Value::borrow(v));
    s.detail = detail;
    if (r.exit.kind == ExitKind::timeout) {
        s.failure = "the run did not finish within " + seconds(cfg_.timeout_ns) + " (--timeout)";
        return s;
    }
    if (!r.ok()) {
        s.failure = "the policy failed in the simulator: " + exit_text(r.exit);
        return s;
    }
    const RunMetric *m = r.metric(cfg_.metric.name);
    if (!m)
        return Error(Exit::data,
                     "the run's report has no metric '" + cfg_.metric.name + "' (it has: " + metric_names(r) + ")");
    s.value = m->value;
    s.ok = true;
    return s;
}

Result<Sample> BackendRunner::from_kernel(const RunReport &r)
{
    Sample s;
    const auto doc = report_value(r);
    auto detail = j::object();
    for (const char *key : {"sched_ext", "exit", "counters", "command", "host", "params"})
        if (json_t *v = json_object_get(doc.get(), key))
            j::set(detail.get(), key, j::Value::borrow(v));
    // The workload's output is the figure's source, not part of the record.
    if (json_t *c = json_object_get(detail.get(), "command")) {
        json_object_del(c, "stdout");
        json_object_del(c, "stderr");
    }
    s.detail = detail;
    if (!r.command)
        return Error(Exit::software, "the kernel run reported no workload");
    const CommandRun &c = *r.command;
    s.wall_s = c.wall_s;
    s.user_s = c.user_s;
    s.system_s = c.system_s;
    s.exit_code = c.exit_code;
    s.signal = c.signal;
    if (r.exit.kind == ExitKind::timeout) {
        s.failure = "the workload did not finish within " + seconds(cfg_.timeout_ns) + " (--timeout)";
    } else if (c.signal) {
        s.failure = "the workload was killed by signal " + std::to_string(c.signal) + " (" + ::strsignal(c.signal) + ")";
    } else if (c.exit_code != 0) {
        const std::string why = last_line(c.err);
        s.failure = "the workload exited with status " + std::to_string(c.exit_code) + (why.empty() ? "" : ": " + why);
    } else if (cfg_.metric.source == MetricSource::report) {
        if (const RunMetric *m = r.metric(cfg_.metric.name)) {
            s.value = m->value;
            s.ok = true;
        } else {
            return Error(Exit::data, "the run's report has no metric '" + cfg_.metric.name + "' (it has: " +
                                         metric_names(r) + ")");
        }
    } else if (cfg_.metric.source == MetricSource::regex || cfg_.metric.source == MetricSource::native) {
        if (auto v = output_metric(cfg_.metric, c.out)) {
            s.value = *v;
            s.ok = true;
        } else {
            s.failure = v.error().message;
        }
    } else {
        s.value = c.wall_s;
        s.ok = true;
    }
    // The scheduler went away during the workload (ejected, crashed): the
    // run does not measure the policy.
    if (!r.ok() && r.exit.kind != ExitKind::timeout && r.sched_ext && r.sched_ext->before == "disabled") {
        // The kernel's own scheduler: something attached meanwhile.
        s.failure = s.ok || s.failure.empty() ? r.exit.message : s.failure + "; " + r.exit.message;
        s.ok = false;
    } else if (!r.ok() && r.exit.kind != ExitKind::timeout) {
        const std::string after = r.sched_ext ? r.sched_ext->after : "";
        const std::string ejected = "the scheduler was not enabled any more after the workload (" + after +
                                    "): " + exit_text(r.exit);
        s.failure = s.ok || s.failure.empty() ? ejected : s.failure + "; " + ejected;
        s.ok = false;
    }
    return s;
}

} // namespace scx::bench
