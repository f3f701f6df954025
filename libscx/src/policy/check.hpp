// SPDX-License-Identifier: MIT
//
// policy/check.hpp - the check backend: load a policy in a contained child
// and drive it by hand on the in-process test context (a few queued tasks,
// some rounds of schedule()), without a kernel or a simulation. What
// `scx-run --check` does; a quick gate for a freshly generated policy.

#ifndef SCX_POLICY_CHECK_HPP
#define SCX_POLICY_CHECK_HPP

#include <string>

#include <scx/run.hpp>

#include "contain/confine.hpp"

namespace scx {

inline constexpr int CHECK_TASKS = 8;
inline constexpr int CHECK_ROUNDS = 16;
inline constexpr int CHECK_CPUS = 4;

struct CheckSettings {
    contain::Confinement confinement;
};

class CheckBackend final : public Backend {
public:
    explicit CheckBackend(CheckSettings s) : s_(std::move(s)) {}
    BackendKind kind() const override { return BackendKind::check; }
    // Metrics: tasks, dispatched, rounds. The exit is done when every task
    // was dispatched, error otherwise.
    Result<RunReport> run(const RunRequest &req, const StatsSink &stats = {}) override;

private:
    CheckSettings s_;
};

// The scxkit.check/1 document of a check run (scx-json(5)).
std::string check_json(const RunReport &r);
// One line for a person.
std::string check_text(const RunReport &r);

} // namespace scx

#endif // SCX_POLICY_CHECK_HPP
