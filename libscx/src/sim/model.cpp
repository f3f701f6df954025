// SPDX-License-Identifier: MIT
#include "model.hpp"

#include "base/parse.hpp"

namespace scx::sim::detail {

namespace {

// The kernel's sched_prio_to_weight[] (nice -20 .. 19).
constexpr std::uint64_t PRIO_TO_WEIGHT[40] = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906,  3121,  2501,  1991,  1586,  1277,  1024,  820,   655,   526,   423,   335,  272,  215,
    172,   137,   110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

Error bad(const std::string &msg) { return Error(Exit::data, msg); }

bool costs_time(OpCode c)
{
    return c == OpCode::run || c == OpCode::sleep || c == OpCode::send || c == OpCode::recv || c == OpCode::spawn;
}

} // namespace

std::uint64_t nice_to_weight(int nice)
{
    if (nice < -20)
        nice = -20;
    if (nice > 19)
        nice = 19;
    // sched_weight_to_cgroup(): round(weight * 100 / 1024), clamped to 1..10000.
    const std::uint64_t w = (PRIO_TO_WEIGHT[nice + 20] * 100 + 512) / 1024;
    return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

std::uint64_t nice_to_load_weight(int nice)
{
    if (nice < -20)
        nice = -20;
    if (nice > 19)
        nice = 19;
    return PRIO_TO_WEIGHT[nice + 20];
}

std::uint64_t weight_to_load_weight(std::uint64_t weight)
{
    const std::uint64_t w = (weight * 1024 + 50) / 100;
    return w ? w : 1;
}


ChannelModel pipe_channel(std::string name, std::uint32_t size, std::uint32_t buffer)
{
    constexpr std::uint32_t PAGE = 4096;
    ChannelModel c;
    c.name = std::move(name);
    c.per_page = static_cast<std::uint16_t>(PAGE / (size ? size : 1));
    c.max_pages = static_cast<std::uint16_t>(buffer / PAGE);
    c.capacity = static_cast<std::uint32_t>(c.per_page) * c.max_pages;
    c.wake_all = false;
    return c;
}

ChannelModel socket_channel(std::string name, std::uint32_t size, std::uint32_t sndbuf)
{
    const std::uint32_t truesize = 640 + (size + 63) / 64 * 64;
    ChannelModel c;
    c.name = std::move(name);
    c.capacity = (sndbuf - 1) / truesize + 1;
    c.wake_level = sndbuf / 4 / truesize;
    c.wake_all = true;
    c.socket = true;
    return c;
}

ChannelModel queue_channel(std::string name, std::uint32_t capacity)
{
    ChannelModel c;
    c.name = std::move(name);
    c.capacity = capacity ? capacity : 1;
    c.wake_level = c.capacity - 1;
    c.wake_all = false;
    return c;
}

namespace {

// Walk one task's program: loop structure, object ranges, spawn groups.
Result<void> check_task(const Model &m, std::size_t ti)
{
    const TaskModel &tm = m.tasks[ti];
    const std::vector<Op> &p = m.programs[tm.program];
    const std::string who = "task '" + tm.comm + "' (#" + std::to_string(ti) + ")";
    std::vector<std::size_t> stack; // indexes of open loop ops
    std::vector<bool> body_costs;
    auto max_var = [&](const Op &op) -> Result<std::int64_t> {
        if (op.var < 0)
            return std::int64_t{0};
        if (static_cast<std::size_t>(op.var) >= stack.size())
            return bad(who + ": an op uses the counter of loop " + std::to_string(op.var) + ", which does not enclose it");
        const Op &l = p[stack[static_cast<std::size_t>(op.var)]];
        if (l.flags & OP_FOREVER)
            return bad(who + ": an op uses the counter of a loop without end");
        return static_cast<std::int64_t>(l.a) - 1;
    };
    auto object_range = [&](const Op &op, std::size_t limit, const char *what) -> Result<void> {
        auto mv = max_var(op);
        if (!mv)
            return std::move(mv).error();
        const std::int64_t lo = op.arg + ((op.flags & OP_BASE) ? tm.base : 0);
        const std::int64_t hi = lo + (*mv > 0 ? *mv : 0);
        if (lo < 0 || hi >= static_cast<std::int64_t>(limit))
            return bad(who + ": " + what + " " + std::to_string(hi) + " does not exist (there are " +
                       std::to_string(limit) + ")");
        return {};
    };
    for (std::size_t i = 0; i < p.size(); i++) {
        const Op &op = p[i];
        if (costs_time(op.code))
            for (std::size_t k = 0; k < body_costs.size(); k++)
                body_costs[k] = true;
        switch (op.code) {
        case OpCode::loop:
            if (stack.size() >= static_cast<std::size_t>(MAX_LOOP_DEPTH))
                return bad(who + ": loops nested deeper than " + std::to_string(MAX_LOOP_DEPTH));
            if (op.arg <= static_cast<std::int32_t>(i) || static_cast<std::size_t>(op.arg) >= p.size() ||
                p[static_cast<std::size_t>(op.arg)].code != OpCode::end_loop)
                return bad(who + ": malformed loop");
            stack.push_back(i);
            body_costs.push_back(false);
            break;
        case OpCode::end_loop:
            if (stack.empty() || stack.back() != static_cast<std::size_t>(op.arg))
                return bad(who + ": malformed loop");
            if (!body_costs.back() && (p[static_cast<std::size_t>(op.arg)].flags & OP_FOREVER))
                return bad(who + ": an endless loop must run, sleep, send, receive or spawn (it would spin in zero time)");
            stack.pop_back();
            body_costs.pop_back();
            break;
        case OpCode::send:
        case OpCode::recv:
            if (auto r = object_range(op, m.channels.size(), "channel"); !r)
                return r;
            break;
        case OpCode::gate_wait:
        case OpCode::gate_open:
            if (op.arg < 0 || static_cast<std::uint32_t>(op.arg) >= m.gates)
                return bad(who + ": gate " + std::to_string(op.arg) + " does not exist");
            break;
        case OpCode::spawn:
            if (op.arg < 0 || static_cast<std::size_t>(op.arg) >= m.groups.size())
                return bad(who + ": spawn group " + std::to_string(op.arg) + " does not exist");
            break;
        case OpCode::join: {
            if (op.arg < 0 || static_cast<std::size_t>(op.arg) >= m.groups.size())
                return bad(who + ": spawn group " + std::to_string(op.arg) + " does not exist");
            auto mv = max_var(op);
            if (!mv)
                return std::move(mv).error();
            if (*mv >= static_cast<std::int64_t>(m.groups[static_cast<std::size_t>(op.arg)].tasks.size()))
                return bad(who + ": joins more tasks than its spawn group has");
            break;
        }
        case OpCode::wait_below:
            if (op.arg < 1)
                return bad(who + ": a limit of running children must be at least 1");
            break;
        case OpCode::run:
        case OpCode::sleep:
            if (op.dist == Dist::uniform && op.b < op.a)
                return bad(who + ": a uniform duration needs min <= max");
            break;
        default:
            break;
        }
    }
    if (!stack.empty())
        return bad(who + ": a loop is not closed");
    if (p.empty() || p.back().code != OpCode::exit)
        return bad(who + ": its program must end with exit");
    return {};
}

} // namespace

Result<void> validate(const Model &m)
{
    if (m.cpus < 1)
        return bad("the machine has no CPU");
    for (std::size_t a = 0; a < m.affinities.size(); a++) {
        if (a > 0 && m.affinities[a].empty())
            return bad("a task may run on no CPU");
        for (int cpu : m.affinities[a])
            if (cpu < 0 || cpu >= m.cpus)
                return bad("CPU " + std::to_string(cpu) + " does not exist (the machine has " + std::to_string(m.cpus) +
                           " CPUs, 0-" + std::to_string(m.cpus - 1) + ")");
    }
    std::vector<int> in_group(m.tasks.size(), 0);
    for (const SpawnGroup &g : m.groups)
        for (std::uint32_t t : g.tasks) {
            if (t >= m.tasks.size())
                return bad("a spawn group names a task that does not exist");
            in_group[t]++;
        }
    for (std::size_t i = 0; i < m.tasks.size(); i++) {
        const TaskModel &t = m.tasks[i];
        if (t.program >= m.programs.size())
            return bad("task '" + t.comm + "' has no program");
        if (t.affinity >= m.affinities.size())
            return bad("task '" + t.comm + "' has an unknown affinity");
        if (t.weight < 1 || t.weight > 10000)
            return bad("task '" + t.comm + "': weight must be 1 to 10000");
        if ((t.start_ns == NEVER) != (in_group[i] == 1))
            return bad("task '" + t.comm + "' must either start on its own or be spawned by exactly one spawn group");
        if (auto r = check_task(m, i); !r)
            return r;
    }
    return {};
}

} // namespace scx::sim::detail
