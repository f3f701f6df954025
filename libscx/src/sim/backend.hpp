// SPDX-License-Identifier: MIT
//
// sim/backend.hpp - the simulator behind the run seam: each run simulates
// the workload in a contained child (contain/confine.hpp) that reports
// through the shared record; the parent builds the RunReport.

#ifndef SCX_SIM_BACKEND_HPP
#define SCX_SIM_BACKEND_HPP

#include <scx/run.hpp>

#include "contain/confine.hpp"
#include "sim/sim.hpp"

namespace scx::sim {

struct SimSettings {
    Machine machine;                                  // cpus defaults to this machine's
    std::uint64_t seed = 1;
    std::uint64_t watchdog_ns = 30 * NSEC_PER_SEC;    // of simulated time
    std::uint64_t max_time_ns = 3600 * NSEC_PER_SEC;  // simulated-time limit
    std::string trace_path, events_path;              // "" = none
    EevdfParams eevdf;                                // the built-in default scheduler's tunables
    contain::Confinement confinement;
};

// This machine's online CPUs, at most MAX_CPUS.
int host_cpus();

class SimBackend final : public Backend {
public:
    explicit SimBackend(SimSettings s) : s_(std::move(s)) {}
    BackendKind kind() const override { return BackendKind::sim; }
    // RunRequest::Scheduler::builtin runs the model of the Linux default
    // scheduler (EEVDF, simulate_default()), reported as policy "default".
    Result<RunReport> run(const RunRequest &req, const StatsSink &stats = {}) override;
    const SimSettings &settings() const { return s_; }

private:
    SimSettings s_;
};

// What the run document says of a simulator run: the workload with every
// parameter as used, the seed, the machine, the watchdog.
SimRunInfo run_info(const Workload &workload, const Options &options);

// The report of a simulation run in this process (tests, benchmarks of the
// engine): what the backend would report for `out`.
RunReport outcome_report(const Outcome &out, const Workload &workload, const Options &options,
                         const std::string &policy, const std::string &policy_path);

} // namespace scx::sim

#endif // SCX_SIM_BACKEND_HPP
