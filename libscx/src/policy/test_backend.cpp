// SPDX-License-Identifier: MIT
#include <scx/test_backend.hpp>

#include <cstring>

namespace scx::testing {

ScriptedContext::ScriptedContext(int nr_cpus) : idle_(static_cast<std::size_t>(nr_cpus > 0 ? nr_cpus : 1), true)
{
    counters_.nr_online_cpus = idle_.size();
}

Task ScriptedContext::make_task(std::int32_t pid, std::int32_t cpu, const char *comm)
{
    Task t;
    t.pid = pid;
    t.cpu = cpu;
    t.nr_cpus_allowed = 1 << 20;
    std::strncpy(t.comm, comm, sizeof t.comm - 1);
    return t;
}

void ScriptedContext::queue(Task t)
{
    t.seq = next_seq_++;
    if (t.enqueued_at == 0)
        t.enqueued_at = now_;
    queue_.push_back(t);
    counters_.nr_queued = queue_.size();
}

void ScriptedContext::set_idle(int cpu, bool idle) { idle_.at(static_cast<std::size_t>(cpu)) = idle; }

void ScriptedContext::set_all_idle(bool idle)
{
    for (std::size_t i = 0; i < idle_.size(); i++)
        idle_[i] = idle;
}

std::optional<Task> ScriptedContext::dequeue()
{
    if (queue_.empty())
        return std::nullopt;
    Task t = queue_.front();
    queue_.pop_front();
    counters_.nr_queued = queue_.size();
    outstanding_[t.pid] = t.seq;
    return t;
}

int ScriptedContext::dispatch(const Dispatch &d)
{
    auto it = outstanding_.find(d.pid);
    if (it == outstanding_.end() || it->second != d.seq) {
        counters_.nr_failed_dispatches++;
        return -EINVAL;
    }
    if (d.cpu != ANY_CPU && (d.cpu < 0 || d.cpu >= nr_cpus())) {
        counters_.nr_failed_dispatches++;
        return -EINVAL;
    }
    outstanding_.erase(it);
    dispatched_.push_back(d);
    counters_.nr_user_dispatches++;
    return 0;
}

int ScriptedContext::select_cpu(std::int32_t, std::int32_t prev_cpu, std::uint64_t)
{
    if (prev_cpu >= 0 && prev_cpu < nr_cpus() && idle_[static_cast<std::size_t>(prev_cpu)]) {
        idle_[static_cast<std::size_t>(prev_cpu)] = false;
        return prev_cpu;
    }
    for (std::size_t i = 0; i < idle_.size(); i++) {
        if (idle_[i]) {
            idle_[i] = false;
            return static_cast<int>(i);
        }
    }
    return -EBUSY;
}

} // namespace scx::testing
