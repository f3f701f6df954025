// SPDX-License-Identifier: MIT
#include "policy/check.hpp"

#include <scx/test_backend.hpp>

#include "base/json.hpp"
#include "base/strformat.hpp"
#include "contain/record.hpp"
#include "contain/sandbox.hpp"
#include "policy/params.hpp"
#include "run/report.hpp"

#include <algorithm>
#include <array>

#include <unistd.h>

namespace scx {

namespace {

enum Value { DISPATCHED, ROUNDS };

void set_phase(contain::Record &r, contain::Phase p)
{
    r.watch.phase.store(static_cast<std::uint32_t>(p), std::memory_order_relaxed);
    r.watch.beat();
}

// Queue a few tasks on a 4-CPU context with two idle CPUs, then give the
// policy some rounds to dispatch all of them.
void drive(LoadedPolicy &lp, contain::Record &rec)
{
    testing::ScriptedContext ctx(CHECK_CPUS);
    ctx.set_idle(0, false);
    ctx.set_idle(1, false);
    set_phase(rec, contain::Phase::init);
    if (auto r = lp.init(ctx); !r) {
        contain::finish(rec, RunExit{ExitKind::error, "policy error", r.error().message, 0});
        return;
    }
    for (int i = 0; i < CHECK_TASKS; i++) {
        auto t = testing::ScriptedContext::make_task(1000 + i, i % 4, "check");
        if (i % 2)
            t.flags = ENQ_WAKEUP;
        ctx.queue(t);
    }
    int rounds = 0;
    set_phase(rec, contain::Phase::schedule);
    while (rounds < CHECK_ROUNDS && ctx.dispatches().size() < CHECK_TASKS) {
        ctx.set_pending(0);
        if (auto r = lp.schedule(ctx); !r) {
            contain::finish(rec, RunExit{ExitKind::error, "policy error", r.error().message, 0});
            return;
        }
        rounds++;
        rec.watch.beat();
        ctx.advance(NSEC_PER_MSEC);
    }
    set_phase(rec, contain::Phase::exit);
    if (auto r = lp.exit(ctx); !r) {
        contain::finish(rec, RunExit{ExitKind::error, "policy error", r.error().message, 0});
        return;
    }
    const auto dispatched = ctx.dispatches().size();
    rec.values[DISPATCHED] = dispatched;
    rec.values[ROUNDS] = static_cast<std::uint64_t>(rounds);
    if (dispatched == CHECK_TASKS) {
        contain::finish(rec, RunExit{});
        return;
    }
    contain::finish(rec, RunExit{ExitKind::error, "tasks left undispatched",
                                 strformat("the policy left %zu of %d tasks undispatched after %d rounds",
                                           CHECK_TASKS - dispatched, CHECK_TASKS, rounds),
                                 0});
}

} // namespace

Result<RunReport> CheckBackend::run(const RunRequest &req, const StatsSink &)
{
    if (req.scheduler != RunRequest::Scheduler::policy || req.policy_path.empty())
        return Error(Exit::usage, "--check needs a policy shared object");
    if (auto ok = check_params_wanted(req); !ok)
        return ok.error();
    auto shared = contain::SharedRecord::create();
    if (!shared)
        return std::move(shared).error();
    contain::Record &rec = **shared;
    auto end = contain::run_contained(req.policy_path, s_.confinement, rec, {},
                                      [&](LoadedPolicy *lp) { drive(*lp, rec); }, req.cancel, req.params);
    if (!end)
        return std::move(end).error();
    auto exit = contain::classify(rec, *end, req.policy_path, s_.confinement);
    if (!exit)
        return std::move(exit).error();
    RunReport r;
    r.host.backend = BackendKind::check;
    r.host.cpus = CHECK_CPUS;
    if (::geteuid() == 0) {
        if (auto u = sandbox::resolve_user(s_.confinement.user))
            r.host.user = u->name;
    }
    r.policy = contain::policy_name(rec);
    r.policy_path = req.policy_path;
    r.params = contain::read_params(rec);
    r.exit = std::move(*exit);
    r.metrics = {{"tasks", CHECK_TASKS, true},
                 {"dispatched", static_cast<double>(rec.values[DISPATCHED].load()), true},
                 {"rounds", static_cast<double>(rec.values[ROUNDS].load()), true}};
    return r;
}

std::string check_json(const RunReport &r)
{
    auto metric = [&](const char *name) {
        const RunMetric *m = r.metric(name);
        return static_cast<std::uint64_t>(m ? m->value : 0);
    };
    auto doc = json::object();
    json::set(doc.get(), "schema", json::schema_id("scxkit.check", 1));
    json::set(doc.get(), "ok", r.ok());
    json::set(doc.get(), "path", r.policy_path);
    json::set(doc.get(), "policy", r.policy);
    json::set(doc.get(), "abi", static_cast<int>(POLICY_ABI));
    json::set(doc.get(), "tasks", metric("tasks"));
    json::set(doc.get(), "dispatched", metric("dispatched"));
    json::set(doc.get(), "rounds", metric("rounds"));
    // The declarations (and the values the check ran with).
    auto params = json::array();
    for (const ParamSetting &p : r.params) {
        auto o = json::object();
        json::set(o.get(), "name", p.spec.name);
        json::set(o.get(), "type", p.spec.type);
        json::set(o.get(), "default", param_json(p.spec.type, p.spec.def));
        json::set(o.get(), "min", param_json(p.spec.type, p.spec.min));
        json::set(o.get(), "max", param_json(p.spec.type, p.spec.max));
        json::set(o.get(), "unit", p.spec.unit);
        json::set(o.get(), "description", p.spec.description);
        json::set(o.get(), "value", param_json(p.spec.type, p.value));
        json::append(params.get(), o);
    }
    json::set(doc.get(), "params", params);
    auto e = json::object();
    json::set(e.get(), "kind", exit_kind_name(r.exit.kind));
    json::set(e.get(), "reason", r.exit.reason);
    json::set(e.get(), "message", r.exit.message);
    json::set(doc.get(), "exit", e);
    return json::dump(doc.get());
}

std::string check_text(const RunReport &r)
{
    auto metric = [&](const char *name) {
        const RunMetric *m = r.metric(name);
        return static_cast<unsigned long long>(m ? m->value : 0);
    };
    const unsigned long long rounds = metric("rounds");
    std::string out = strformat("%s: policy '%s' (ABI %u) dispatched %llu of %llu tasks in %llu round%s",
                                r.policy_path.c_str(), r.policy.c_str(), POLICY_ABI, metric("dispatched"),
                                metric("tasks"), rounds, rounds == 1 ? "" : "s");
    if (!r.ok())
        out += std::string(" - ") + exit_kind_name(r.exit.kind) + ": " + r.exit.reason;
    out += "\n";
    if (r.params.empty())
        return out;
    // The parameters as a table: name, type, default, range and unit, meaning.
    std::vector<std::array<std::string, 5>> rows = {{"PARAMETER", "TYPE", "DEFAULT", "RANGE", "DESCRIPTION"}};
    for (const ParamSetting &p : r.params) {
        std::string def = param_value_text(p.spec.type, p.spec.def);
        if (p.value != p.spec.def)
            def += " (now " + param_value_text(p.spec.type, p.value) + ")";
        rows.push_back({p.spec.name, p.spec.type, def, p.spec.type == "bool" ? "" : param_range_text(p.spec),
                        p.spec.description});
    }
    std::size_t width[4] = {};
    for (const auto &row : rows)
        for (std::size_t i = 0; i < 4; i++)
            width[i] = std::max(width[i], row[i].size());
    for (const auto &row : rows) {
        std::string l = "  ";
        for (std::size_t i = 0; i < 4; i++)
            l += row[i] + std::string(width[i] - row[i].size() + 2, ' ');
        l += row[4];
        while (!l.empty() && l.back() == ' ')
            l.pop_back();
        out += l + "\n";
    }
    return out;
}

} // namespace scx
