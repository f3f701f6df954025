// SPDX-License-Identifier: MIT
// Calibration: the simulator's cost constants fitted to a kernel's figures.
#include "fidelity/calibrate.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

namespace scx::fidelity {

namespace {

// The hardware costs, scaled together from their defaults (Machine in
// sim/sim.hpp): their proportions are the simulator's, their scale the
// kernel's.
struct Scaled {
    const char *name;
    double base_ns;
};
constexpr Scaled HARDWARE[] = {{"cs_ns", 1000}, {"mm_ns", 500}, {"migrate_ns", 2000},
                               {"llc_migrate_ns", 10000}, {"wake_idle_ns", 2000}};
// The searched ranges: hardware from 4x faster than the defaults to 4096x
// slower (an emulated kernel), the round trip from 0.5 us to 32 ms.
constexpr double SCALE_LO = 0.25, SCALE_HI = 4096, HOP_LO = 500, HOP_HI = 32768000;
// The user-space round trip: one activation, and per decision 1/25 of it.
constexpr double DECISION_PER_HOP = 100.0 / 2500.0;

std::string machine_list(double hw_scale, double hop_ns)
{
    std::string out;
    for (const Scaled &s : HARDWARE)
        out += (out.empty() ? "" : ",") + std::string(s.name) + "=" +
               std::to_string(static_cast<std::uint64_t>(std::llround(s.base_ns * hw_scale)));
    if (hop_ns > 0)
        out += ",hop_ns=" + std::to_string(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(hop_ns)))) +
               ",decision_ns=" + std::to_string(static_cast<std::uint64_t>(std::llround(hop_ns * DECISION_PER_HOP)));
    return out;
}

// Candidates: a geometric grid, factor sqrt(2), from lo to hi.
std::vector<double> grid(double lo, double hi)
{
    std::vector<double> out;
    for (double x = lo; x <= hi * 1.0001; x *= std::sqrt(2.0))
        out.push_back(x);
    return out;
}

} // namespace

Result<Calibration> calibrate(const Plan &plan, const Progress &progress, const volatile std::sig_atomic_t *cancel)
{
    Calibration cal;
    // The kernel's figures (and the simulator's with its own constants).
    auto rep = run(plan, progress, cancel);
    if (!rep)
        return std::move(rep).error();
    cal.before = std::move(*rep);

    // Mean squared log ratio of the simulator's medians (`sim`) to the
    // kernel's, over every workload and the schedulers `use` picks.
    auto error = [&](auto use, auto sim) -> Result<double> {
        double sum = 0;
        int n = 0;
        for (const WorkloadResult &w : cal.before.workloads)
            for (std::size_t si = 0; si < plan.schedulers.size(); si++) {
                const double k = w.cells[si].kernel.median;
                if (!use(plan.schedulers[si]) || !(k > 0))
                    continue;
                auto m = sim(w, si);
                if (!m)
                    return std::move(m).error();
                if (!(*m > 0))
                    continue;
                sum += std::pow(std::log(*m / k), 2);
                n++;
            }
        return n ? sum / n : std::nan("");
    };
    // The simulator with a machine's costs; as the plan ran it (before).
    auto with = [&](const std::string &machine) {
        return [&plan, cancel, machine](const WorkloadResult &w, std::size_t si) -> Result<double> {
            auto side = run_sim(plan, plan.schedulers[si], w.workload, {"--machine=" + machine}, cancel);
            if (!side)
                return std::move(side).error();
            return side->median;
        };
    };
    auto as_run = [](const WorkloadResult &w, std::size_t si) -> Result<double> { return w.cells[si].sim.median; };
    auto no_round_trip = [](const Scheduler &s) { return s.kind != RunRequest::Scheduler::policy; };
    auto round_trip = [](const Scheduler &s) { return s.kind == RunRequest::Scheduler::policy; };

    // The grid's value with the least error, and that error.
    struct Best {
        double x = 0, error = std::numeric_limits<double>::infinity();
        bool at_edge = false;
    };
    auto search = [&](const std::vector<double> &xs, const std::string &what, auto machine,
                      auto use) -> Result<Best> {
        Best b;
        for (double x : xs) {
            if (progress)
                progress(0, 0, what + " " + std::to_string(static_cast<long long>(std::llround(x))), "calibrate");
            auto e = error(use, with(machine(x)));
            if (!e)
                return std::move(e).error();
            if (*e < b.error)
                b = {x, *e, x == xs.front() || x == xs.back()};
        }
        return b;
    };
    // 1. The hardware's scale (in thousandths), from the schedulers that
    // make no round trip (default, bpf-fifo), at the simulator's round trip.
    std::vector<double> permille;
    for (double x : grid(SCALE_LO, SCALE_HI))
        permille.push_back(x * 1000);
    auto hw = search(permille, "hardware costs, per mille of the defaults:",
                     [](double x) { return machine_list(x / 1000, 0); }, no_round_trip);
    if (!hw)
        return std::move(hw).error();
    const double best_scale = hw->x / 1000;
    // 2. The round trip, from the policies, at that scale.
    auto rt = search(grid(HOP_LO, HOP_HI), "round trip, ns:",
                     [&](double x) { return machine_list(best_scale, x); }, round_trip);
    if (!rt)
        return std::move(rt).error();
    const double best_hop = rt->x;
    cal.hardware_scale = best_scale;
    cal.hardware_error = hw->error;
    cal.hop_ns = best_hop;
    cal.round_trip_error = rt->error;
    cal.at_edge = hw->at_edge || rt->at_edge;
    cal.machine = machine_list(best_scale, best_hop);
    // The errors of the simulator as the plan ran it, for comparison.
    auto e1 = error(no_round_trip, as_run);
    auto e2 = error(round_trip, as_run);
    if (!e1 || !e2)
        return (!e1 ? e1 : e2).error();
    cal.hardware_error_before = *e1;
    cal.round_trip_error_before = *e2;
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
        std::snprintf(buf, sizeof buf, "%.2f", std::exp(std::sqrt(mse)));
        return std::string(buf);
    };
    std::string out = "# scxkit machine file: the simulator's costs fitted to a kernel by scx-fidelity --calibrate\n";
    out += "# (scx-run --sim ... --machine FILE; scxkit(7), FIDELITY)\n";
    out += "# kernel " + r.kernel_release + " (" + backend_name(r.plan.kernel) +
           (r.accelerator.empty() ? "" : ", " + r.accelerator) + ", " + std::to_string(r.kernel_cpus) + " CPUs), " +
           when + ", runs per scheduler: " + std::to_string(r.plan.runs) + "\n";
    out += "# workloads:";
    for (const WorkloadResult &w : r.workloads)
        out += " " + w.workload.spec + "@" + w.workload.metric;
    out += "\n# hardware costs: the defaults x " + std::to_string(c.hardware_scale).substr(0, 6) +
           "; typical factor off, default and bpf-fifo: " + factor(c.hardware_error_before) + " -> " +
           factor(c.hardware_error) + "\n";
    out += "# round trip: hop_ns " + std::to_string(static_cast<long>(c.hop_ns)) +
           "; typical factor off, policies: " + factor(c.round_trip_error_before) + " -> " +
           factor(c.round_trip_error) + "\n";
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
