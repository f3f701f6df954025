// SPDX-License-Identifier: MIT
// scxkit.bench/1: written by scx-bench --json / -o, read back by --compare.
// A superset of hyperfine's --export-json: "results" holds one object per
// subject with hyperfine's command, mean, stddev, median, user, system, min,
// max, times and exit_codes, plus everything scx-bench knows.
#include "bench/bench.hpp"

#include <cmath>

namespace scx::bench {

namespace {

namespace j = scx::json;

void set_str_or_null(json_t *o, const char *key, const std::string &s)
{
    if (s.empty())
        j::set_null(o, key);
    else
        j::set(o, key, s);
}

j::Value interval(const stats::Interval &i, double level)
{
    auto o = j::object();
    j::set_number(o.get(), "low", i.low);
    j::set_number(o.get(), "high", i.high);
    j::set(o.get(), "level", level);
    return o;
}

j::Value strings(const std::vector<std::string> &v)
{
    auto a = j::array();
    for (const auto &s : v)
        json::append(a.get(), json::string(s));
    return a;
}

j::Value sample_json(const Sample &s)
{
    auto o = j::object();
    j::set(o.get(), "run", s.run);
    if (s.seed)
        j::set(o.get(), "seed", static_cast<std::uint64_t>(*s.seed));
    j::set(o.get(), "ok", s.ok);
    if (s.ok)
        j::set_number(o.get(), "value", s.value);
    else
        j::set_null(o.get(), "value");
    j::set(o.get(), "exit_code", s.exit_code);
    j::set(o.get(), "signal", s.signal);
    j::set_number(o.get(), "wall_s", s.wall_s);
    j::set_number(o.get(), "user_s", s.user_s);
    j::set_number(o.get(), "system_s", s.system_s);
    set_str_or_null(o.get(), "failure", s.failure);
    if (s.detail)
        j::set(o.get(), "detail", s.detail);
    return o;
}

j::Value result_json(const SubjectResult &r, const Config &cfg)
{
    const auto &s = r.summary;
    auto o = j::object();
    // hyperfine's members first, in its order.
    j::set(o.get(), "command", r.subject.label);
    j::set_number(o.get(), "mean", s.mean);
    j::set_number(o.get(), "stddev", s.stddev);
    j::set_number(o.get(), "median", s.median);
    j::set_number(o.get(), "user", r.user_s);
    j::set_number(o.get(), "system", r.system_s);
    j::set_number(o.get(), "min", s.min);
    j::set_number(o.get(), "max", s.max);
    auto times = j::array();
    auto codes = j::array();
    for (const auto &x : r.samples) {
        if (x.ok && std::isfinite(x.value))
            json_array_append_new(times.get(), json_real(x.value));
        json_array_append_new(codes.get(), json_integer(x.exit_code));
    }
    j::set(o.get(), "times", times);
    j::set(o.get(), "exit_codes", codes);
    // scx-bench's additions.
    j::set(o.get(), "subject", r.subject.label);
    set_str_or_null(o.get(), "policy_path", r.subject.path);
    j::set(o.get(), "default", r.subject.is_default);
    set_str_or_null(o.get(), "stands_for", r.subject.stands_for);
    // The policy's parameters as given (--param, then the subject's own);
    // the values in effect are in each sample's detail.
    auto params = j::object();
    for (const auto &[name, value] : r.subject.params)
        j::set(params.get(), name.c_str(), value);
    j::set(o.get(), "params", params);
    j::set(o.get(), "n", static_cast<std::uint64_t>(s.n));
    j::set(o.get(), "failed", static_cast<std::uint64_t>(r.failed()));
    j::set_number(o.get(), "mad", s.mad);
    j::set_number(o.get(), "q1", s.q1);
    j::set_number(o.get(), "q3", s.q3);
    j::set(o.get(), "median_ci", interval(s.median_ci, cfg.bootstrap.confidence));
    auto outl = j::array();
    for (int run : r.outlier_runs)
        json_array_append_new(outl.get(), json_integer(run));
    j::set(o.get(), "outliers", outl);
    auto samples = j::array(), warm = j::array();
    for (const auto &x : r.samples)
        j::append(samples.get(), sample_json(x));
    for (const auto &x : r.warmups)
        j::append(warm.get(), sample_json(x));
    j::set(o.get(), "samples", samples);
    j::set(o.get(), "warmup_samples", warm);
    return o;
}

j::Value comparison_json(const ComparisonResult &c, const Config &cfg)
{
    const auto &cmp = c.cmp;
    const bool paired = cmp.test == stats::Test::wilcoxon_signed_rank;
    auto o = j::object();
    j::set(o.get(), "subject", c.subject);
    j::set(o.get(), "reference", c.reference);
    set_str_or_null(o.get(), "reference_file", c.reference_file);
    j::set_number(o.get(), "ratio", cmp.ratio.value);
    auto ci = interval(cmp.ratio.ci, cfg.bootstrap.confidence);
    j::set(ci.get(), "dropped", cmp.ratio.dropped);
    j::set(o.get(), "ratio_ci", ci);
    set_str_or_null(o.get(), "ratio_undefined", c.ratio_undefined);
    j::set(o.get(), "test", stats::test_name(cmp.test));
    j::set(o.get(), "method", stats::method_name(cmp.method));
    j::set(o.get(), "paired", paired);
    if (paired) {
        j::set(o.get(), "pairs", static_cast<std::uint64_t>(cmp.signed_rank.pairs));
        j::set(o.get(), "zeros", static_cast<std::uint64_t>(cmp.signed_rank.zeros));
    } else {
        j::set_null(o.get(), "pairs");
        j::set_null(o.get(), "zeros");
    }
    j::set(o.get(), "unpaired", static_cast<std::uint64_t>(c.unpaired));
    j::set(o.get(), "ties", paired ? cmp.signed_rank.ties : cmp.mann_whitney.ties);
    if (paired) {
        j::set_null(o.get(), "u");
        j::set_number(o.get(), "v", cmp.signed_rank.v);
        j::set_number(o.get(), "z", cmp.signed_rank.z);
    } else {
        j::set_number(o.get(), "u", cmp.mann_whitney.u);
        j::set_null(o.get(), "v");
        j::set_number(o.get(), "z", cmp.mann_whitney.z);
    }
    j::set_number(o.get(), "p_value", cmp.p_value);
    j::set(o.get(), "n", static_cast<std::uint64_t>(paired ? cmp.signed_rank.pairs : cmp.mann_whitney.n1));
    j::set(o.get(), "n_reference", static_cast<std::uint64_t>(paired ? cmp.signed_rank.pairs : cmp.mann_whitney.n2));
    j::set(o.get(), "alpha", cmp.alpha);
    j::set(o.get(), "verdict", stats::verdict_name(cmp.verdict));
    return o;
}

// Where the first run that reported it ran: its report's host (kernel and
// VM modes); null in the simulator or before any run.
j::Value first_host(const Report &rep)
{
    for (const auto &r : rep.results)
        for (const auto *list : {&r.warmups, &r.samples})
            for (const auto &s : *list)
                if (s.detail)
                    if (json_t *h = json_object_get(s.detail.get(), "host"))
                        return j::Value::borrow(h);
    return j::Value::steal(json_null());
}

} // namespace

j::Value to_json(const Report &rep)
{
    const Config &cfg = rep.config;
    auto doc = j::object();
    j::set(doc.get(), "schema", j::schema_id(SCHEMA, SCHEMA_MAJOR));
    j::set(doc.get(), "complete", rep.complete);
    set_str_or_null(doc.get(), "failure", rep.failure);
    j::set(doc.get(), "mode", mode_name(cfg.mode));

    auto wl = j::object();
    set_str_or_null(wl.get(), "spec", cfg.workload);
    if (cfg.command.empty())
        j::set_null(wl.get(), "command");
    else
        j::set(wl.get(), "command", strings(cfg.command));
    j::set(doc.get(), "workload", wl);
    if (cfg.mode != Mode::kernel && cfg.cpus > 0)
        j::set(doc.get(), "cpus", cfg.cpus);
    else
        j::set_null(doc.get(), "cpus");
    j::set(doc.get(), "host", first_host(rep));

    auto m = j::object();
    j::set(m.get(), "name", cfg.metric.name);
    j::set(m.get(), "unit", cfg.metric.unit);
    j::set(m.get(), "better", direction_name(cfg.metric.direction));
    j::set(m.get(), "source", source_name(cfg.metric.source));
    j::set(m.get(), "default", cfg.metric.is_default);
    set_str_or_null(m.get(), "regex", cfg.metric.regex);
    j::set(doc.get(), "metric", m);

    j::set(doc.get(), "runs", cfg.runs);
    j::set(doc.get(), "warmup", cfg.warmup);
    j::set(doc.get(), "order", "interleaved");
    if (cfg.mode == Mode::sim) {
        auto seeds = j::object();
        j::set(seeds.get(), "first", static_cast<std::uint64_t>(seed_for(cfg, 1, false)));
        j::set(seeds.get(), "last", static_cast<std::uint64_t>(seed_for(cfg, cfg.runs, false)));
        j::set(seeds.get(), "rule", "run i of every subject uses seed first + i - 1; warm-up w uses last + w");
        j::set(doc.get(), "seeds", seeds);
    } else {
        j::set_null(doc.get(), "seeds");
    }
    j::set(doc.get(), "alpha", cfg.alpha);
    auto boot = j::object();
    j::set(boot.get(), "method", "percentile");
    j::set(boot.get(), "resamples", cfg.bootstrap.resamples);
    j::set(boot.get(), "confidence", cfg.bootstrap.confidence);
    j::set(boot.get(), "seed", static_cast<std::uint64_t>(cfg.bootstrap.seed));
    j::set(doc.get(), "bootstrap", boot);
    j::set(doc.get(), "outlier_threshold", stats::OUTLIER_THRESHOLD);
    j::set_number(doc.get(), "timeout_s", static_cast<double>(cfg.timeout_ns) / 1e9);
    set_str_or_null(doc.get(), "scx_run", cfg.scx_run);
    j::set(doc.get(), "scx_run_args", strings(cfg.run_args));
    set_str_or_null(doc.get(), "baseline", rep.baseline);
    set_str_or_null(doc.get(), "compare_file", rep.compare_file);

    // The verdicts before the raw samples: a reader (or a prompt) that stops
    // early still sees them.
    auto comps = j::array();
    for (const auto &c : rep.comparisons)
        j::append(comps.get(), comparison_json(c, cfg));
    j::set(doc.get(), "comparisons", comps);
    if (rep.better_than) {
        auto bt = j::object();
        set_str_or_null(bt.get(), "reference", rep.better_than->reference);
        set_str_or_null(bt.get(), "reference_file", rep.better_than->reference_file);
        j::set(bt.get(), "satisfied", rep.better_than->satisfied);
        j::set(doc.get(), "better_than", bt);
    } else {
        j::set_null(doc.get(), "better_than");
    }
    j::set(doc.get(), "notes", strings(rep.notes));
    auto results = j::array();
    for (const auto &r : rep.results)
        j::append(results.get(), result_json(r, cfg));
    j::set(doc.get(), "results", results);
    return doc;
}

namespace {

Sample sample_from(const json_t *o)
{
    Sample s;
    s.run = static_cast<int>(j::get_int(o, "run"));
    if (json_is_integer(json_object_get(o, "seed")))
        s.seed = static_cast<std::uint64_t>(j::get_int(o, "seed"));
    s.ok = j::get_bool(o, "ok");
    s.value = j::get_number(o, "value", NAN);
    s.ok = s.ok && std::isfinite(s.value);
    s.exit_code = static_cast<int>(j::get_int(o, "exit_code"));
    s.signal = static_cast<int>(j::get_int(o, "signal"));
    s.wall_s = j::get_number(o, "wall_s");
    s.user_s = j::get_number(o, "user_s");
    s.system_s = j::get_number(o, "system_s");
    if (const char *f = j::get_string(o, "failure"))
        s.failure = f;
    return s;
}

} // namespace

Result<Report> from_json(const json_t *doc, const std::string &source)
{
    if (auto ok = j::check_schema(doc, SCHEMA, SCHEMA_MAJOR, source); !ok)
        return std::move(ok).error();
    Report rep;
    Config &cfg = rep.config;
    const char *mode = j::get_string(doc, "mode");
    if (!mode || (std::string(mode) != "sim" && std::string(mode) != "kernel" && std::string(mode) != "vm"))
        return Error(Exit::data, source + ": \"mode\" must be \"sim\" or \"kernel\"");
    cfg.mode = std::string(mode) == "sim" ? Mode::sim : std::string(mode) == "vm" ? Mode::vm : Mode::kernel;
    if (const json_t *wl = json_object_get(doc, "workload")) {
        if (const char *spec = j::get_string(wl, "spec"))
            cfg.workload = spec;
        const json_t *cmd = json_object_get(wl, "command");
        size_t i;
        const json_t *w;
        json_array_foreach(cmd, i, w) if (json_is_string(w)) cfg.command.emplace_back(json_string_value(w));
    }
    cfg.cpus = static_cast<int>(j::get_int(doc, "cpus"));
    size_t ai;
    const json_t *arg;
    json_array_foreach(json_object_get(doc, "scx_run_args"), ai, arg) if (json_is_string(arg))
        cfg.run_args.emplace_back(json_string_value(arg));
    const json_t *m = json_object_get(doc, "metric");
    const char *mname = m ? j::get_string(m, "name") : nullptr;
    const char *better = m ? j::get_string(m, "better") : nullptr;
    if (!mname || !better || (std::string(better) != "lower" && std::string(better) != "higher"))
        return Error(Exit::data, source + ": \"metric\" needs \"name\" and \"better\" (\"lower\" or \"higher\")");
    cfg.metric.name = mname;
    cfg.metric.direction =
        std::string(better) == "lower" ? stats::Direction::lower_is_better : stats::Direction::higher_is_better;
    if (const char *unit = j::get_string(m, "unit"))
        cfg.metric.unit = unit;
    cfg.metric.is_default = j::get_bool(m, "default");
    cfg.runs = static_cast<int>(j::get_int(doc, "runs"));
    cfg.warmup = static_cast<int>(j::get_int(doc, "warmup"));
    cfg.alpha = j::get_number(doc, "alpha", 0.05);
    rep.complete = j::get_bool(doc, "complete");
    if (const char *b = j::get_string(doc, "baseline"))
        rep.baseline = b;

    const json_t *results = json_object_get(doc, "results");
    if (!json_is_array(results) || json_array_size(results) == 0)
        return Error(Exit::data, source + ": \"results\" must be a non-empty array");
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        SubjectResult sr;
        const char *label = j::get_string(r, "subject");
        if (!label)
            label = j::get_string(r, "command");
        if (!label)
            return Error(Exit::data, source + ": results[" + std::to_string(i) + "] has no \"subject\"");
        if (rep.find(label))
            return Error(Exit::data, source + ": subject \"" + label + "\" appears twice");
        sr.subject.label = label;
        if (const char *p = j::get_string(r, "policy_path"))
            sr.subject.path = p;
        sr.subject.is_default = j::get_bool(r, "default");
        if (const char *sf = j::get_string(r, "stands_for"))
            sr.subject.stands_for = sf;
        const char *key;
        json_t *value;
        json_object_foreach(json_object_get(r, "params"), key, value) if (json_is_string(value))
            sr.subject.params.emplace_back(key, json_string_value(value));
        const json_t *samples = json_object_get(r, "samples");
        if (!json_is_array(samples))
            return Error(Exit::data, source + ": subject \"" + std::string(label) + "\" has no \"samples\" array");
        size_t k;
        const json_t *s;
        json_array_foreach(samples, k, s) sr.samples.push_back(sample_from(s));
        rep.results.push_back(std::move(sr));
    }
    return rep;
}

} // namespace scx::bench
