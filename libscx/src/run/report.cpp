// SPDX-License-Identifier: MIT
//
// The two printers of a RunReport: the scxkit.run/1 document (scx-json(5))
// and the table for a person; and the statistics lines of a kernel run.
// The simulator's document holds no wall-clock value: the same seed, policy
// and workload give the same bytes.
#include <scx/run.hpp>

#include "run/report.hpp"

#include "base/json.hpp"
#include "base/strformat.hpp"
#include "policy/params.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace scx {

const char *backend_name(BackendKind k)
{
    switch (k) {
    case BackendKind::check: return "check";
    case BackendKind::sim: return "sim";
    case BackendKind::kernel: return "kernel";
    case BackendKind::vm: return "vm";
    }
    return "unknown";
}

const char *exit_kind_name(ExitKind k)
{
    switch (k) {
    case ExitKind::done: return "done";
    case ExitKind::stall: return "stall";
    case ExitKind::error: return "error";
    case ExitKind::crash: return "crash";
    case ExitKind::hang: return "hang";
    case ExitKind::limit: return "limit";
    case ExitKind::deadlock: return "deadlock";
    case ExitKind::ejected: return "ejected";
    case ExitKind::sandbox: return "sandbox";
    case ExitKind::oom: return "oom";
    case ExitKind::timeout: return "timeout";
    case ExitKind::exited: return "exited";
    case ExitKind::interrupted: return "interrupted";
    }
    return "unknown";
}

int exit_status(ExitKind k)
{
    switch (k) {
    case ExitKind::done: return 0;
    case ExitKind::interrupted: return static_cast<int>(Exit::interrupted);
    default: return static_cast<int>(Exit::failure);
    }
}

const RunMetric *RunReport::metric(const std::string &name) const
{
    for (const RunMetric &m : metrics)
        if (m.name == name)
            return &m;
    return nullptr;
}

namespace {

namespace j = json;

// Workload parameters are strings; those that are plain numbers are
// written as numbers ("10", not "010" or "5ms").
bool plain_number(const std::string &v, long long *n)
{
    char *end = nullptr;
    *n = std::strtoll(v.c_str(), &end, 10);
    return !v.empty() && *end == '\0' && (v[0] != '0' || v.size() == 1);
}

j::Value counters_json(const Counters &c)
{
    auto o = j::object();
    j::set(o.get(), "nr_queued", c.nr_queued);
    j::set(o.get(), "nr_scheduled", c.nr_scheduled);
    j::set(o.get(), "nr_running", c.nr_running);
    j::set(o.get(), "nr_online_cpus", c.nr_online_cpus);
    j::set(o.get(), "nr_user_dispatches", c.nr_user_dispatches);
    j::set(o.get(), "nr_kernel_dispatches", c.nr_kernel_dispatches);
    j::set(o.get(), "nr_cancel_dispatches", c.nr_cancel_dispatches);
    j::set(o.get(), "nr_bounce_dispatches", c.nr_bounce_dispatches);
    j::set(o.get(), "nr_failed_dispatches", c.nr_failed_dispatches);
    j::set(o.get(), "nr_congestion", c.nr_congestion);
    return o;
}

// Every counter by name, in the document's order.
std::vector<std::pair<const char *, std::uint64_t>> counter_list(const Counters &c)
{
    return {{"nr_queued", c.nr_queued},
            {"nr_scheduled", c.nr_scheduled},
            {"nr_running", c.nr_running},
            {"nr_online_cpus", c.nr_online_cpus},
            {"nr_user_dispatches", c.nr_user_dispatches},
            {"nr_kernel_dispatches", c.nr_kernel_dispatches},
            {"nr_cancel_dispatches", c.nr_cancel_dispatches},
            {"nr_bounce_dispatches", c.nr_bounce_dispatches},
            {"nr_failed_dispatches", c.nr_failed_dispatches},
            {"nr_congestion", c.nr_congestion}};
}

j::Value sim_workload_json(const SimRunInfo &s)
{
    auto w = j::object();
    j::set(w.get(), "name", s.workload);
    auto params = j::object();
    for (const auto &[k, v] : s.params) {
        long long n;
        if (plain_number(v, &n))
            j::set(params.get(), k.c_str(), static_cast<std::int64_t>(n));
        else
            j::set(params.get(), k.c_str(), v);
    }
    j::set(w.get(), "params", params);
    j::set(w.get(), "tasks", s.tasks);
    j::set(w.get(), "throughput_unit", s.throughput_unit);
    return w;
}

} // namespace

json::Value metrics_value(const std::vector<RunMetric> &metrics)
{
    auto out = j::object();
    for (const RunMetric &m : metrics) {
        if (m.integer)
            j::set(out.get(), m.name.c_str(), static_cast<std::uint64_t>(m.value));
        else
            j::set(out.get(), m.name.c_str(), m.value);
    }
    return out;
}

json::Value param_json(const std::string &type, double value)
{
    if (type == "bool")
        return j::Value::steal(json_boolean(value != 0));
    if (type == "int" && value >= -9.2e18 && value <= 9.2e18)
        return j::Value::steal(json_integer(static_cast<json_int_t>(value)));
    return j::Value::steal(json_real(value));
}

json::Value params_value(const std::vector<ParamSetting> &params)
{
    auto o = j::object();
    for (const ParamSetting &p : params)
        j::set(o.get(), p.spec.name.c_str(), param_json(p.spec.type, p.value));
    return o;
}

json::Value report_value(const RunReport &r)
{
    const bool sim = r.host.backend == BackendKind::sim;
    auto doc = j::object();
    j::set(doc.get(), "schema", j::schema_id("scxkit.run", 1));
    j::set(doc.get(), "type", "final");
    j::set(doc.get(), "mode", backend_name(r.host.backend));
    j::set(doc.get(), "policy", r.policy);
    if (r.policy_path.empty() && !sim)
        j::set_null(doc.get(), "policy_path");
    else
        j::set(doc.get(), "policy_path", r.policy_path);
    if (!r.params.empty())
        j::set(doc.get(), "params", params_value(r.params));
    if (r.sim) {
        j::set(doc.get(), "workload", sim_workload_json(*r.sim));
        j::set(doc.get(), "seed", r.sim->seed);
        j::set(doc.get(), "cpus", r.host.cpus);
        auto machine = j::object();
        for (const auto &[k, v] : r.sim->machine)
            j::set(machine.get(), k.c_str(), v);
        j::set(doc.get(), "machine", machine);
        j::set(doc.get(), "watchdog_ns", r.sim->watchdog_ns);
        if (!r.sim->scheduler_params.empty()) {
            auto p = j::object();
            for (const auto &[k, v] : r.sim->scheduler_params)
                j::set(p.get(), k.c_str(), v);
            j::set(doc.get(), "eevdf", p);
        }
    }

    auto e = j::object();
    j::set(e.get(), "kind", exit_kind_name(r.exit.kind));
    if (!sim)
        j::set(e.get(), "code", r.exit.code);
    j::set(e.get(), "reason", r.exit.reason);
    j::set(e.get(), "message", r.exit.message);
    if (r.exit.kind == ExitKind::stall && r.exit.stalled_pid != 0) {
        auto st = j::object();
        j::set(st.get(), "pid", static_cast<std::int64_t>(r.exit.stalled_pid));
        j::set(st.get(), "comm", r.exit.stalled_comm);
        j::set(st.get(), "waited_ns", r.exit.stalled_wait_ns);
        j::set(e.get(), "stalled", st);
    }
    j::set(doc.get(), "exit", e);

    j::set(doc.get(), "counters", r.counters ? counters_json(*r.counters) : j::object());
    j::set(doc.get(), "metrics", metrics_value(r.metrics));

    if (!sim) {
        auto host = j::object();
        j::set(host.get(), "kernel", r.host.kernel);
        j::set(host.get(), "user", r.host.user);
        j::set(host.get(), "cpus", r.host.cpus);
        if (!r.host.accelerator.empty())
            j::set(host.get(), "accelerator", r.host.accelerator);
        if (r.host.backend == BackendKind::vm)
            j::set(host.get(), "reboots", r.host.reboots);
        j::set(doc.get(), "host", host);
    }
    if (r.command) {
        const CommandRun &c = *r.command;
        auto o = j::object();
        auto argv = j::array();
        for (const std::string &a : c.argv)
            j::append(argv.get(), j::string(a));
        j::set(o.get(), "argv", argv);
        j::set(o.get(), "exit_code", c.exit_code);
        j::set(o.get(), "signal", c.signal);
        j::set(o.get(), "timed_out", c.timed_out);
        j::set(o.get(), "wall_s", c.wall_s);
        j::set(o.get(), "user_s", c.user_s);
        j::set(o.get(), "system_s", c.system_s);
        if (c.captured) {
            j::set(o.get(), "stdout", j::string(c.out));
            j::set(o.get(), "stderr", j::string(c.err));
        }
        j::set(doc.get(), "command", o);
    }
    if (r.sched_ext) {
        auto o = j::object();
        j::set(o.get(), "before", r.sched_ext->before);
        j::set(o.get(), "after", r.sched_ext->after);
        j::set(o.get(), "after_stop", r.sched_ext->after_stop);
        j::set(doc.get(), "sched_ext", o);
    }
    return doc;
}

namespace {

void line(std::string &out, const char *key, const std::string &value)
{
    out += strformat("%-28s ", key);
    out += value;
    out += '\n';
}

std::string number(double v, bool integer)
{
    if (integer)
        return strformat("%lld", static_cast<long long>(static_cast<std::uint64_t>(v)));
    return strformat("%.6g", v);
}

} // namespace

std::string report_json(const RunReport &r, bool pretty) { return j::dump(report_value(r).get(), pretty); }

std::string report_table(const RunReport &r)
{
    std::string out;
    line(out, "policy", r.policy + (r.policy_path.empty() ? "" : "  (" + r.policy_path + ")"));
    if (r.sim) {
        std::string wl = r.sim->workload;
        for (const auto &[k, v] : r.sim->params)
            wl += "  " + k + "=" + v;
        line(out, "workload", wl);
        line(out, "mode", strformat("sim, %d CPUs, seed %" PRIu64, r.host.cpus, r.sim->seed));
    } else {
        line(out, "workload", r.command ? join(r.command->argv) : "none (until stopped)");
        line(out, "mode", strformat("%s %s, %d CPUs, policy as %s", backend_name(r.host.backend), r.host.kernel.c_str(),
                                    r.host.cpus, r.host.user.c_str()));
    }
    std::string exit = exit_kind_name(r.exit.kind);
    if (!r.exit.reason.empty())
        exit += ": " + r.exit.reason;
    if (!r.exit.message.empty())
        exit += " (" + r.exit.message + ")";
    line(out, "exit", exit);
    if (!r.params.empty()) {
        out += "params:\n";
        for (const ParamSetting &p : r.params) {
            out += "  ";
            line(out, p.spec.name.c_str(),
                 param_value_text(p.spec.type, p.value) + (p.spec.unit.empty() ? "" : " " + p.spec.unit));
        }
    }
    if (!r.metrics.empty()) {
        out += "metrics:\n";
        for (const RunMetric &m : r.metrics) {
            std::string v = number(m.value, m.integer);
            if (r.sim && m.name == "throughput" && !r.sim->throughput_unit.empty())
                v += " " + r.sim->throughput_unit;
            out += "  ";
            line(out, m.name.c_str(), v);
        }
    }
    if (r.counters) {
        out += "counters:\n";
        for (const auto &[name, v] : counter_list(*r.counters)) {
            out += "  ";
            line(out, name, strformat("%" PRIu64, v));
        }
    }
    if (r.command)
        line(out, "command",
             r.command->signal ? "killed by signal " + std::to_string(r.command->signal)
                               : strformat("exit status %d, %.3f s", r.command->exit_code, r.command->wall_s));
    return out;
}

namespace {

Counters counters_from(const json_t *o)
{
    Counters c;
    auto u = [&](const char *k) { return static_cast<std::uint64_t>(j::get_int(o, k)); };
    c.nr_queued = u("nr_queued");
    c.nr_scheduled = u("nr_scheduled");
    c.nr_running = u("nr_running");
    c.nr_online_cpus = u("nr_online_cpus");
    c.nr_user_dispatches = u("nr_user_dispatches");
    c.nr_kernel_dispatches = u("nr_kernel_dispatches");
    c.nr_cancel_dispatches = u("nr_cancel_dispatches");
    c.nr_bounce_dispatches = u("nr_bounce_dispatches");
    c.nr_failed_dispatches = u("nr_failed_dispatches");
    c.nr_congestion = u("nr_congestion");
    return c;
}

std::string str(const json_t *o, const char *k)
{
    const char *v = j::get_string(o, k);
    return v ? v : "";
}

} // namespace

Result<RunReport> parse_report(std::string_view text)
{
    auto doc = j::parse(text, "run report");
    if (!doc)
        return std::move(doc).error();
    const json_t *d = doc->get();
    if (auto ok = j::check_schema(d, "scxkit.run", 1, "run report"); !ok)
        return std::move(ok).error();
    RunReport r;
    const std::string mode = str(d, "mode");
    bool known = false;
    for (BackendKind k : {BackendKind::check, BackendKind::sim, BackendKind::kernel, BackendKind::vm})
        if (mode == backend_name(k)) {
            r.host.backend = k;
            known = true;
        }
    if (!known)
        return Error(Exit::data, "run report: unknown mode '" + mode + "'");
    r.policy = str(d, "policy");
    r.policy_path = str(d, "policy_path");
    const json_t *e = json_object_get(d, "exit");
    const std::string kind = str(e, "kind");
    known = false;
    for (int k = 0; k <= static_cast<int>(ExitKind::interrupted); k++)
        if (kind == exit_kind_name(static_cast<ExitKind>(k))) {
            r.exit.kind = static_cast<ExitKind>(k);
            known = true;
        }
    if (!known)
        return Error(Exit::data, "run report: unknown exit kind '" + kind + "'");
    r.exit.code = j::get_int(e, "code");
    r.exit.reason = str(e, "reason");
    r.exit.message = str(e, "message");
    if (const json_t *st = json_object_get(e, "stalled"); json_is_object(st)) {
        r.exit.stalled_pid = static_cast<std::int32_t>(j::get_int(st, "pid"));
        r.exit.stalled_comm = str(st, "comm");
        r.exit.stalled_wait_ns = static_cast<std::uint64_t>(j::get_int(st, "waited_ns"));
    }
    const json_t *counters = json_object_get(d, "counters");
    if (json_is_object(counters) && json_object_size(counters) > 0)
        r.counters = counters_from(counters);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(d, "metrics"), key, v) if (json_is_number(v))
        r.metrics.push_back({key, json_number_value(v), json_is_integer(v) != 0});
    if (const json_t *h = json_object_get(d, "host")) {
        r.host.kernel = str(h, "kernel");
        r.host.user = str(h, "user");
        r.host.cpus = static_cast<int>(j::get_int(h, "cpus"));
        r.host.accelerator = str(h, "accelerator");
    } else {
        r.host.cpus = static_cast<int>(j::get_int(d, "cpus"));
    }
    if (const json_t *c = json_object_get(d, "command")) {
        CommandRun cr;
        size_t i;
        json_array_foreach(json_object_get(c, "argv"), i, v) if (json_is_string(v)) cr.argv.push_back(json_string_value(v));
        cr.exit_code = static_cast<int>(j::get_int(c, "exit_code", -1));
        cr.signal = static_cast<int>(j::get_int(c, "signal"));
        cr.timed_out = j::get_bool(c, "timed_out");
        cr.wall_s = j::get_number(c, "wall_s");
        cr.user_s = j::get_number(c, "user_s");
        cr.system_s = j::get_number(c, "system_s");
        if (json_object_get(c, "stdout")) {
            cr.captured = true;
            cr.out = str(c, "stdout");
            cr.err = str(c, "stderr");
        }
        r.command = std::move(cr);
    }
    json_object_foreach(json_object_get(d, "params"), key, v)
    {
        ParamSetting p;
        p.spec.name = key;
        if (json_is_boolean(v)) {
            p.spec.type = "bool";
            p.value = json_is_true(v) ? 1 : 0;
        } else if (json_is_number(v)) {
            p.spec.type = json_is_integer(v) ? "int" : "real";
            p.value = json_number_value(v);
        } else {
            return Error(Exit::data, std::string("run report: parameter '") + key + "' is not a number or boolean");
        }
        p.spec.def = p.spec.min = p.spec.max = p.value;
        r.params.push_back(std::move(p));
    }
    if (const json_t *s = json_object_get(d, "sched_ext"))
        r.sched_ext = SchedExtChecks{str(s, "before"), str(s, "after"), str(s, "after_stop")};
    return r;
}

std::optional<StatsLine> parse_stats(std::string_view line)
{
    auto doc = j::parse(line, "stats line");
    if (!doc || str(doc->get(), "type") != "stats")
        return std::nullopt;
    StatsLine l;
    l.time_s = j::get_number(doc->get(), "time_s");
    l.counters = counters_from(doc->get());
    l.nr_enqueued = static_cast<std::uint64_t>(j::get_int(doc->get(), "nr_enqueued"));
    l.nr_sched_dispatches = static_cast<std::uint64_t>(j::get_int(doc->get(), "nr_sched_dispatches"));
    l.decisions_per_s = j::get_number(doc->get(), "decisions_per_s");
    return l;
}

std::string stats_json(const StatsLine &l)
{
    auto o = j::object();
    j::set(o.get(), "type", "stats");
    j::set(o.get(), "time_s", l.time_s);
    // The counters at the top level of a stats line.
    json_object_update(o.get(), counters_json(l.counters).get());
    j::set(o.get(), "nr_enqueued", l.nr_enqueued);
    j::set(o.get(), "nr_sched_dispatches", l.nr_sched_dispatches);
    j::set(o.get(), "decisions_per_s", l.decisions_per_s);
    return j::dump(o.get(), false);
}

std::string stats_text(const StatsLine &l)
{
    const Counters &c = l.counters;
    return strformat("%8.1fs  queued %-5" PRIu64 " running %-3" PRIu64 " user %-9" PRIu64 " kernel %-9" PRIu64
                     " cancel %-5" PRIu64 " bounce %-5" PRIu64 " congestion %-5" PRIu64 " %.0f decisions/s\n",
                     l.time_s, c.nr_queued, c.nr_running, c.nr_user_dispatches, c.nr_kernel_dispatches,
                     c.nr_cancel_dispatches, c.nr_bounce_dispatches, c.nr_congestion, l.decisions_per_s);
}

} // namespace scx
