// SPDX-License-Identifier: MIT
// The fidelity matrix as an scxkit.fidelity/1 document and as a table.
#include "fidelity/fidelity.hpp"

#include "base/json.hpp"

#include <cmath>
#include <cstdio>

namespace scx::fidelity {

namespace j = json;

namespace {

const char *kind_name(RunRequest::Scheduler k)
{
    switch (k) {
    case RunRequest::Scheduler::builtin: return "default";
    case RunRequest::Scheduler::bpf_only: return "bpf-only";
    case RunRequest::Scheduler::policy: break;
    }
    return "policy";
}

j::Value strings(const std::vector<std::string> &xs)
{
    auto a = j::array();
    for (const std::string &s : xs)
        j::append(a.get(), j::string(s));
    return a;
}

j::Value side_value(const Side &s)
{
    auto o = j::object();
    j::set_number(o.get(), "median", s.median);
    j::set_number(o.get(), "ratio", s.ratio);
    auto values = j::array();
    for (double v : s.values)
        j::append(values.get(), j::Value::steal(json_real(v)));
    j::set(o.get(), "values", values);
    j::set(o.get(), "failures", strings(s.failures));
    auto model = j::object();
    for (const auto &[name, v] : s.model)
        j::set_number(model.get(), name.c_str(), v);
    j::set(o.get(), "model", model);
    return o;
}

j::Value kendall_value(const stats::Kendall &k)
{
    auto o = j::object();
    j::set_number(o.get(), "tau_b", k.tau_b());
    j::set(o.get(), "concordant", k.concordant);
    j::set(o.get(), "discordant", k.discordant);
    j::set(o.get(), "pairs", k.pairs);
    j::set(o.get(), "tied_simulator", k.tied_x);
    j::set(o.get(), "tied_kernel", k.tied_y);
    return o;
}

struct Worst {
    const WorkloadResult *w = nullptr;
    std::string scheduler;
    double agreement = 0;
    stats::Interval ci;
    int within = 0, pairs = 0;
    int reaching = 0; // within, or their interval reaches the tolerance
};

// Whether an agreement's interval reaches into the tolerance.
bool reaches(const stats::Interval &ci)
{
    return ci.low <= RATIO_TOLERANCE && ci.high >= -RATIO_TOLERANCE; // false for NaN ends
}

// The pair whose simulator ratio is furthest from the kernel's, and how
// many pairs (default left out: its ratio is 1 on both sides) are within
// the tolerance - and how many are once the runs' scatter is counted.
Worst worst_pair(const Report &r)
{
    Worst out;
    for (const WorkloadResult &w : r.workloads)
        for (std::size_t i = 1; i < w.cells.size(); i++) {
            const double a = w.cells[i].agreement;
            if (std::isnan(a))
                continue;
            out.pairs++;
            const bool within = std::fabs(a) <= RATIO_TOLERANCE;
            out.within += within;
            out.reaching += within || reaches(w.cells[i].agreement_ci);
            if (!out.w || std::fabs(a) > std::fabs(out.agreement)) {
                out.w = &w;
                out.scheduler = r.plan.schedulers[i].label;
                out.agreement = a;
                out.ci = w.cells[i].agreement_ci;
            }
        }
    return out;
}

// "-" for an undefined figure; else `digits` significant digits (fixed:
// `digits` decimals), or a signed percentage.
enum class Style { significant, fixed, percent };
std::string fmt(double v, Style style, int digits)
{
    if (std::isnan(v))
        return "-";
    char buf[64];
    switch (style) {
    case Style::significant: std::snprintf(buf, sizeof buf, "%.*g", digits, v); break;
    case Style::fixed: std::snprintf(buf, sizeof buf, "%.*f", digits, v); break;
    case Style::percent: std::snprintf(buf, sizeof buf, "%+.*f %%", digits, v * 100); break;
    }
    return buf;
}

std::string fmt4(double v) { return fmt(v, Style::significant, 4); }
std::string fmt3(double v) { return fmt(v, Style::fixed, 3); }
std::string fmt2(double v) { return fmt(v, Style::fixed, 2); }
std::string pct(double v) { return fmt(v, Style::percent, 0); }

// An agreement's interval, "-" when undefined.
std::string interval(const stats::Interval &ci)
{
    return std::isnan(ci.low) || std::isnan(ci.high) ? "-" : pct(ci.low) + " to " + pct(ci.high);
}

j::Value interval_value(const stats::Interval &ci)
{
    if (std::isnan(ci.low) || std::isnan(ci.high))
        return j::Value::steal(json_null());
    auto o = j::object();
    j::set_number(o.get(), "low", ci.low);
    j::set_number(o.get(), "high", ci.high);
    return o;
}

std::string pad(std::string s, std::size_t n)
{
    if (s.size() < n)
        s.append(n - s.size(), ' ');
    return s;
}

std::string join(const std::vector<std::string> &xs, const char *sep)
{
    std::string out;
    for (const std::string &x : xs)
        out += (out.empty() ? "" : sep) + x;
    return out;
}

} // namespace

std::string document(const Report &r)
{
    auto doc = j::object();
    j::set(doc.get(), "schema", SCHEMA);
    auto kernel = j::object();
    j::set(kernel.get(), "backend", backend_name(r.plan.kernel));
    j::set(kernel.get(), "release", r.kernel_release);
    j::set(kernel.get(), "cpus", r.kernel_cpus);
    if (r.accelerator.empty())
        j::set_null(kernel.get(), "accelerator");
    else
        j::set(kernel.get(), "accelerator", r.accelerator);
    j::set(kernel.get(), "options", strings(r.plan.kernel_options));
    if (r.recorded_from.empty())
        j::set_null(kernel.get(), "recorded");
    else
        j::set(kernel.get(), "recorded", r.recorded_from);
    j::set(doc.get(), "kernel", kernel);
    auto sim = j::object();
    j::set(sim.get(), "cpus", r.plan.cpus);
    j::set(sim.get(), "seed", r.plan.seed);
    j::set(sim.get(), "options", strings(r.plan.sim_options));
    j::set(doc.get(), "simulator", sim);
    j::set(doc.get(), "runs", r.plan.runs);

    auto scheds = j::array();
    for (const Scheduler &s : r.plan.schedulers) {
        auto o = j::object();
        j::set(o.get(), "label", s.label);
        j::set(o.get(), "kind", kind_name(s.kind));
        if (s.path.empty())
            j::set_null(o.get(), "path");
        else
            j::set(o.get(), "path", s.path);
        j::set(o.get(), "simulator_options", strings(s.sim_options));
        auto params = j::object();
        for (const auto &[name, value] : s.sim_params)
            j::set(params.get(), name.c_str(), std::string_view(value));
        j::set(o.get(), "simulator_params", params);
        j::append(scheds.get(), o);
    }
    j::set(doc.get(), "schedulers", scheds);

    auto workloads = j::array();
    for (const WorkloadResult &w : r.workloads) {
        auto o = j::object();
        j::set(o.get(), "workload", w.workload.spec);
        j::set(o.get(), "metric", w.workload.metric);
        j::set(o.get(), "direction",
               w.workload.direction == stats::Direction::lower_is_better ? "lower" : "higher");
        auto cells = j::array();
        for (std::size_t i = 0; i < w.cells.size(); i++) {
            auto c = j::object();
            j::set(c.get(), "scheduler", r.plan.schedulers[i].label);
            j::set(c.get(), "simulator", side_value(w.cells[i].sim));
            j::set(c.get(), "kernel", side_value(w.cells[i].kernel));
            j::set_number(c.get(), "agreement", w.cells[i].agreement);
            j::set(c.get(), "agreement_ci", interval_value(w.cells[i].agreement_ci));
            j::append(cells.get(), c);
        }
        j::set(o.get(), "cells", cells);
        j::set(o.get(), "simulator_order", strings(w.sim_order));
        j::set(o.get(), "kernel_order", strings(w.kernel_order));
        j::set(o.get(), "kendall", kendall_value(w.kendall));
        j::set(o.get(), "kernel_self", kendall_value(w.kernel_self));
        j::append(workloads.get(), o);
    }
    j::set(doc.get(), "workloads", workloads);

    auto overall = kendall_value(r.overall);
    const Worst worst = worst_pair(r);
    j::set(overall.get(), "tolerance", RATIO_TOLERANCE);
    j::set(overall.get(), "ratio_pairs", worst.pairs);
    j::set(overall.get(), "ratios_within_tolerance", worst.within);
    j::set(overall.get(), "ratios_reaching_tolerance", worst.reaching);
    if (worst.w) {
        auto o = j::object();
        j::set(o.get(), "workload", worst.w->workload.spec);
        j::set(o.get(), "scheduler", worst.scheduler);
        j::set(o.get(), "agreement", worst.agreement);
        j::set(o.get(), "agreement_ci", interval_value(worst.ci));
        j::set(overall.get(), "worst", o);
    } else {
        j::set_null(overall.get(), "worst");
    }
    j::set(doc.get(), "overall", overall);
    j::set(doc.get(), "kernel_self", kendall_value(r.kernel_self));
    j::set(doc.get(), "wall_s", r.wall_s);
    return j::dump(doc.get(), true) + "\n";
}

std::string table(const Report &r)
{
    std::string out = "Simulator against " + std::string(r.plan.kernel == BackendKind::vm ? "a VM's" : "this machine's") +
                      " kernel " + r.kernel_release + " (" + std::to_string(r.kernel_cpus) + " CPUs" +
                      (r.accelerator.empty() ? "" : ", " + r.accelerator) + "); runs: " + std::to_string(r.plan.runs) +
                      " per scheduler and side, interleaved; simulator seeds " + std::to_string(r.plan.seed) + "-" +
                      std::to_string(r.plan.seed + static_cast<std::uint64_t>(r.plan.runs) - 1) + "\n";
    if (!r.recorded_from.empty())
        out += "The kernel's figures recorded in " + r.recorded_from + "\n";
    for (const WorkloadResult &w : r.workloads) {
        out += "\n" + w.workload.spec + ": " + w.workload.metric + " (" +
               (w.workload.direction == stats::Direction::lower_is_better ? "lower" : "higher") +
               " is better), medians\n";
        out += "  scheduler  simulator     ratio    kernel        ratio    sim/kernel ratio (95 % interval)\n";
        for (std::size_t i = 0; i < w.cells.size(); i++) {
            const Cell &c = w.cells[i];
            out += "  " + pad(r.plan.schedulers[i].label, 11) + pad(fmt4(c.sim.median), 14) +
                   pad(fmt3(c.sim.ratio), 9) + pad(fmt4(c.kernel.median), 14) +
                   pad(fmt3(c.kernel.ratio), 9) + pct(c.agreement);
            if (i > 0)
                out += " (" + interval(c.agreement_ci) + ")";
            const std::size_t failed = c.sim.failures.size() + c.kernel.failures.size();
            if (failed)
                out += "  (" + std::to_string(failed) + " failed: " +
                       (c.kernel.failures.empty() ? c.sim.failures.front() : c.kernel.failures.front()) + ")";
            out += "\n";
        }
        out += "  simulator order: " + join(w.sim_order, " < ") + "\n";
        out += "  kernel order:    " + join(w.kernel_order, " < ") + "\n";
        out += "  Kendall tau-b:   " + fmt2(w.kendall.tau_b()) + " (the kernel against itself, odd runs against even: " +
               fmt2(w.kernel_self.tau_b()) + ")\n";
    }
    const Worst worst = worst_pair(r);
    out += "\nOverall Kendall tau-b: " + fmt2(r.overall.tau_b()) + " (" +
           std::to_string(r.overall.concordant) + " concordant, " + std::to_string(r.overall.discordant) +
           " discordant of " + std::to_string(r.overall.pairs) + " pairs); the kernel against itself: " +
           fmt2(r.kernel_self.tau_b()) + (r.plan.runs < 2 ? " (needs 2 runs or more)" : "") + "\n";
    out += "Ratios to default within " + fmt(RATIO_TOLERANCE * 100, Style::fixed, 0) + " %: " + std::to_string(worst.within) +
           " of " + std::to_string(worst.pairs) + ", " + std::to_string(worst.reaching) +
           " once the runs' scatter is counted (95 % interval reaching it)";
    if (worst.w)
        out += "; worst: " + worst.scheduler + " on " + worst.w->workload.spec + " (" +
               pct(worst.agreement) + ", " + interval(worst.ci) + ")";
    out += "\n\nThe default model against the kernel's own scheduler (medians, simulator / kernel):\n";
    for (const WorkloadResult &w : r.workloads) {
        const Cell &d = w.cells.front();
        std::string line;
        for (const std::string &m : MODEL_METRICS) {
            auto s = d.sim.model.find(m), k = d.kernel.model.find(m);
            if (s == d.sim.model.end() || k == d.kernel.model.end() || k->second == 0)
                continue;
            line += "  " + m + " " + fmt4(s->second) + " / " + fmt4(k->second) + " = " +
                    fmt2(s->second / k->second);
        }
        if (!line.empty())
            out += "  " + w.workload.spec + ":" + line + "\n";
    }
    return out;
}

} // namespace scx::fidelity
