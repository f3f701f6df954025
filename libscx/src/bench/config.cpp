// SPDX-License-Identifier: MIT
// What a benchmark measures and where its output goes, from the command
// line's choices: the mode, the workload, the metric (name, unit, direction,
// source) and the one consumer of standard output.
#include "bench/bench.hpp"
#include "bench/runners.hpp"
#include "base/strformat.hpp"

namespace scx::bench {

namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

bool is_rate(std::string_view n)
{
    return contains(n, "throughput") || n.ends_with("per_s") || n.ends_with("per_sec") || contains(n, "_per_s_");
}

} // namespace

const char *mode_name(Mode m) { return m == Mode::sim ? "sim" : "kernel"; }

std::string workload_text(const Config &cfg)
{
    return cfg.mode == Mode::kernel && cfg.workload.empty() ? join(cfg.command) : cfg.workload;
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
    cfg.mode = c.sim ? Mode::sim : Mode::kernel;
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
        if (c.cpus || c.seed)
            return usage(std::string(c.cpus ? "--cpus" : "--seed") + " applies only with --sim");
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
            auto native = native_workload_command(c.workload, c.messaging_program);
            if (!native)
                return std::move(native).error();
            cfg.workload = c.workload;
            cfg.command = std::move(*native);
            m.source = MetricSource::native;
            m.name = "messaging_s";
            if (c.metric && *c.metric != m.name)
                return usage("with --workload the metric is messaging_s");
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

} // namespace scx::bench
