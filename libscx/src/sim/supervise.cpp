// SPDX-License-Identifier: MIT
//
// One simulator run in a supervised child. The child sends back a JSON
// envelope: {"ok": true, "doc": {...}, "wall_ns": N, "events": N} or
// {"ok": false, "exit": CODE, "message": "..."}.
#include "base/clock.hpp"
#include "base/fs.hpp"
#include "base/process.hpp"
#include "contain/isolate.hpp"
#include "sim/sim.hpp"

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "engine.hpp"

namespace scx::sim {

namespace {

const char *phase_name(std::uint32_t p)
{
    switch (static_cast<detail::Phase>(p)) {
    case detail::Phase::init: return "init()";
    case detail::Phase::schedule: return "schedule()";
    case detail::Phase::exit: return "exit()";
    default: return "the simulator";
    }
}

std::string failure(const Error &e)
{
    auto o = json::object();
    json::set(o.get(), "ok", false);
    json::set(o.get(), "exit", static_cast<int>(e.exit));
    json::set(o.get(), "message", e.message);
    return json::dump(o.get(), false);
}

std::string child(ChildWatch &watch, const SuperviseOptions &so, const Workload &workload, Options options)
{
    // Standard output belongs to the parent's document: whatever a policy
    // prints (debugging, say) goes to standard error instead.
    std::fflush(stdout);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    auto lp = LoadedPolicy::open(so.policy_path);
    if (!lp)
        return failure(lp.error());
    watch.set_label(lp->name());
    std::vector<std::unique_ptr<EventSink>> sinks;
    if (!so.trace_path.empty()) {
        auto s = open_chrome_trace(so.trace_path, options.machine.cpus);
        if (!s)
            return failure(s.error());
        sinks.push_back(std::move(*s));
    }
    if (!so.events_path.empty()) {
        auto s = open_event_log(so.events_path, options.machine.cpus);
        if (!s)
            return failure(s.error());
        sinks.push_back(std::move(*s));
    }
    for (auto &s : sinks)
        options.sinks.push_back(s.get());
    options.watch = &watch;
    const std::uint64_t t0 = monotonic_ns(), c0 = thread_cpu_ns();
    auto out = simulate(*lp, workload, options);
    const std::uint64_t t1 = monotonic_ns(), c1 = thread_cpu_ns();
    if (!out)
        return failure(out.error());
    RunInfo info{lp->name(), so.policy_path, options.seed, options.watchdog_ns};
    auto env = json::object();
    json::set(env.get(), "ok", true);
    json::set(env.get(), "doc", run_document(info, workload, options, *out));
    json::set(env.get(), "wall_ns", t1 - t0);
    json::set(env.get(), "cpu_ns", c1 - c0);
    json::set(env.get(), "events", out->events);
    json::set(env.get(), "simulated_ns", out->end_ns);
    return json::dump(env.get(), false);
}

} // namespace

Result<SupervisedRun> run_supervised(const SuperviseOptions &so, const Workload &workload, Options options)
{
    options.sinks.clear();
    auto r = run_isolated([&](ChildWatch &w) { return child(w, so, workload, options); }, so.policy_timeout_ns);
    if (!r)
        return std::move(r).error();
    const ChildOutcome &co = *r;
    SupervisedRun run;
    run.policy = co.label;
    const std::string who = co.label.empty() ? so.policy_path : "policy '" + co.label + "'";
    char when[64];
    std::snprintf(when, sizeof when, "%.6f", static_cast<double>(co.sim_time) / 1e9);
    RunInfo info{co.label, so.policy_path, options.seed, options.watchdog_ns};
    if (co.how != ChildOutcome::How::exited) {
        // A killed child leaves its half-written trace files behind.
        for (const std::string *path : {&so.trace_path, &so.events_path})
            if (!path->empty())
                ::unlink(pending_path(*path, co.pid).c_str());
    }

    if (co.how == ChildOutcome::How::signaled) {
        run.exit = ExitInfo{ExitKind::crash, "policy crashed",
                            who + " was killed by " + describe_signal(co.code) + " in " + phase_name(co.phase) +
                                " (near " + when + " s of simulated time)"};
        run.doc = failed_run_document(info, workload, options, run.exit);
        return run;
    }
    if (co.how == ChildOutcome::How::hung) {
        run.exit = ExitInfo{ExitKind::hang, "policy hung",
                            who + " did not return from " + phase_name(co.phase) + " within " +
                                std::to_string(so.policy_timeout_ns / NSEC_PER_MSEC) +
                                " ms of wall-clock time and was killed (near " + when + " s of simulated time)"};
        run.doc = failed_run_document(info, workload, options, run.exit);
        return run;
    }
    if (co.code != 0 || co.output.empty())
        return Error(Exit::software, "the simulation process failed (exit status " + std::to_string(co.code) + ")");

    auto env = json::parse(co.output, "simulation result");
    if (!env)
        return Error(Exit::software, "the simulation process sent an unreadable result: " + env.error().message);
    if (!json::get_bool(env->get(), "ok")) {
        const auto code = static_cast<int>(json::get_int(env->get(), "exit", static_cast<int>(Exit::software)));
        const char *msg = json::get_string(env->get(), "message");
        return Error(static_cast<Exit>(code), msg ? msg : "unknown error");
    }
    run.doc = json::Value::borrow(json_object_get(env->get(), "doc"));
    const json_t *ex = json_object_get(run.doc.get(), "exit");
    const std::string kind = json::get_string(ex, "kind") ? json::get_string(ex, "kind") : "error";
    for (auto k : {ExitKind::done, ExitKind::stall, ExitKind::error, ExitKind::limit, ExitKind::deadlock})
        if (kind == exit_kind_name(k))
            run.exit.kind = k;
    run.exit.reason = json::get_string(ex, "reason") ? json::get_string(ex, "reason") : "";
    run.exit.message = json::get_string(ex, "message") ? json::get_string(ex, "message") : "";
    run.wall_s = static_cast<double>(json::get_int(env->get(), "wall_ns")) / 1e9;
    run.cpu_s = static_cast<double>(json::get_int(env->get(), "cpu_ns")) / 1e9;
    run.events = static_cast<std::uint64_t>(json::get_int(env->get(), "events"));
    run.simulated_ns = static_cast<std::uint64_t>(json::get_int(env->get(), "simulated_ns"));
    return run;
}

} // namespace scx::sim
