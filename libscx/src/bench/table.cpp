// SPDX-License-Identifier: MIT
// The text rendering of a benchmark report: what was measured in plain
// words, one row per subject, one row per comparison, then outliers, notes
// and the verdict.
#include "bench/bench.hpp"

#include "base/strformat.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scx::bench {

namespace {

// Display width of UTF-8 text (code points; the table uses no wide glyphs).
size_t width(const std::string &s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xc0) != 0x80 ? 1 : 0;
    return n;
}


std::string p_text(double p)
{
    if (!std::isfinite(p))
        return "-";
    return p < 0.0001 ? "<0.0001" : strformat("%.4f", p);
}

// Columns padded to the widest cell; the first column left-aligned, the
// others too (numbers with units read better left-aligned here).
std::string table(const std::vector<std::vector<std::string>> &rows)
{
    std::vector<size_t> w;
    for (const auto &row : rows)
        for (size_t i = 0; i < row.size(); i++) {
            if (w.size() <= i)
                w.push_back(0);
            w[i] = std::max(w[i], width(row[i]));
        }
    std::string out;
    for (const auto &row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); i++) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(w[i] - width(row[i]) + 2, ' ');
        }
        out += line + "\n";
    }
    return out;
}

std::string header(const Report &rep)
{
    const Config &c = rep.config;
    std::string h;
    if (c.mode == Mode::sim) {
        h += "Simulator, workload " + workload_text(c) + (c.cpus > 0 ? ", " + std::to_string(c.cpus) + " CPUs" : "");
    } else {
        h += std::string(c.mode == Mode::vm ? "Kernel in a VM" : "Kernel") + ", workload " + workload_text(c) +
             (c.workload.empty() ? "" : " (" + join(c.command) + ")") +
             (c.mode == Mode::vm && c.cpus > 0 ? ", " + std::to_string(c.cpus) + " vCPUs" : "");
    }
    h += "\nMetric: " + c.metric.name + " (" + direction_name(c.metric.direction) + " is better";
    if (c.metric.source == MetricSource::regex)
        h += "; first match of /" + c.metric.regex + "/ in the workload's output";
    else if (c.metric.source == MetricSource::wall)
        h += "; wall time of the workload";
    else if (c.metric.source == MetricSource::native)
        h += "; the time scx-messaging reports, start signal to last task reaped";
    h += ")\n";
    h += "Runs: " + std::to_string(c.runs) + " per subject, interleaved, after " + std::to_string(c.warmup) +
         " warm-up run" + (c.warmup == 1 ? "" : "s") + " each";
    if (c.mode == Mode::sim)
        h += "; seeds " + std::to_string(seed_for(c, 1, false)) + "-" + std::to_string(seed_for(c, c.runs, false)) +
             " (run i uses the same seed for every subject)";
    h += "\n";
    for (const auto &r : rep.results)
        if (r.subject.is_default && !r.subject.stands_for.empty())
            h += r.subject.label + ": " + r.subject.stands_for + "\n";
    return h;
}

// A ratio near 1 with d significant digits ("1.0048"); far from 1, in %g.
std::string ratio_text(double v, int d)
{
    if (!std::isfinite(v))
        return "-";
    return std::fabs(v) >= 0.1 && std::fabs(v) < 1000 ? strformat("%.*f", std::max(0, d - 1), v) : strformat("%.*g", d, v);
}

// Digits for a subject's location figures: enough to tell its runs apart.
int row_digits(const stats::Summary &s)
{
    const double spread = s.mad > 0 ? s.mad : (s.stddev > 0 ? s.stddev : s.median_ci.high - s.median_ci.low);
    return digits_for(s.median, spread);
}

} // namespace

std::string format_table(const Report &rep)
{
    const std::string &unit = rep.config.metric.unit;
    const double level = rep.config.bootstrap.confidence * 100;
    std::string out = header(rep) + "\n";

    std::vector<std::vector<std::string>> rows = {
        {"subject", "median", strformat("%.0f%% CI of median", level), "mean ± stddev", "MAD", "min", "max", "runs"}};
    for (const auto &r : rep.results) {
        const auto &s = r.summary;
        std::string runs = std::to_string(s.n);
        if (r.failed())
            runs += " (" + std::to_string(r.failed()) + " failed)";
        if (!r.outlier_runs.empty())
            runs += ", " + std::to_string(r.outlier_runs.size()) + " outlier" + (r.outlier_runs.size() == 1 ? "" : "s");
        const int d = row_digits(s);
        rows.push_back({r.subject.label, format_value(s.median, unit, d),
                        "[" + format_value(s.median_ci.low, unit, d) + ", " + format_value(s.median_ci.high, unit, d) + "]",
                        format_value(s.mean, unit, d) + " ± " + format_value(s.stddev, unit), format_value(s.mad, unit),
                        format_value(s.min, unit, d), format_value(s.max, unit, d), runs});
    }
    out += table(rows);

    if (!rep.comparisons.empty()) {
        std::vector<std::vector<std::string>> crows = {
            {"comparison", "ratio of medians", strformat("%.0f%% CI", level), "test", "p", "verdict"}};
        bool exact = false, normal = false, paired = false;
        for (const auto &c : rep.comparisons) {
            const std::string ref = c.reference + (c.reference_file.empty() ? "" : " (" + c.reference_file + ")");
            const auto &q = c.cmp.ratio;
            const int d = digits_for(q.value, q.ci.high - q.ci.low);
            const bool signed_rank = c.cmp.test == stats::Test::wilcoxon_signed_rank;
            crows.push_back({c.subject + " vs " + ref, ratio_text(q.value, d),
                             q.ci_defined() ? "[" + ratio_text(q.ci.low, d) + ", " + ratio_text(q.ci.high, d) + "]"
                                            : "undefined",
                             signed_rank ? "Wilcoxon signed-rank, " + std::to_string(c.cmp.signed_rank.pairs) + " pairs"
                                         : "Mann-Whitney U",
                             p_text(c.cmp.p_value), stats::verdict_name(c.cmp.verdict)});
            (c.cmp.method == stats::Method::exact ? exact : normal) = true;
            paired = paired || signed_rank;
        }
        out += "\n" + table(crows);
        const std::string how = exact && normal ? "exact or normal approximation" : (exact ? "exact" : "normal approximation");
        out += "ratio: subject's median / reference's median";
        if (paired)
            out += " (paired runs: the CI resamples the seeds, both runs of a seed together)";
        out += "; p: two-sided, " + how + "; better/worse when p < " + strformat("%g", rep.config.alpha) +
               ", ~ otherwise\n";
    }

    for (const auto &r : rep.results)
        for (int run : r.outlier_runs)
            for (const auto &s : r.samples)
                if (s.run == run)
                    out += "Outlier: " + r.subject.label + " run " + std::to_string(run) + " = " +
                           format_value(s.value, unit, row_digits(r.summary)) + " (modified Z-score beyond " +
                           strformat("%.4g", stats::OUTLIER_THRESHOLD) + ")\n";
    for (const auto &r : rep.results)
        for (const auto &s : r.samples)
            if (!s.ok)
                out += "Failed: " + r.subject.label + " run " + std::to_string(s.run) + ": " + s.failure + "\n";
    for (const auto &r : rep.results)
        for (const auto &s : r.warmups)
            if (!s.ok)
                out += "Failed: " + r.subject.label + " warm-up run " + std::to_string(s.run) + ": " + s.failure + "\n";
    if (!rep.complete && !rep.config.keep_going)
        out += "Stopped at the first failed run (--ignore-failure goes on)\n";
    for (const auto &n : rep.notes)
        out += "Note: " + n + "\n";
    if (rep.better_than) {
        const auto &bt = *rep.better_than;
        const std::string ref = bt.reference_file.empty() ? bt.reference : bt.reference_file;
        out += std::string(bt.satisfied ? "Significantly better than " : "Not significantly better than ") + ref + "\n";
    }
    return out;
}

} // namespace scx::bench
