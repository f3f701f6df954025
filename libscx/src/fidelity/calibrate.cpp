// SPDX-License-Identifier: MIT
// Calibration: the simulator's cost constants fitted to a kernel's figures.
#include "fidelity/calibrate.hpp"

#include "base/halton.hpp"
#include "sim/sim.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>
#include <optional>

namespace scx::fidelity {

namespace {

// The costs of switching and moving tasks, scaled together from their
// defaults (Machine in sim/sim.hpp): their proportions are the
// simulator's, their scale the kernel's.
struct Scaled {
    const char *name;
    double base_ns;
};
constexpr Scaled SWITCHING[] = {{"cs_ns", 1000}, {"migrate_ns", 2000}, {"llc_migrate_ns", 10000}};
constexpr double MM_BASE_NS = 500, WAKE_IDLE_BASE_NS = 2000, WAKE_BASE_NS = 1000;
// The user-space round trip: one activation, and per decision 1/25 of it.
constexpr double HOP_BASE_NS = 2500, DECISION_PER_HOP = 100.0 / 2500.0;
// The part of a pipe read or write under the pipe's mutex (lock_pct).
constexpr double LOCK_BASE_PCT = 40;
// The fixed cost of a system call (syscall_ns, 0 by default): the search
// starts from 100 ns.
constexpr double ENTRY_BASE_NS = 100;
// How late a timer fires (timer_ns, 0 by default): the search
// starts from 1 us.
constexpr double TIMER_BASE_NS = 1000;

// The ten factors, and the ranges searched: from 4x cheaper than the
// defaults to 4096x dearer (an emulated kernel); the round trip from
// 0.5 us to 32 ms; the share of a pipe call under the pipe's mutex from
// 10 % to all of it; the fixed cost of every system call from 10 ns to
// 40 us; a timer's lateness from 100 ns to 2 ms; a socket call from 4x
// cheaper to 4x dearer against a pipe call than the built-in figures.
enum Factor { SYSCALL, SWITCH, MM, WAKE_IDLE, ROUND_TRIP, LOCK, ENTRY, WAKE, TIMER, SOCKET, FACTORS };
struct Range {
    const char *what;
    double lo, hi;
};
constexpr Range RANGES[FACTORS] = {
    {"system calls x", 0.25, 4096},
    {"switching costs x", 0.25, 4096},
    {"address space changes x", 0.25, 4096},
    {"idle wake-up x", 0.25, 4096},
    {"round trip x", 500 / HOP_BASE_NS, 32768000 / HOP_BASE_NS},
    {"pipe mutex share x", 10 / LOCK_BASE_PCT, 100 / LOCK_BASE_PCT},
    {"system call entry x", 10 / ENTRY_BASE_NS, 40000 / ENTRY_BASE_NS},
    {"wake-up x", 0.25, 4096},
    {"timer lateness x", 100 / TIMER_BASE_NS, 2000000 / TIMER_BASE_NS},
    {"socket calls x", 0.25, 4},
};
// Each factor by the machine key that names it (--hold): the switching
// costs by cs_ns, the round trip by hop_ns.
constexpr const char *KEYS[FACTORS] = {"syscall_pct", "cs_ns",      "mm_ns",   "wake_idle_ns", "hop_ns",
                                       "lock_pct",    "syscall_ns", "wake_ns", "timer_ns",     "socket_pct"};
using Point = std::array<double, FACTORS>; // each factor, 1 = the simulator's default
// Points of the Halton sample the descent may start from.
constexpr std::uint64_t STARTS = 60;
// The best points of the search (on three seeds) judged again on every run:
// the three seeds' noise decides between close points otherwise.
constexpr std::size_t SHORTLIST = 12;

std::uint64_t rounded(double x) { return static_cast<std::uint64_t>(std::llround(std::max(0.0, x))); }

std::string machine_list(const Point &p)
{
    std::string out = "syscall_pct=" + std::to_string(rounded(100 * p[SYSCALL]));
    for (const Scaled &s : SWITCHING)
        out += "," + std::string(s.name) + "=" +
               std::to_string(static_cast<std::uint64_t>(std::llround(s.base_ns * p[SWITCH])));
    out += ",mm_ns=" + std::to_string(static_cast<std::uint64_t>(std::llround(MM_BASE_NS * p[MM])));
    out += ",wake_idle_ns=" + std::to_string(rounded(WAKE_IDLE_BASE_NS * p[WAKE_IDLE]));
    const double hop = HOP_BASE_NS * p[ROUND_TRIP];
    out += ",hop_ns=" + std::to_string(rounded(hop)) +
           ",decision_ns=" + std::to_string(static_cast<std::uint64_t>(std::llround(hop * DECISION_PER_HOP)));
    out += ",lock_pct=" + std::to_string(std::min<std::uint64_t>(100, rounded(LOCK_BASE_PCT * p[LOCK])));
    out += ",syscall_ns=" + std::to_string(rounded(ENTRY_BASE_NS * p[ENTRY]));
    out += ",wake_ns=" + std::to_string(rounded(WAKE_BASE_NS * p[WAKE]));
    out += ",timer_ns=" + std::to_string(rounded(TIMER_BASE_NS * p[TIMER]));
    out += ",socket_pct=" + std::to_string(rounded(100 * p[SOCKET]));
    return out;
}

// The machine the plan's own --machine options describe (applied in order
// over the defaults, as the simulator would); none when it has none.
Result<std::optional<sim::Machine>> given_machine(const Plan &plan)
{
    std::optional<sim::Machine> m;
    for (const std::string &o : plan.sim_options) {
        constexpr std::string_view KEY = "--machine=";
        if (o.compare(0, KEY.size(), KEY) != 0)
            continue;
        if (!m)
            m.emplace();
        if (auto r = sim::set_machine_option(*m, o.substr(KEY.size())); !r)
            return std::move(r).error();
    }
    return m;
}

// What the plan's --machine options (`given`) set that the fit does not
// (the topology, a timer's tail, ...): kept in the fitted machine, before
// the fitted costs. Empty when they set nothing else.
std::string kept_params(const sim::Machine &given, const std::string &fitted)
{
    std::string out;
    const auto defaults = sim::machine_params(sim::Machine{});
    const auto mine = sim::machine_params(given);
    for (std::size_t i = 0; i < mine.size(); i++) {
        const std::string &key = mine[i].first;
        if (key == "cpus" || mine[i].second == defaults[i].second ||
            ("," + fitted).find("," + key + "=") != std::string::npos)
            continue;
        out += key + "=" + std::to_string(mine[i].second) + ",";
    }
    return out;
}

// The factors of a machine's costs (not clamped to the ranges).
Point factors_of(const sim::Machine &m)
{
    Point p;
    p[SYSCALL] = m.syscall_pct / 100.0;
    p[SWITCH] = static_cast<double>(m.cs_ns) / SWITCHING[0].base_ns;
    p[MM] = static_cast<double>(m.mm_ns) / MM_BASE_NS;
    p[WAKE_IDLE] = static_cast<double>(m.wake_idle_ns) / WAKE_IDLE_BASE_NS;
    p[ROUND_TRIP] = static_cast<double>(m.hop_ns) / HOP_BASE_NS;
    p[LOCK] = m.lock_pct / LOCK_BASE_PCT;
    p[ENTRY] = static_cast<double>(m.syscall_ns) / ENTRY_BASE_NS;
    p[WAKE] = static_cast<double>(m.wake_ns) / WAKE_BASE_NS;
    p[TIMER] = static_cast<double>(m.timer_ns) / TIMER_BASE_NS;
    p[SOCKET] = m.socket_pct / 100.0;
    return p;
}

// The factors of the costs the plan's own --machine options give (`m`),
// within the ranges, the held ones where `m` puts them: where a user's
// estimate - costs read off a trace - starts the search.
Point given_point(const sim::Machine &m, const std::array<bool, FACTORS> &held)
{
    Point p = factors_of(m);
    for (int f = 0; f < FACTORS; f++)
        if (!held[f])
            p[f] = std::clamp(p[f], RANGES[f].lo, RANGES[f].hi);
    return p;
}

// How well a simulator matches the kernel: Kendall's tau-b of every
// workload's pairs pooled (what the fidelity benchmark judges); the mean
// squared log error per group (every cell, the schedulers without a round
// trip, the policies); and what the fit minimises, `objective`: the mean
// squared log error of the ratios to default plus that of default's own
// figures (each workload's metric and wake-up latency percentiles), so
// that the few figures of default weigh as much as the many ratios, plus
// that of the context switches where the kernel counted them (messaging:
// how often the tasks block and are preempted, which decides what a
// switch's cost adds up to), plus that of the tasks' CPU time within the
// makespan where the kernel counted it (messaging, whose work is fixed:
// how the work splits between calls and switches, and what is left idle).
struct Score {
    double tau = std::nan("");
    std::array<double, 3> error{};
    double objective = std::nan("");
};

// Tau-b counts up to the fidelity target, 0.8: past it (the kernel's own
// orderings agree between recordings of this matrix at about that), the
// fit trades the ratios for orderings a new recording may not repeat.
constexpr double TAU_ENOUGH = 0.8;
// What tau-b short of that costs, in units of the error: one pair of 50
// ordered the other way (0.04) weighs as much as every figure 22 % further
// off. A strict order (any tau-b first) let the search buy one pair with
// costs that put every figure several times off.
constexpr double TAU_WEIGHT = 1.0;

double cost(const Score &s)
{
    if (std::isnan(s.tau) || std::isnan(s.objective))
        return std::numeric_limits<double>::infinity();
    return s.objective + TAU_WEIGHT * (TAU_ENOUGH - std::min(s.tau, TAU_ENOUGH));
}

// Better: a smaller error with tau-b's shortfall added.
bool better(const Score &a, const Score &b) { return cost(a) < cost(b) * (1 - 1e-9); }

// A running mean of squared log errors.
struct Mean {
    double sum = 0, n = 0;
    void add(double e)
    {
        sum += e;
        n++;
    }
    double value(double none) const { return n ? sum / n : none; }
};

// The squared log error of the simulator's model figure `name` against the
// kernel's, when both have one.
std::optional<double> sq_log_error(const std::map<std::string, double> &sim,
                                   const std::map<std::string, double> &kernel, const std::string &name)
{
    auto s = sim.find(name), k = kernel.find(name);
    if (s == sim.end() || k == kernel.end() || !(s->second > 0) || !(k->second > 0))
        return std::nullopt;
    return std::pow(std::log(s->second / k->second), 2);
}

// Kernel medians, and the error of a simulator against them.
class Fit {
public:
    // `search`: fewer seeds per cell (min(runs, 3)), for the search.
    Fit(const Plan &plan, const Report &kernel, const volatile std::sig_atomic_t *cancel, bool search)
        : plan_(plan), kernel_(kernel), cancel_(cancel)
    {
        if (search)
            plan_.runs = std::min(plan.runs, 3);
    }

    // Mean squared log error per group: every cell, the schedulers without
    // a round trip, the policies. The error of default's cell is that of
    // its median (the simulator's over the kernel's), and of its wake-up
    // latency percentiles where the workload's metric is another one; of
    // every other cell, that of its ratio to default (what orders the
    // schedulers), so that a workload's scale is fitted once, by default.
    // `sim(w, si)` is the simulator's side of that cell.
    template <class Sim> Result<Score> score(Sim sim) const
    {
        std::array<Mean, 3> group;   // every cell, default and bpf-fifo, the policies
        Mean own, rel, switches, cpu; // the objective's parts
        stats::Kendall pooled;
        for (std::size_t wi = 0; wi < kernel_.workloads.size(); wi++) {
            const auto &cells = kernel_.workloads[wi].cells;
            std::vector<double> m(cells.size());
            std::map<std::string, double> model0;
            for (std::size_t si = 0; si < cells.size(); si++) {
                auto x = sim(wi, si);
                if (!x)
                    return std::move(x).error();
                m[si] = x->median;
                if (si == 0)
                    model0 = x->model;
                if (auto e = sq_log_error(x->model, cells[si].kernel.model, "context_switches"))
                    switches.add(*e);
                if (auto e = sq_log_error(x->model, cells[si].kernel.model, "makespan_cpu_s"))
                    cpu.add(*e);
            }
            for (const char *name : {"wakeup_latency_p50_ns", "wakeup_latency_p99_ns"}) {
                if (kernel_.workloads[wi].workload.metric == name)
                    continue;
                if (auto e = sq_log_error(model0, cells[0].kernel.model, name)) {
                    own.add(*e);
                    group[0].add(*e);
                    group[1].add(*e);
                }
            }
            std::vector<double> xs, ys;
            for (std::size_t si = 0; si < cells.size(); si++)
                if (!std::isnan(m[si]) && !std::isnan(cells[si].kernel.median)) {
                    xs.push_back(m[si]);
                    ys.push_back(cells[si].kernel.median);
                }
            pooled.add(stats::kendall(xs, ys));
            const double k0 = cells[0].kernel.median, m0 = m[0];
            for (std::size_t si = 0; si < cells.size(); si++) {
                const double k = cells[si].kernel.median;
                if (!(k > 0) || !(m[si] > 0))
                    continue;
                const bool relative = si > 0 && k0 > 0 && m0 > 0;
                const double e = std::pow(std::log(relative ? (m[si] / m0) / (k / k0) : m[si] / k), 2);
                (relative ? rel : own).add(e);
                group[0].add(e);
                group[plan_.schedulers[si].kind == RunRequest::Scheduler::policy ? 2 : 1].add(e);
            }
        }
        Score out;
        out.tau = pooled.tau_b();
        for (int i = 0; i < 3; i++)
            out.error[i] = group[i].value(std::nan(""));
        out.objective = own.value(0) + rel.value(0) + switches.value(0) + cpu.value(0);
        return out;
    }

    // The score with a machine's costs (fewer seeds while searching); every
    // point and its score are kept in `seen`.
    Result<Score> at(const Point &p)
    {
        auto s = score_of(p);
        if (s)
            seen.emplace_back(*s, p);
        return s;
    }

    int evaluations = 0;
    std::vector<std::pair<Score, Point>> seen;

private:
    Result<Score> score_of(const Point &p)
    {
        evaluations++;
        // As --sim-arg would give it: before each scheduler's own options,
        // so that bpf-fifo keeps its stand-in's (no round trip).
        Plan plan = plan_;
        plan.sim_options.push_back("--machine=" + machine_list(p));
        return score([&](std::size_t wi, std::size_t si) -> Result<Side> {
            return run_sim(plan, plan.schedulers[si], kernel_.workloads[wi].workload, {}, cancel_);
        });
    }

    Plan plan_;
    const Report &kernel_;
    const volatile std::sig_atomic_t *cancel_;
};

// x * step^k for every k that stays within [lo, hi].
std::vector<double> grid(double lo, double hi, double from, double step, int steps)
{
    std::vector<double> out;
    for (int k = -steps; k <= steps; k++) {
        const double x = from * std::pow(step, k);
        if (x >= lo * 0.9999 && x <= hi * 1.0001)
            out.push_back(x);
    }
    return out;
}

} // namespace

Result<Calibration> calibrate(const Plan &plan, const Progress &progress, const volatile std::sig_atomic_t *cancel,
                              const Report *recorded, const std::vector<std::string> &hold)
{
    if (plan.schedulers.size() < 2)
        return Error(Exit::usage, "calibration needs default and at least one other scheduler");
    Calibration cal;
    // The held costs stay where the plan's --machine options put them (the
    // simulator's defaults without them): every point tried has them there.
    std::array<bool, FACTORS> held{};
    for (const std::string &k : hold) {
        const auto key = std::find(std::begin(KEYS), std::end(KEYS), k);
        if (key == std::end(KEYS)) {
            std::string keys;
            for (const char *name : KEYS)
                keys += std::string(keys.empty() ? "" : ", ") + name;
            return Error(Exit::usage, "--hold " + k + ": not a fitted cost (" + keys + ")");
        }
        held[static_cast<std::size_t>(key - std::begin(KEYS))] = true;
    }
    auto machine = given_machine(plan);
    if (!machine)
        return std::move(machine).error();
    const Point held_at = factors_of(*machine ? **machine : sim::Machine{});
    for (int f = 0; f < FACTORS; f++)
        if (held[f])
            cal.held.push_back(KEYS[f]);
    // The kernel's figures (and the simulator's with its own constants).
    auto rep = run(plan, progress, cancel, recorded);
    if (!rep)
        return std::move(rep).error();
    cal.before = std::move(*rep);

    Fit fit(plan, cal.before, cancel, true);
    Point best;
    for (int f = 0; f < FACTORS; f++)
        best[f] = held[f] ? held_at[f] : 1;
    auto first = fit.at(best);
    if (!first)
        return std::move(first).error();
    Score best_score = *first;
    // Evaluate p (saying `what` on the progress line); true when it is the
    // best so far.
    auto try_point = [&](const Point &p, const std::string &what) -> Result<bool> {
        if (progress)
            progress(0, 0, what, "calibrate");
        auto sp = fit.at(p);
        if (!sp)
            return std::move(sp).error();
        if (!better(*sp, best_score))
            return false;
        best = p;
        best_score = *sp;
        return true;
    };
    // Where to start: the defaults or the best of a Halton sample of the
    // whole space (log scale), so that the descent starts in the best basin
    // the sample saw rather than in the nearest one.
    for (std::uint64_t i = 1; i <= STARTS; i++) {
        Point p;
        for (int f = 0; f < FACTORS; f++) {
            const double u = radical_inverse(i, halton_base(static_cast<std::size_t>(f)));
            p[f] = held[f] ? held_at[f]
                           : std::exp(std::log(RANGES[f].lo) + u * (std::log(RANGES[f].hi) - std::log(RANGES[f].lo)));
        }
        if (auto r = try_point(p, "start " + std::to_string(i) + "/" + std::to_string(STARTS)); !r)
            return std::move(r).error();
    }
    std::optional<Point> given;
    if (*machine) {
        given = given_point(**machine, held);
        if (auto r = try_point(*given, "the given machine"); !r)
            return std::move(r).error();
    }
    // Coordinate descent: each factor over its whole range in steps of 4
    // from the start until nothing moves, then steps of sqrt(2) and of
    // 2^(1/4) around the optimum so far.
    struct Stage {
        double step;
        int steps; // grid points each side of the current value (within the range)
    };
    for (const Stage stage : {Stage{4.0, 7}, Stage{std::sqrt(2.0), 2}, Stage{std::pow(2.0, 0.25), 2}}) {
        for (int pass = 0; pass < 4; pass++) {
            bool moved = false;
            for (int f = 0; f < FACTORS; f++) {
                if (held[f])
                    continue;
                for (double x : grid(RANGES[f].lo, RANGES[f].hi, best[f], stage.step, stage.steps)) {
                    if (x == best[f])
                        continue;
                    Point p = best;
                    p[f] = x;
                    auto r = try_point(p, std::string(RANGES[f].what) + " " + std::to_string(x).substr(0, 8));
                    if (!r)
                        return std::move(r).error();
                    moved |= *r;
                }
            }
            if (!moved)
                break;
        }
    }
    // The shortlist, each judged on every run: the machine the plan gave
    // (three seeds can rank it below points that are worse on every run: the
    // fit must not end worse than where it started), then the best distinct
    // points the search saw.
    std::vector<std::pair<Score, Point>> seen = fit.seen;
    std::stable_sort(seen.begin(), seen.end(), [](const auto &a, const auto &b) { return better(a.first, b.first); });
    std::vector<Point> candidates;
    if (given)
        candidates.push_back(*given);
    for (const auto &sp : seen)
        candidates.push_back(sp.second);
    Fit whole(plan, cal.before, cancel, false);
    std::vector<Point> shortlist;
    Score best_whole;
    for (const Point &p : candidates) {
        if (shortlist.size() == SHORTLIST)
            break;
        if (std::find(shortlist.begin(), shortlist.end(), p) != shortlist.end())
            continue;
        shortlist.push_back(p);
        if (progress)
            progress(0, 0, "shortlist " + std::to_string(shortlist.size()) + "/" + std::to_string(SHORTLIST),
                     "calibrate");
        auto sw = whole.at(p);
        if (!sw)
            return std::move(sw).error();
        if (shortlist.size() == 1 || better(*sw, best_whole)) {
            best = p;
            best_whole = *sw;
        }
    }
    cal.syscall_scale = best[SYSCALL];
    cal.switch_scale = best[SWITCH];
    cal.mm_scale = best[MM];
    cal.wake_idle_scale = best[WAKE_IDLE];
    cal.hop_ns = HOP_BASE_NS * best[ROUND_TRIP];
    cal.lock_pct = std::min(100.0, LOCK_BASE_PCT * best[LOCK]);
    cal.syscall_ns = ENTRY_BASE_NS * best[ENTRY];
    cal.wake_scale = best[WAKE];
    cal.timer_ns = TIMER_BASE_NS * best[TIMER];
    cal.socket_pct = 100 * best[SOCKET];
    cal.machine = machine_list(best);
    if (*machine)
        cal.machine = kept_params(**machine, cal.machine) + cal.machine;
    for (int f = 0; f < FACTORS; f++)
        cal.at_edge |= !held[f] && (best[f] <= RANGES[f].lo * 1.0001 || best[f] >= RANGES[f].hi * 0.9999);
    cal.evaluations = fit.evaluations + whole.evaluations;

    // The scores, every seed, as the plan ran the simulator and with the fit.
    auto before = whole.score([&](std::size_t wi, std::size_t si) -> Result<Side> {
        return cal.before.workloads[wi].cells[si].sim;
    });
    if (!before)
        return std::move(before).error();
    const Score *after = &best_whole;
    cal.tau_before = before->tau;
    cal.tau = after->tau;
    cal.error_before = before->error[0];
    cal.hardware_error_before = before->error[1];
    cal.round_trip_error_before = before->error[2];
    cal.error = after->error[0];
    cal.hardware_error = after->error[1];
    cal.round_trip_error = after->error[2];
    cal.cost_before = cost(*before);
    cal.cost = cost(*after);
    return cal;
}

std::string machine_file(const Calibration &c)
{
    const Report &r = c.before;
    char when[32] = "";
    const std::time_t now = std::time(nullptr);
    std::tm tm {};
    if (::gmtime_r(&now, &tm))
        std::strftime(when, sizeof when, "%Y-%m-%d", &tm);
    auto factor = [](double mse) {
        char buf[32];
        if (std::isnan(mse))
            return std::string("-");
        std::snprintf(buf, sizeof buf, "%.2f", std::exp(std::sqrt(mse)));
        return std::string(buf);
    };
    auto num2 = [](double x) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", x);
        return std::string(buf);
    };
    auto num = [](double x) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", x);
        return std::string(buf);
    };
    std::string out = "# scxkit machine file: the simulator's costs fitted to a kernel by scx-fidelity --calibrate\n";
    out += "# (scx-run --sim ... --machine FILE; scxkit(7), FIDELITY)\n";
    out += "# kernel " + r.kernel_release + " (" + backend_name(r.plan.kernel) +
           (r.accelerator.empty() ? "" : ", " + r.accelerator) + ", " + std::to_string(r.kernel_cpus) + " CPUs), " +
           (r.recorded_from.empty() ? std::string(when) : "recorded in " + r.recorded_from) +
           ", runs per scheduler: " + std::to_string(r.plan.runs) + "\n";
    out += "# schedulers:";
    for (const Scheduler &s : r.plan.schedulers)
        out += " " + s.label;
    out += "\n# workloads:";
    for (const WorkloadResult &w : r.workloads)
        out += " " + w.workload.spec + "@" + w.workload.metric;
    out += "\n# fitted (" + std::to_string(c.evaluations) + " simulated matrices): system calls x " +
           num(c.syscall_scale) + ", switching costs x " + num(c.switch_scale) + ", address space changes x " +
           num(c.mm_scale) + ", idle wake-up x " + num(c.wake_idle_scale) + ", round trip " + num(c.hop_ns) + " ns, pipe mutex " + num(c.lock_pct) +
           " % of a pipe call, system call entry " + num(c.syscall_ns) + " ns, wake-up x " + num(c.wake_scale) + ", timer lateness " + num(c.timer_ns) + " ns, socket calls x " + num(c.socket_pct / 100) + "\n";
    if (!c.held.empty()) {
        out += "# held where the given machine puts them (--hold):";
        for (const std::string &k : c.held)
            out += " " + k;
        out += "\n";
    }
    std::string given;
    for (const std::string &o : r.plan.sim_options)
        given += " " + o;
    if (!given.empty())
        out += "# the search also started from, and the figures before the fit are with:" + given + "\n";
    out += "# what the fit minimises (squared log errors, tau-b's shortfall from 0.8): " + num(c.cost_before) +
           " -> " + num(c.cost) + "\n";
    out += "# Kendall tau-b, every workload's pairs: " + num2(c.tau_before) + " -> " + num2(c.tau) + "\n";
    out += "# typical factor off, every cell: " + factor(c.error_before) + " -> " + factor(c.error) +
           "; default and bpf-fifo: " + factor(c.hardware_error_before) + " -> " + factor(c.hardware_error) +
           "; policies: " + factor(c.round_trip_error_before) + " -> " + factor(c.round_trip_error) + "\n";
    if (c.at_edge)
        out += "# warning: a value is at the edge of the searched range: the kernel is far from any machine the\n"
               "# simulator's proportions describe\n";
    std::string line;
    for (char ch : c.machine + ",") {
        if (ch == ',') {
            out += line + "\n";
            line.clear();
        } else {
            line += ch;
        }
    }
    return out;
}

} // namespace scx::fidelity
