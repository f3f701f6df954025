// SPDX-License-Identifier: MIT
//
// <scx/test_backend.hpp> - an in-process Context for unit tests.
//
// ScriptedContext lets a test drive a policy by hand: queue tasks, mark CPUs
// idle or busy, move the clock, call the policy's hooks and inspect exactly
// which decisions it sent. It applies the same validity rules as the real
// backends (unknown pid or CPU out of range -> -EINVAL; a task dispatched
// twice -> -EINVAL), but has no notion of running tasks.

#ifndef SCX_TEST_BACKEND_HPP
#define SCX_TEST_BACKEND_HPP

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <scx/policy.hpp>

namespace scx::testing {

class ScriptedContext final : public Context {
public:
    explicit ScriptedContext(int nr_cpus);

    // Script. make_task() fills a Task with sensible defaults for `pid`.
    static Task make_task(std::int32_t pid, std::int32_t cpu = 0, const char *comm = "task");
    void queue(Task t);           // becomes visible to dequeue(); seq assigned here
    void set_now(std::uint64_t ns) { now_ = ns; }
    void advance(std::uint64_t ns) { now_ += ns; }
    void set_idle(int cpu, bool idle);
    void set_all_idle(bool idle);

    // Observation.
    const std::vector<Dispatch> &dispatches() const { return dispatched_; }
    std::size_t waiting() const { return queue_.size(); }
    std::size_t outstanding() const { return outstanding_.size(); } // dequeued, not dispatched
    std::uint64_t pending() const { return counters_.nr_scheduled; }
    bool idle_bypass() const { return idle_bypass_; }
    bool is_idle(int cpu) const { return idle_.at(static_cast<std::size_t>(cpu)); }

    // Context.
    std::optional<Task> dequeue() override;
    int dispatch(const Dispatch &d) override;
    int select_cpu(std::int32_t pid, std::int32_t prev_cpu, std::uint64_t flags) override;
    int nr_cpus() const override { return static_cast<int>(idle_.size()); }
    std::uint64_t now() const override { return now_; }
    const Counters &counters() const override { return counters_; }
    void set_pending(std::uint64_t nr_tasks) override { counters_.nr_scheduled = nr_tasks; }
    void set_idle_bypass(bool enabled) override { idle_bypass_ = enabled; }

private:
    std::deque<Task> queue_;
    std::map<std::int32_t, std::uint64_t> outstanding_; // pid -> seq
    std::vector<Dispatch> dispatched_;
    std::vector<bool> idle_;
    Counters counters_;
    std::uint64_t now_ = 0, next_seq_ = 1;
    bool idle_bypass_ = true;
};

} // namespace scx::testing

#endif // SCX_TEST_BACKEND_HPP
