// SPDX-License-Identifier: MIT
//
// Machine parameters by name (--machine key=value,...).
#include "base/fs.hpp"
#include "base/parse.hpp"
#include "sim/sim.hpp"

#include <optional>

#include "model.hpp"

namespace scx::sim {

namespace {

enum class Kind { count, duration };

struct Param {
    const char *name;
    Kind kind;
    std::uint64_t min, max;
    std::uint64_t Machine::*u64;
    std::uint32_t Machine::*u32;
    int Machine::*i;
};

const Param PARAMS[] = {
    {"smt", Kind::count, 1, 8, nullptr, nullptr, &Machine::smt},
    {"llc", Kind::count, 0, MAX_CPUS, nullptr, nullptr, &Machine::llc},
    {"hz", Kind::count, 1, 10000, nullptr, &Machine::hz, nullptr},
    {"slice_ns", Kind::duration, 1000, 60 * NSEC_PER_SEC, &Machine::slice_ns, nullptr, nullptr},
    {"cs_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::cs_ns, nullptr, nullptr},
    {"mm_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::mm_ns, nullptr, nullptr},
    {"migrate_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::migrate_ns, nullptr, nullptr},
    {"llc_migrate_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::llc_migrate_ns, nullptr, nullptr},
    {"wake_idle_ns", Kind::duration, 1, NSEC_PER_SEC, &Machine::wake_idle_ns, nullptr, nullptr},
    {"timer_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::timer_ns, nullptr, nullptr},
    {"timer_tail_pct", Kind::count, 0, 100, nullptr, &Machine::timer_tail_pct, nullptr},
    {"timer_tail_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::timer_tail_ns, nullptr, nullptr},
    {"wake_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::wake_ns, nullptr, nullptr},
    {"hop_ns", Kind::duration, 1, NSEC_PER_SEC, &Machine::hop_ns, nullptr, nullptr},
    {"decision_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::decision_ns, nullptr, nullptr},
    {"ring", Kind::count, 1, 1u << 24, nullptr, &Machine::ring, nullptr},
    {"jitter_pct", Kind::count, 0, 90, nullptr, &Machine::jitter_pct, nullptr},
    {"syscall_pct", Kind::count, 1, 1000000, nullptr, &Machine::syscall_pct, nullptr},
    {"socket_pct", Kind::count, 1, 1000000, nullptr, &Machine::socket_pct, nullptr},
    {"syscall_ns", Kind::duration, 0, NSEC_PER_SEC, &Machine::syscall_ns, nullptr, nullptr},
    {"lock_pct", Kind::count, 0, 100, nullptr, &Machine::lock_pct, nullptr},
};

std::string names()
{
    std::string s;
    for (const Param &p : PARAMS)
        s += (s.empty() ? "" : ", ") + std::string(p.name);
    return s;
}

} // namespace

Result<void> set_machine_param(Machine &m, std::string_view key, std::string_view value)
{
    for (const Param &p : PARAMS) {
        if (key != p.name)
            continue;
        const std::string v(value);
        std::uint64_t x = 0;
        bool ok = false;
        if (p.kind == Kind::duration) {
            auto d = detail::parse_duration(v, p.name);
            ok = d.ok();
            if (ok)
                x = *d;
        } else {
            auto n = detail::parse_count(v, p.min, p.max);
            ok = n.has_value();
            if (ok)
                x = *n;
        }
        if (!ok || x < p.min || x > p.max)
            return Error(Exit::usage, "invalid value '" + v + "' for machine parameter " + p.name + " (" +
                                          (p.kind == Kind::duration ? "a duration" : "an integer") + " from " +
                                          std::to_string(p.min) + " to " + std::to_string(p.max) +
                                          (p.kind == Kind::duration ? " ns)" : ")"));
        if (p.u64)
            m.*p.u64 = x;
        else if (p.u32)
            m.*p.u32 = static_cast<std::uint32_t>(x);
        else
            m.*p.i = static_cast<int>(x);
        return {};
    }
    return Error(Exit::usage, "unknown machine parameter '" + std::string(key) + "' (known: " + names() + ")");
}

Result<void> set_machine_file(Machine &m, const std::string &path)
{
    auto text = read_file(path);
    if (!text)
        return Error(text.error().exit, "machine file: " + text.error().message);
    long line_no = 0;
    for (const std::string_view raw : split(*text, '\n')) {
        line_no++;
        std::string_view line = raw.substr(0, raw.find('#'));
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.empty())
            continue;
        if (auto r = set_machine_params(m, line); !r)
            return Error(r.error().exit, path + ":" + std::to_string(line_no) + ": " + r.error().message);
    }
    return {};
}

Result<void> set_machine_option(Machine &m, const std::string &arg)
{
    return arg.find('=') == std::string::npos ? set_machine_file(m, arg) : set_machine_params(m, arg);
}

Result<void> set_machine_params(Machine &m, std::string_view list)
{
    for (const std::string_view item : split(list, ',')) {
        const auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return Error(Exit::usage, "machine parameter '" + std::string(item) + "' is not key=value (e.g. smt=2,hz=1000)");
        if (auto r = set_machine_param(m, item.substr(0, eq), item.substr(eq + 1)); !r)
            return r;
    }
    return {};
}

namespace {

// The EEVDF tunables, by name, in report order.
struct EevdfParam {
    const char *name;
    Kind kind;
    std::uint64_t min, max;
    std::uint64_t EevdfParams::*u64;
    std::uint32_t EevdfParams::*u32;
};

const EevdfParam EEVDF_PARAMS[] = {
    {"base_slice_ns", Kind::duration, 100'000, 100 * NSEC_PER_MSEC, &EevdfParams::base_slice_ns, nullptr},
    {"scale_slice", Kind::count, 0, 1, nullptr, &EevdfParams::scale_slice},
    {"migration_cost_ns", Kind::duration, 0, NSEC_PER_SEC, &EevdfParams::migration_cost_ns, nullptr},
    {"lazy_preempt", Kind::count, 0, 1, nullptr, &EevdfParams::lazy_preempt},
    {"delay_dequeue", Kind::count, 0, 1, nullptr, &EevdfParams::delay_dequeue},
    {"run_to_parity", Kind::count, 0, 1, nullptr, &EevdfParams::run_to_parity},
    {"preempt_short", Kind::count, 0, 1, nullptr, &EevdfParams::preempt_short},
    {"hrtick", Kind::count, 0, 1, nullptr, &EevdfParams::hrtick},
    {"ttwu_queue", Kind::count, 0, 1, nullptr, &EevdfParams::ttwu_queue},
    {"busy_factor", Kind::count, 1, 1000, nullptr, &EevdfParams::busy_factor},
};

} // namespace

Result<void> set_eevdf_param(EevdfParams &p, std::string_view key, std::string_view value)
{
    for (const EevdfParam &e : EEVDF_PARAMS) {
        if (key != e.name)
            continue;
        const std::string v(value);
        std::optional<std::uint64_t> x;
        if (e.kind == Kind::duration) {
            if (auto d = detail::parse_duration(v, e.name))
                x = *d;
        } else {
            x = detail::parse_count(v, e.min, e.max);
        }
        if (!x || *x < e.min || *x > e.max)
            return Error(Exit::usage, "invalid value '" + v + "' for EEVDF parameter " + e.name + " (" +
                                          (e.kind == Kind::duration ? "a duration" : "an integer") + " from " +
                                          std::to_string(e.min) + " to " + std::to_string(e.max) +
                                          (e.kind == Kind::duration ? " ns)" : ")"));
        if (e.u64)
            p.*e.u64 = *x;
        else
            p.*e.u32 = static_cast<std::uint32_t>(*x);
        return {};
    }
    std::string known;
    for (const EevdfParam &e : EEVDF_PARAMS)
        known += (known.empty() ? "" : ", ") + std::string(e.name);
    return Error(Exit::usage, "unknown EEVDF parameter '" + std::string(key) + "' (known: " + known + ")");
}

Result<void> set_eevdf_params(EevdfParams &p, std::string_view list)
{
    for (const std::string_view item : split(list, ',')) {
        const auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return Error(Exit::usage, "EEVDF parameter '" + std::string(item) +
                                          "' is not key=value (e.g. base_slice_ns=750us,lazy_preempt=0)");
        if (auto r = set_eevdf_param(p, item.substr(0, eq), item.substr(eq + 1)); !r)
            return r;
    }
    return {};
}

std::vector<std::pair<std::string, std::uint64_t>> eevdf_params(const EevdfParams &p)
{
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const EevdfParam &e : EEVDF_PARAMS)
        out.emplace_back(e.name, e.u64 ? p.*e.u64 : p.*e.u32);
    return out;
}

std::vector<std::pair<std::string, std::uint64_t>> machine_params(const Machine &m)
{
    std::vector<std::pair<std::string, std::uint64_t>> out;
    out.emplace_back("cpus", static_cast<std::uint64_t>(m.cpus));
    for (const Param &p : PARAMS) {
        std::uint64_t v = 0;
        if (p.u64)
            v = m.*p.u64;
        else if (p.u32)
            v = m.*p.u32;
        else
            v = static_cast<std::uint64_t>(m.*p.i);
        out.emplace_back(p.name, v);
    }
    return out;
}

} // namespace scx::sim
