// SPDX-License-Identifier: MIT
// What a benchmark measures and where its output goes, from the command
// line's choices: the mode, the workload, the metric (name, unit, direction,
// source) and the one consumer of standard output.
#include "bench/bench.hpp"
#include "bench/runners.hpp"
#include "base/fs.hpp"
#include "base/strformat.hpp"

namespace scx::bench {

namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

bool is_rate(std::string_view n)
{
    return contains(n, "throughput") || n.ends_with("per_s") || n.ends_with("per_sec") || contains(n, "_per_s_");
}

} // namespace

const char *mode_name(Mode m) { return m == Mode::sim ? "sim" : m == Mode::vm ? "vm" : "kernel"; }

std::string workload_text(const Config &cfg)
{
    return cfg.mode != Mode::sim && cfg.workload.empty() ? join(cfg.command) : cfg.workload;
}

const char *source_name(MetricSource s)
{
    switch (s) {
    case MetricSource::report: return "scx-run";
    case MetricSource::wall: return "wall";
    case MetricSource::native: return "scx-messaging";
    case MetricSource::regex: break;
    }
    return "regex";
}

const char *direction_name(stats::Direction d) { return d == stats::Direction::lower_is_better ? "lower" : "higher"; }

std::optional<stats::Direction> infer_direction(std::string_view n)
{
    if (is_rate(n) || contains(n, "fairness") || contains(n, "utilisation") || contains(n, "utilization"))
        return stats::Direction::higher_is_better;
    static constexpr std::string_view lower_parts[] = {"makespan", "latency", "delay", "wait", "switches",
                                                       "migrations", "stall", "idle_while_runnable", "congestion"};
    for (auto part : lower_parts)
        if (contains(n, part))
            return stats::Direction::lower_is_better;
    if (n.ends_with("_s") || n.ends_with("_ns") || n.ends_with("_us") || n.ends_with("_ms"))
        return stats::Direction::lower_is_better;
    return std::nullopt;
}

std::string infer_unit(std::string_view n)
{
    if (is_rate(n))
        return "/s";
    for (std::string_view u : {"_ns", "_us", "_ms", "_s"})
        if (n.ends_with(u))
            return std::string(u.substr(1));
    return "";
}

std::string default_sim_metric(std::string_view workload)
{
    const std::string_view name = workload.substr(0, workload.find(':'));
    // These run for a fixed `duration`: their makespan is that duration.
    if (name == "latency" || name == "interactive")
        return "wakeup_latency_p99_ns";
    if (name == "cpu")
        return "throughput";
    return "makespan_s"; // messaging, fork, and workload files
}

Result<void> resolve_method(const MethodChoice &c, Config &cfg)
{
    auto usage = [](const std::string &msg) -> Result<void> { return Error(Exit::usage, msg); };
    if (c.lower && c.higher)
        return usage("--lower-is-better and --higher-is-better contradict each other");
    if (c.metric && c.metric->empty())
        return usage("--metric needs a NAME");
    Metric &m = cfg.metric;
    m.regex.clear();
    m.is_default = !c.metric;
    cfg.mode = c.sim ? Mode::sim : c.vm ? Mode::vm : Mode::kernel;
    if (c.sim && c.vm)
        return usage("--sim and --vm are two places to run; give one");
    if (c.sim) {
        if (c.sim->empty())
            return usage("--sim needs a WORKLOAD");
        if (!c.command.empty())
            return usage("a command after -- is for the kernel; with --sim the simulator runs WORKLOAD");
        if (!c.regex.empty())
            return usage("--metric-regex reads a command's output; it does not apply with --sim");
        if (!c.workload.empty())
            return usage("--workload is for the kernel; with --sim, --sim names the workload");
        cfg.workload = *c.sim;
        cfg.command.clear();
        m.name = c.metric ? *c.metric : default_sim_metric(cfg.workload);
        m.source = MetricSource::report;
    } else {
        if ((c.cpus && !c.vm) || c.seed)
            return usage(std::string(c.seed ? "--seed" : "--cpus") + " applies only with --sim" +
                         (c.seed ? "" : " or --vm"));
        if (c.command.empty() && c.workload.empty())
            return usage("missing the workload: --sim WORKLOAD, --workload WORKLOAD, or a command after --");
        if (!c.command.empty() && !c.workload.empty())
            return usage("--workload and a command after -- are two workloads; give one");
        cfg.workload.clear();
        cfg.command = c.command;
        if (!c.workload.empty()) {
            if (!c.regex.empty())
                return usage("--metric-regex reads a command's output; with --workload the metric is the time the "
                             "workload reports");
            auto program = native::native_workload_program(c.workload);
            if (!program)
                return std::move(program).error();
            cfg.workload = c.workload;
            if (*program == "scx-messaging") {
                // In a VM the guest's own scx-messaging runs it.
                const std::string messaging = !c.messaging_program.empty() ? c.messaging_program
                                              : c.vm                       ? "scx-messaging"
                                                                           : native::find_tool("scx-messaging");
                auto native = native_workload_command(c.workload, messaging);
                if (!native)
                    return std::move(native).error();
                cfg.command = std::move(*native);
                m.source = MetricSource::native;
                m.name = "messaging_s";
                if (c.metric && *c.metric != m.name)
                    return usage("with --workload messaging the metric is messaging_s");
            } else {
                // scx-run runs it and reports its metrics, named as the
                // simulator's.
                auto native = native_workload_command(c.workload);
                if (!native)
                    return std::move(native).error();
                cfg.command = std::move(*native);
                m.source = MetricSource::report;
                m.name = c.metric ? *c.metric : default_sim_metric(cfg.workload);
            }
        } else if (!c.regex.empty()) {
            if (auto r = check_regex(c.regex); !r)
                return r;
            m.source = MetricSource::regex;
            m.regex = c.regex;
            m.name = c.metric ? *c.metric : "value";
        } else {
            if (c.metric && *c.metric != "wall_s")
                return usage("on the kernel the metric is the command's wall time (wall_s); use --metric-regex to "
                             "read another figure from its output");
            m.source = MetricSource::wall;
            m.name = "wall_s";
        }
        if (!c.warmup_set)
            cfg.warmup = 1;
    }
    m.unit = infer_unit(m.name);
    if (c.lower || c.higher) {
        m.direction = c.lower ? stats::Direction::lower_is_better : stats::Direction::higher_is_better;
    } else if (auto d = infer_direction(m.name)) {
        m.direction = *d;
    } else {
        return usage("cannot tell whether a lower or a higher " + m.name +
                     " is better; add --lower-is-better or --higher-is-better");
    }
    return {};
}

Result<OutputPlan> plan_outputs(bool json, const std::string &output, const std::string &plot)
{
    // Standard output carries one document: asking for two there is a
    // mistake the user should hear about, not two documents glued together.
    // --json and -o - both ask for the JSON document there (together, once).
    const bool json_out = json || output == "-";
    if (json_out && plot == "-")
        return Error(Exit::usage, std::string(json ? "--json" : "-o -") +
                                      " and --plot - both write to standard output; write one of them to a file");
    if (!output.empty() && output != "-" && output == plot)
        return Error(Exit::usage, "-o and --plot name the same file " + output);
    OutputPlan p;
    p.to_stdout = plot == "-" ? StdoutContent::svg : json_out ? StdoutContent::json : StdoutContent::table;
    p.json_file = output == "-" ? "" : output;
    p.plot_file = plot == "-" ? "" : plot;
    return p;
}

Result<void> set_subjects(Report &rep, const std::vector<std::string> &subjects, const std::string &better_than,
                          std::string *compare)
{
    for (const std::string &arg : subjects)
        if (auto l = add_subject(rep, arg); !l)
            return l.error();
    if (!better_than.empty()) {
        auto file = set_better_than(rep, better_than);
        if (!file)
            return file.error();
        if (!file->empty()) {
            if (!compare->empty() && *compare != *file)
                return Error(Exit::usage, "--better-than " + better_than + " and --compare " + *compare +
                                              " name two different earlier results");
            *compare = *file;
        }
    }
    if (rep.results.empty())
        return Error(Exit::usage, "missing SUBJECT (a policy .so, or default)");
    // --param for every policy; each subject's own after it (the last wins).
    bool policies = false;
    for (auto &r : rep.results) {
        if (r.subject.is_default)
            continue;
        policies = true;
        r.subject.params = rep.config.params;
        r.subject.params.insert(r.subject.params.end(), r.subject.own_params.begin(), r.subject.own_params.end());
    }
    if (!rep.config.params.empty() && !policies)
        return Error(Exit::usage, "--param is for a policy, and every subject is the default scheduler");
    if (rep.baseline.empty())
        rep.baseline = default_baseline(rep);
    return {};
}

Result<Earlier> read_earlier(const Config &now, const std::string &file)
{
    auto doc = json::parse_file(file);
    if (!doc)
        return doc.error();
    auto r = from_json(doc->get(), file);
    if (!r)
        return r.error();
    auto warnings = check_comparable(now, *r, file);
    if (!warnings)
        return warnings.error();
    return Earlier{std::move(*r), std::move(*warnings)};
}

Result<void> check_outputs(const OutputPlan &plan)
{
    for (const std::string *path : {&plan.json_file, &plan.plot_file})
        if (!path->empty()) {
            PendingFile probe(*path);
            if (auto r = probe.prepare(); !r)
                return r;
        }
    return {};
}

Rendered render(const Report &rep, const OutputPlan &plan)
{
    Rendered out;
    const bool json_out = plan.to_stdout == StdoutContent::json, svg_out = plan.to_stdout == StdoutContent::svg;
    if (json_out || !plan.json_file.empty())
        out.document = json::dump(to_json(rep).get()) + "\n";
    if (svg_out || !plan.plot_file.empty())
        out.svg = render_svg(rep);
    out.stdout_text = json_out ? out.document : svg_out ? out.svg : format_table(rep);
    return out;
}

std::pair<int, std::string> verdict(const Report &rep)
{
    if (!rep.complete)
        return {1, "error: " + rep.failure};
    if (rep.better_than && !rep.better_than->satisfied) {
        const auto &bt = *rep.better_than;
        return {1, "not significantly better than " + (bt.reference_file.empty() ? bt.reference : bt.reference_file)};
    }
    return {0, ""};
}

std::string progress_line(const Progress &p, const Config &cfg)
{
    std::string eta;
    if (p.eta_s >= 0) {
        const long long t = static_cast<long long>(p.eta_s + 0.5);
        eta = t >= 3600 ? strformat(", ETA %lldh%02lldm", t / 3600, t / 60 % 60)
              : t >= 60 ? strformat(", ETA %lldm%02llds", t / 60, t % 60)
                        : strformat(", ETA %llds", t);
    }
    return strformat("run %zu/%zu: %s, %s %d of %d%s", p.done + 1, p.total, p.subject->label.c_str(),
                     p.slot.warmup ? "warm-up" : "run", p.slot.run, p.slot.warmup ? cfg.warmup : cfg.runs, eta.c_str());
}

} // namespace scx::bench
