// SPDX-License-Identifier: MIT
// A standalone SVG box plot of a benchmark report: one row per subject,
// a shared horizontal axis in the metric's unit.
#include "bench/bench.hpp"

#include "base/strformat.hpp"
#include "base/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scx::bench {

namespace {

constexpr double WIDTH = 860;
constexpr double ROW = 54;
constexpr double TOP = 74;
constexpr double BOTTOM = 64;
constexpr double RIGHT = 170; // room for the verdict text
constexpr double CHAR_W = 7.2;

using svg::esc;
using svg::nice_step;
using svg::num;
using svg::Scale;

} // namespace

std::string render_svg(const Report &rep)
{
    const Config &cfg = rep.config;
    const std::string &unit = cfg.metric.unit;

    size_t label_chars = 8;
    double lo = INFINITY, hi = -INFINITY;
    for (const auto &r : rep.results) {
        label_chars = std::max(label_chars, r.subject.label.size());
        for (double v : r.values()) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        if (std::isfinite(r.summary.median_ci.low)) {
            lo = std::min(lo, r.summary.median_ci.low);
            hi = std::max(hi, r.summary.median_ci.high);
        }
    }
    svg::drawable_range(lo, hi);
    const double step = nice_step(hi - lo, 6);
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;

    const double left = 24 + static_cast<double>(label_chars) * CHAR_W;
    const double height = TOP + ROW * static_cast<double>(rep.results.size()) + BOTTOM;
    const Scale x{lo, hi, left, WIDTH - RIGHT};

    const std::string title = cfg.metric.name + " (" + direction_name(cfg.metric.direction) + " is better) - " +
                              (cfg.mode == Mode::sim ? "simulator, " : cfg.mode == Mode::vm ? "kernel in a VM, " : "kernel, ") + workload_text(cfg);

    std::string s = svg::begin(WIDTH, height, title);
    s += "<text x=\"12\" y=\"42\" fill=\"#555\">" +
         esc("box: quartiles; whiskers: range without outliers; orange band: " +
             strformat("%.0f", cfg.bootstrap.confidence * 100) + "% CI of the median; dots: runs (red: outliers)") +
         "</text>\n";

    // Grid and axis.
    const double axis_y = TOP + ROW * static_cast<double>(rep.results.size()) + 8;
    const int ticks = static_cast<int>(std::llround((hi - lo) / step));
    for (int k = 0; k <= ticks; k++) {
        const double t = lo + step * k;
        const double tx = x(t);
        s += "<line x1=\"" + num(tx) + "\" y1=\"" + num(TOP - 6) + "\" x2=\"" + num(tx) + "\" y2=\"" + num(axis_y) +
             "\" stroke=\"#e4e4e4\"/>\n";
        s += "<text x=\"" + num(tx) + "\" y=\"" + num(axis_y + 18) + "\" text-anchor=\"middle\" fill=\"#333\">" +
             esc(format_value(std::fabs(t) < step * 1e-9 ? 0 : t, unit)) + "</text>\n";
    }
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(WIDTH - RIGHT) + "\" y2=\"" +
         num(axis_y) + "\" stroke=\"#333\"/>\n";
    s += "<text x=\"" + num((left + WIDTH - RIGHT) / 2) + "\" y=\"" + num(axis_y + 40) +
         "\" text-anchor=\"middle\" fill=\"#333\">" + esc(cfg.metric.name + (unit.empty() ? "" : " (" + unit + ")")) +
         "</text>\n";

    for (size_t i = 0; i < rep.results.size(); i++) {
        const auto &r = rep.results[i];
        const auto &sm = r.summary;
        const double cy = TOP + ROW * (static_cast<double>(i) + 0.5);
        s += "<g>\n<title>" +
             esc(r.subject.label + ": median " + format_value(sm.median, unit) + ", CI [" +
                 format_value(sm.median_ci.low, unit) + ", " + format_value(sm.median_ci.high, unit) + "], " +
                 std::to_string(sm.n) + " runs") +
             "</title>\n";
        s += "<text x=\"12\" y=\"" + num(cy + 4) + "\">" + esc(r.subject.label) + "</text>\n";
        const auto vals = r.values();
        if (vals.empty()) {
            s += "<text x=\"" + num(left) + "\" y=\"" + num(cy + 4) + "\" fill=\"#b00\">no successful run</text>\n</g>\n";
            continue;
        }
        // Whiskers: the range of the values that are not outliers.
        double wlo = INFINITY, whi = -INFINITY;
        for (const auto &smp : r.samples) {
            if (!smp.ok || std::find(r.outlier_runs.begin(), r.outlier_runs.end(), smp.run) != r.outlier_runs.end())
                continue;
            wlo = std::min(wlo, smp.value);
            whi = std::max(whi, smp.value);
        }
        if (std::isfinite(wlo)) {
            s += "<line x1=\"" + num(x(wlo)) + "\" y1=\"" + num(cy) + "\" x2=\"" + num(x(whi)) + "\" y2=\"" + num(cy) +
                 "\" stroke=\"#333\"/>\n";
            for (double wv : {wlo, whi})
                s += "<line x1=\"" + num(x(wv)) + "\" y1=\"" + num(cy - 8) + "\" x2=\"" + num(x(wv)) + "\" y2=\"" +
                     num(cy + 8) + "\" stroke=\"#333\"/>\n";
        }
        s += "<rect x=\"" + num(x(sm.q1)) + "\" y=\"" + num(cy - 14) + "\" width=\"" +
             num(std::max(1.0, x(sm.q3) - x(sm.q1))) + "\" height=\"28\" fill=\"#cfe0f3\" stroke=\"#3a6ea5\"/>\n";
        s += "<rect x=\"" + num(x(sm.median_ci.low)) + "\" y=\"" + num(cy - 9) + "\" width=\"" +
             num(std::max(1.5, x(sm.median_ci.high) - x(sm.median_ci.low))) +
             "\" height=\"18\" fill=\"#f39c12\" fill-opacity=\"0.55\"/>\n";
        s += "<line x1=\"" + num(x(sm.median)) + "\" y1=\"" + num(cy - 14) + "\" x2=\"" + num(x(sm.median)) +
             "\" y2=\"" + num(cy + 14) + "\" stroke=\"#1b3f66\" stroke-width=\"3\"/>\n";
        int k = 0;
        for (const auto &smp : r.samples) {
            if (!smp.ok)
                continue;
            const bool outlier =
                std::find(r.outlier_runs.begin(), r.outlier_runs.end(), smp.run) != r.outlier_runs.end();
            const double jitter = static_cast<double>((k++ * 7) % 5 - 2) * 3;
            s += "<circle cx=\"" + num(x(smp.value)) + "\" cy=\"" + num(cy + 20 + jitter / 3) + "\" r=\"2.6\" fill=\"" +
                 (outlier ? "#c0392b" : "#222") + "\" fill-opacity=\"0.7\"><title>" +
                 esc("run " + std::to_string(smp.run) + ": " + format_value(smp.value, unit)) + "</title></circle>\n";
        }
        // The comparison with the baseline, if any.
        for (const auto &c : rep.comparisons)
            if (c.subject == r.subject.label && c.reference_file.empty()) {
                const std::string colour = c.cmp.verdict == stats::Verdict::better  ? "#1e8449"
                                           : c.cmp.verdict == stats::Verdict::worse ? "#c0392b"
                                                                                     : "#555";
                s += "<text x=\"" + num(WIDTH - RIGHT + 12) + "\" y=\"" + num(cy + 4) + "\" fill=\"" + colour + "\">" +
                     esc(strformat("×%.3f ", c.cmp.ratio.value) + stats::verdict_name(c.cmp.verdict) + " vs " + c.reference) +
                     "</text>\n";
            }
        s += "</g>\n";
    }
    s += "</svg>\n";
    return s;
}

} // namespace scx::bench
