// SPDX-License-Identifier: MIT
// An SVG of a search: the metric of every trial in the order run, coloured
// by rung, the defaults' runs marked, the medians of the defaults and of the
// best as lines, failed runs as crosses.
#include "tune/tune.hpp"

#include "base/strformat.hpp"
#include "base/svg.hpp"
#include "bench/runners.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace scx::tune {

namespace {

using svg::esc;
using svg::num;

constexpr double WIDTH = 860, HEIGHT = 460;
constexpr double LEFT = 96, RIGHT = 24, TOP = 78, BOTTOM = 64;
const char *const RUNG_COLOURS[] = {"#7f8c8d", "#2e86c1", "#8e44ad", "#d35400", "#16a085", "#c0392b"};

} // namespace

std::string render_svg(const Search &s, const bench::Config &cfg)
{
    const std::string &unit = cfg.metric.unit;
    double lo = INFINITY, hi = -INFINITY;
    for (const Trial &t : s.trials)
        if (t.sample.ok) {
            lo = std::min(lo, t.sample.value);
            hi = std::max(hi, t.sample.value);
        }
    svg::drawable_range(lo, hi);
    // Values over decades (a bad candidate's latency can be a hundred times
    // the good ones'): a log axis, so that the good ones stay apart.
    const bool logy = lo > 0 && hi / lo > 20;
    std::vector<double> ticks;
    double step = 0;
    if (logy) {
        lo = std::pow(10, std::floor(std::log10(lo)));
        hi = std::pow(10, std::ceil(std::log10(hi)));
        for (double d = lo; d <= hi * 1.0001; d *= 10)
            for (double m : {1.0, 2.0, 5.0})
                if (d * m <= hi * 1.0001)
                    ticks.push_back(d * m);
    } else {
        step = svg::nice_step(hi - lo, 6);
        lo = std::floor(lo / step) * step;
        hi = std::ceil(hi / step) * step;
        const int nticks = static_cast<int>(std::llround((hi - lo) / step));
        for (int k = 0; k <= nticks; k++)
            ticks.push_back(std::fabs(lo + step * k) < step * 1e-9 ? 0 : lo + step * k);
    }
    const int n = std::max<int>(1, static_cast<int>(s.trials.size()));
    const svg::Scale x{0.5, n + 0.5, LEFT, WIDTH - RIGHT};
    const svg::Scale ylin{logy ? std::log10(lo) : lo, logy ? std::log10(hi) : hi, HEIGHT - BOTTOM, TOP};
    auto y = [&](double v) { return ylin(logy ? std::log10(v) : v); };

    const std::string title = "scx-tune: " + cfg.metric.name + " (" + bench::direction_name(cfg.metric.direction) +
                              " is better) - " + bench::policy_subject(s.policy).label + ", " +
                              (cfg.mode == bench::Mode::sim ? "simulator, " : cfg.mode == bench::Mode::vm ? "kernel in a VM, " : "kernel, ") +
                              bench::workload_text(cfg);
    std::string o = svg::begin(WIDTH, HEIGHT, title);
    o += "<text x=\"12\" y=\"42\" fill=\"#555\">" +
         esc("successive halving, " + std::to_string(s.trials.size()) + " runs of " +
             std::to_string(s.candidates.size()) + " candidates; dots: runs, coloured by rung; squares: the "
             "defaults; red crosses: failed runs") +
         "</text>\n";

    // Horizontal grid with the metric's ticks.
    for (double v : ticks) {
        o += "<line x1=\"" + num(LEFT) + "\" y1=\"" + num(y(v)) + "\" x2=\"" + num(WIDTH - RIGHT) + "\" y2=\"" +
             num(y(v)) + "\" stroke=\"#e4e4e4\"/>\n";
        o += "<text x=\"" + num(LEFT - 6) + "\" y=\"" + num(y(v) + 4) + "\" text-anchor=\"end\" fill=\"#333\">" +
             esc(bench::format_value(v, unit)) + "</text>\n";
    }
    o += "<line x1=\"" + num(LEFT) + "\" y1=\"" + num(HEIGHT - BOTTOM) + "\" x2=\"" + num(WIDTH - RIGHT) + "\" y2=\"" +
         num(HEIGHT - BOTTOM) + "\" stroke=\"#333\"/>\n";
    o += "<text x=\"" + num((LEFT + WIDTH - RIGHT) / 2) + "\" y=\"" + num(HEIGHT - 18) +
         "\" text-anchor=\"middle\" fill=\"#333\">" +
         esc(std::string("trial (in the order run)") + (logy ? "; log scale" : "")) + "</text>\n";

    // Where each rung starts.
    int prev = -1;
    for (const Trial &t : s.trials)
        if (t.rung != prev) {
            prev = t.rung;
            const double tx = x(t.index - 0.5);
            const std::size_t cands = static_cast<std::size_t>(t.rung) < s.plan.rungs.size()
                                          ? s.plan.rungs[static_cast<std::size_t>(t.rung)].candidates
                                          : 0;
            o += "<line x1=\"" + num(tx) + "\" y1=\"" + num(TOP - 14) + "\" x2=\"" + num(tx) + "\" y2=\"" +
                 num(HEIGHT - BOTTOM) + "\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>\n";
            o += "<text x=\"" + num(tx + 4) + "\" y=\"" + num(TOP - 4) + "\" fill=\"#555\">" +
                 esc(strformat("rung %d: %zu", t.rung + 1, cands)) + "</text>\n";
        }

    // The medians of the defaults and of the best, as the search measured them.
    // The defaults' label at the right above its line, the best's at the
    // left below its line: apart even when the lines are close.
    auto hline = [&](double v, const std::string &colour, const std::string &label, bool right) {
        if (!std::isfinite(v))
            return;
        o += "<line x1=\"" + num(LEFT) + "\" y1=\"" + num(y(v)) + "\" x2=\"" + num(WIDTH - RIGHT) + "\" y2=\"" +
             num(y(v)) + "\" stroke=\"" + colour + "\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n";
        o += "<text x=\"" + num(right ? WIDTH - RIGHT - 4 : LEFT + 4) + "\" y=\"" + num(right ? y(v) - 5 : y(v) + 14) +
             "\" text-anchor=\"" + (right ? "end" : "start") + "\" fill=\"" + colour + "\">" +
             esc(label + " " + bench::format_value(v, unit)) + "</text>\n";
    };
    if (!s.candidates.empty())
        hline(s.candidates.front().median(), "#444", "defaults: median", true);
    if (s.best && *s.best != 0)
        hline(s.candidates[*s.best].median(), "#1e8449", "best: median", false);

    for (const Trial &t : s.trials) {
        const Candidate &c = s.candidates[t.candidate];
        const std::string tip = esc("trial " + std::to_string(t.index) + ": " + c.label + ", run " +
                                    std::to_string(t.sample.run) + ": " +
                                    (t.sample.ok ? bench::format_value(t.sample.value, unit) : t.sample.failure));
        const double cx = x(t.index);
        if (!t.sample.ok) {
            const double cy = TOP + 4;
            o += "<path d=\"M" + num(cx - 4) + " " + num(cy - 4) + "L" + num(cx + 4) + " " + num(cy + 4) + "M" +
                 num(cx - 4) + " " + num(cy + 4) + "L" + num(cx + 4) + " " + num(cy - 4) +
                 "\" stroke=\"#c0392b\" stroke-width=\"2\"><title>" + tip + "</title></path>\n";
            continue;
        }
        const char *colour = RUNG_COLOURS[static_cast<std::size_t>(t.rung) % std::size(RUNG_COLOURS)];
        const double cy = y(t.sample.value);
        if (t.candidate == 0)
            o += "<rect x=\"" + num(cx - 3.5) + "\" y=\"" + num(cy - 3.5) + "\" width=\"7\" height=\"7\" fill=\"#222\"><title>" +
                 tip + "</title></rect>\n";
        else
            o += "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"3\" fill=\"" + colour +
                 "\" fill-opacity=\"0.8\"><title>" + tip + "</title></circle>\n";
    }
    o += "</svg>\n";
    return o;
}

} // namespace scx::tune
