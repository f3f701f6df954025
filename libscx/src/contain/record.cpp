// SPDX-License-Identifier: MIT
#include "contain/record.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <new>
#include <sys/mman.h>

namespace scx {

namespace {

template <std::size_t N> void put(char (&dst)[N], std::string_view s)
{
    const std::size_t n = std::min(N - 1, s.size());
    std::memcpy(dst, s.data(), n);
    dst[n] = '\0';
}

} // namespace

void ChildWatch::set_label(const std::string &s) { put(label, s); }

namespace contain {

const char *phase_name(std::uint32_t phase)
{
    switch (static_cast<Phase>(phase)) {
    case Phase::init: return "init()";
    case Phase::schedule: return "schedule()";
    case Phase::exit: return "exit()";
    case Phase::setup: return "setting up";
    case Phase::loading: return "loading (a global or class constructor)";
    case Phase::engine: break;
    }
    return "the simulator";
}

void fail(Record &r, const Error &e)
{
    r.error_exit = static_cast<std::int32_t>(e.exit);
    put(r.message, e.message);
    r.state.store(static_cast<std::uint32_t>(State::failed), std::memory_order_release);
}

void finish(Record &r, const RunExit &e)
{
    r.kind = static_cast<std::uint8_t>(e.kind);
    r.code = e.code;
    put(r.reason, e.reason);
    put(r.message, e.message);
    r.stalled_pid = e.stalled_pid;
    put(r.stalled_comm, e.stalled_comm);
    r.stalled_wait_ns = e.stalled_wait_ns;
    r.state.store(static_cast<std::uint32_t>(State::finished), std::memory_order_release);
}

void set_counters(Record &r, const Counters &c)
{
    r.counters = c;
    r.has_counters = 1;
}

void set_metrics(Record &r, const std::vector<RunMetric> &m)
{
    r.nr_metrics = static_cast<std::uint32_t>(std::min<std::size_t>(m.size(), MAX_METRICS));
    for (std::uint32_t i = 0; i < r.nr_metrics; i++) {
        put(r.metrics[i].name, m[i].name);
        r.metrics[i].value = m[i].value;
        r.metrics[i].integer = m[i].integer;
    }
}

void set_params(Record &r, const std::vector<ParamSetting> &p)
{
    r.nr_params = static_cast<std::uint32_t>(std::min<std::size_t>(p.size(), MAX_PARAMS));
    for (std::uint32_t i = 0; i < r.nr_params; i++) {
        auto &d = r.params[i];
        const ParamSpec &s = p[i].spec;
        put(d.name, s.name);
        put(d.unit, s.unit);
        put(d.description, s.description);
        d.type = s.type == "int" ? 1 : s.type == "real" ? 2 : 3;
        d.def = s.def;
        d.min = s.min;
        d.max = s.max;
        d.value = p[i].value;
    }
}

std::string text(const char *field, std::size_t size) { return std::string(field, strnlen(field, size)); }

std::string policy_name(const Record &r) { return text(r.watch.label, sizeof r.watch.label); }

std::optional<RunExit> read_exit(const Record &r)
{
    if (r.state.load(std::memory_order_acquire) != static_cast<std::uint32_t>(State::finished) ||
        r.kind > static_cast<std::uint8_t>(ExitKind::interrupted))
        return std::nullopt;
    RunExit e;
    e.kind = static_cast<ExitKind>(r.kind);
    e.code = r.code;
    e.reason = text(r.reason, sizeof r.reason);
    e.message = text(r.message, sizeof r.message);
    e.stalled_pid = r.stalled_pid;
    e.stalled_comm = text(r.stalled_comm, sizeof r.stalled_comm);
    e.stalled_wait_ns = r.stalled_wait_ns;
    return e;
}

Error read_error(const Record &r)
{
    Exit x = static_cast<Exit>(r.error_exit);
    // A value outside the known classes (or "ok", which is no error) is
    // the child's confusion: an internal error.
    if (x == Exit::ok || (std::strcmp(exit_name(x), "internal") == 0 && x != Exit::software))
        x = Exit::software;
    return Error(x, text(r.message, sizeof r.message));
}

std::vector<RunMetric> read_metrics(const Record &r)
{
    std::vector<RunMetric> out;
    const std::uint32_t n = std::min<std::uint32_t>(r.nr_metrics, MAX_METRICS);
    for (std::uint32_t i = 0; i < n; i++)
        out.push_back({text(r.metrics[i].name, sizeof r.metrics[i].name), r.metrics[i].value,
                       r.metrics[i].integer != 0});
    return out;
}

std::optional<Counters> read_counters(const Record &r)
{
    if (!r.has_counters)
        return std::nullopt;
    return r.counters;
}

std::vector<ParamSetting> read_params(const Record &r)
{
    std::vector<ParamSetting> out;
    const std::uint32_t n = std::min<std::uint32_t>(r.nr_params, MAX_PARAMS);
    for (std::uint32_t i = 0; i < n; i++) {
        const auto &d = r.params[i];
        static const char *const types[] = {"int", "real", "bool"};
        ParamSetting p;
        p.spec.name = text(d.name, sizeof d.name);
        p.spec.unit = text(d.unit, sizeof d.unit);
        p.spec.description = text(d.description, sizeof d.description);
        if (p.spec.name.empty() || d.type < 1 || d.type > 3 || !std::isfinite(d.def) || !std::isfinite(d.min) ||
            !std::isfinite(d.max) || !std::isfinite(d.value))
            continue;
        p.spec.type = types[d.type - 1];
        p.spec.def = d.def;
        p.spec.min = d.min;
        p.spec.max = d.max;
        p.value = d.value;
        out.push_back(std::move(p));
    }
    return out;
}

Result<SharedRecord> SharedRecord::create()
{
    void *p = ::mmap(nullptr, sizeof(Record), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return errno_error(Exit::software, "cannot map memory shared with the policy's process", errno);
    SharedRecord s;
    s.r_ = new (p) Record();
    return s;
}

SharedRecord::~SharedRecord()
{
    if (r_) {
        r_->~Record();
        ::munmap(r_, sizeof(Record));
    }
}

void SharedRecord::reset()
{
    r_->~Record();
    new (r_) Record();
}

} // namespace contain
} // namespace scx
