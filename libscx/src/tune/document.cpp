// SPDX-License-Identifier: MIT
// scxkit.tune/1: the space, the plan, every trial, every candidate, the best
// and the comparison with the defaults (an scxkit.bench/1 document).
#include "tune/tune.hpp"

#include <cmath>

namespace scx::tune {

namespace {

namespace j = scx::json;

j::Value settings_json(const Search &s, const Point &x)
{
    auto o = j::object();
    for (const auto &[name, value] : settings(s.space, x))
        j::set(o.get(), name.c_str(), value);
    return o;
}

j::Value space_json(const Space &space)
{
    auto a = j::array();
    for (const Dimension &d : space.dims) {
        const Param &p = d.param;
        auto o = j::object();
        j::set(o.get(), "name", p.name);
        j::set(o.get(), "type", p.type);
        j::set(o.get(), "default", value_text(p, p.def));
        j::set(o.get(), "min", value_text(p, p.min));
        j::set(o.get(), "max", value_text(p, p.max));
        j::set(o.get(), "unit", p.unit);
        j::set(o.get(), "scale", scale_name(d.scale));
        j::set(o.get(), "from", value_text(p, d.low));
        if (d.fixed)
            j::set(o.get(), "fixed", value_text(p, *d.fixed));
        else
            j::set_null(o.get(), "fixed");
        j::append(a.get(), o);
    }
    return a;
}

} // namespace

json::Value to_json(const Search &s, const bench::Config &cfg)
{
    auto doc = j::object();
    j::set(doc.get(), "schema", j::schema_id(SCHEMA, SCHEMA_MAJOR));
    j::set(doc.get(), "complete", s.complete);
    j::set(doc.get(), "policy", s.policy);
    j::set(doc.get(), "mode", bench::mode_name(cfg.mode));
    j::set(doc.get(), "workload", bench::workload_text(cfg));
    if (cfg.mode != bench::Mode::kernel && cfg.cpus > 0)
        j::set(doc.get(), "cpus", cfg.cpus);
    else
        j::set_null(doc.get(), "cpus");
    auto m = j::object();
    j::set(m.get(), "name", cfg.metric.name);
    j::set(m.get(), "unit", cfg.metric.unit);
    j::set(m.get(), "better", bench::direction_name(cfg.metric.direction));
    j::set(doc.get(), "metric", m);

    auto method = j::object();
    j::set(method.get(), "name", "successive-halving");
    j::set(method.get(), "sample", "halton");
    j::set(method.get(), "rank", "median");
    j::set(method.get(), "eta", s.plan.eta);
    j::set(method.get(), "budget", s.options.budget);
    j::set(method.get(), "seed", static_cast<std::uint64_t>(s.options.seed));
    if (cfg.mode == bench::Mode::sim)
        j::set(method.get(), "first_run_seed", static_cast<std::uint64_t>(bench::seed_for(cfg, 1, false)));
    else
        j::set_null(method.get(), "first_run_seed");
    auto rungs = j::array();
    for (const Rung &r : s.plan.rungs) {
        auto o = j::object();
        j::set(o.get(), "candidates", static_cast<std::uint64_t>(r.candidates));
        j::set(o.get(), "runs", r.runs);
        j::set(o.get(), "budget", r.budget);
        j::append(rungs.get(), o);
    }
    j::set(method.get(), "rungs", rungs);
    j::set(doc.get(), "method", method);
    j::set(doc.get(), "space", space_json(s.space));
    j::set(doc.get(), "runs_used", static_cast<std::uint64_t>(s.trials.size()));
    j::set_number(doc.get(), "wall_s", s.wall_s);

    auto best = j::object();
    if (s.best) {
        const Candidate &c = s.candidates[*s.best];
        j::set(best.get(), "candidate", static_cast<std::uint64_t>(c.id));
        j::set(best.get(), "label", c.label);
        j::set(best.get(), "params", settings_json(s, c.point));
        j::set_number(best.get(), "median", c.median());
        j::set(doc.get(), "best", best);
    } else {
        j::set_null(doc.get(), "best");
    }
    const auto [status, why] = verdict(s);
    auto v = j::object();
    j::set(v.get(), "better", s.complete && status == 0);
    if (why.empty())
        j::set_null(v.get(), "reason");
    else
        j::set(v.get(), "reason", why);
    j::set(doc.get(), "verdict", v);

    auto notes = j::array();
    for (const std::string &n : s.notes)
        j::append(notes.get(), j::string(n));
    j::set(doc.get(), "notes", notes);

    auto cands = j::array();
    for (const Candidate &c : s.candidates) {
        auto o = j::object();
        j::set(o.get(), "id", static_cast<std::uint64_t>(c.id));
        j::set(o.get(), "label", c.label);
        j::set(o.get(), "default", c.id == 0);
        j::set(o.get(), "params", settings_json(s, c.point));
        j::set(o.get(), "rung", c.rung);
        j::set(o.get(), "runs", static_cast<std::uint64_t>(c.values.size()));
        j::set(o.get(), "failed", c.failed);
        j::set_number(o.get(), "median", c.median());
        j::append(cands.get(), o);
    }
    j::set(doc.get(), "candidates", cands);

    auto trials = j::array();
    for (const Trial &t : s.trials) {
        auto o = j::object();
        j::set(o.get(), "trial", t.index);
        j::set(o.get(), "candidate", static_cast<std::uint64_t>(t.candidate));
        j::set(o.get(), "rung", t.rung);
        j::set(o.get(), "run", t.sample.run);
        if (t.sample.seed)
            j::set(o.get(), "seed", static_cast<std::uint64_t>(*t.sample.seed));
        else
            j::set_null(o.get(), "seed");
        j::set(o.get(), "ok", t.sample.ok);
        if (t.sample.ok)
            j::set_number(o.get(), "value", t.sample.value);
        else
            j::set_null(o.get(), "value");
        j::set_number(o.get(), "wall_s", t.sample.wall_s);
        if (t.sample.failure.empty())
            j::set_null(o.get(), "failure");
        else
            j::set(o.get(), "failure", t.sample.failure);
        j::append(trials.get(), o);
    }
    j::set(doc.get(), "trials", trials);

    if (s.comparison.results.empty())
        j::set_null(doc.get(), "comparison");
    else
        j::set(doc.get(), "comparison", bench::to_json(s.comparison));
    return doc;
}

} // namespace scx::tune
