// SPDX-License-Identifier: MIT
// The documents of `scx-run POLICY.so`: statistics lines and the final
// report, as JSON (scxkit.run/1, mode "kernel") and as text.
#include "kernel/host.hpp"

#include "run/run_doc.hpp"

#include "base/strformat.hpp"

#include <cinttypes>

namespace scx::kernel {

json::Value stats_json(const StatsLine &line)
{
    auto o = json::object();
    json::set(o.get(), "type", "stats");
    json::set(o.get(), "time_s", line.time_s);
    // The counters at the top level of a stats line.
    json_object_update(o.get(), run_doc::counters(line.stats.counters).get());
    json::set(o.get(), "nr_enqueued", line.stats.nr_enqueued);
    json::set(o.get(), "nr_sched_dispatches", line.stats.nr_sched_dispatches);
    json::set(o.get(), "decisions_per_s", line.decisions_per_s);
    return o;
}

json::Value report_json(const RunReport &r)
{
    auto doc = json::object();
    json::set(doc.get(), "schema", json::schema_id("scxkit.run", 1));
    json::set(doc.get(), "type", "final");
    json::set(doc.get(), "mode", "kernel");
    json::set(doc.get(), "policy", r.policy);
    if (r.policy_path.empty())
        json::set_null(doc.get(), "policy_path");
    else
        json::set(doc.get(), "policy_path", r.policy_path);

    auto ex = json::object();
    json::set(ex.get(), "kind", r.exit.kind);
    json::set(ex.get(), "code", static_cast<std::int64_t>(r.exit.code));
    json::set(ex.get(), "reason", r.exit.reason);
    json::set(ex.get(), "message", r.exit.message);
    json::set(doc.get(), "exit", ex);

    const Counters &c = r.stats.counters;
    json::set(doc.get(), "counters", run_doc::counters(c));

    auto m = json::object();
    json::set(m.get(), "duration_s", r.duration_s);
    json::set(m.get(), "load_s", r.load_s);
    json::set(m.get(), "attach_s", r.attach_s);
    json::set(m.get(), "detach_s", r.detach_s);
    json::set(m.get(), "decisions_per_s",
              r.duration_s > 0 ? static_cast<double>(c.nr_user_dispatches) / r.duration_s : 0.0);
    json::set(m.get(), "kernel_dispatches_per_s",
              r.duration_s > 0 ? static_cast<double>(c.nr_kernel_dispatches) / r.duration_s : 0.0);
    json::set(m.get(), "nr_enqueued", r.stats.nr_enqueued);
    json::set(m.get(), "nr_sched_dispatches", r.stats.nr_sched_dispatches);
    json::set(m.get(), "nr_heartbeats", r.stats.nr_heartbeats);
    json::set(m.get(), "nr_wakeups_sent", r.stats.nr_wakeups_sent);
    json::set(m.get(), "schedule_calls", r.schedule_calls);
    json::set(m.get(), "restarts", r.restarts);
    json::set(m.get(), "denied_syscalls", r.denied_syscalls);
    json::set(m.get(), "worker_minor_faults", r.worker_minor_faults);
    json::set(m.get(), "worker_major_faults", r.worker_major_faults);
    json::set(m.get(), "heap_bytes", r.heap_bytes);
    json::set(doc.get(), "metrics", m);

    auto host = json::object();
    json::set(host.get(), "kernel", r.kernel);
    json::set(host.get(), "user", r.user);
    json::set(doc.get(), "host", host);
    return doc;
}


std::string stats_text(const StatsLine &l)
{
    const Counters &c = l.stats.counters;
    return strformat("%8.1fs  queued %-5" PRIu64 " running %-3" PRIu64 " user %-9" PRIu64 " kernel %-9" PRIu64
                  " cancel %-5" PRIu64 " bounce %-5" PRIu64 " congestion %-5" PRIu64 " %.0f decisions/s\n",
                  l.time_s, c.nr_queued, c.nr_running, c.nr_user_dispatches, c.nr_kernel_dispatches,
                  c.nr_cancel_dispatches, c.nr_bounce_dispatches, c.nr_congestion, l.decisions_per_s);
}

std::string report_text(const RunReport &r)
{
    const Counters &c = r.stats.counters;
    std::string out = strformat("policy %s on %s, %.3f s as user %s\n", r.policy.c_str(), r.kernel.c_str(), r.duration_s,
                             r.user.c_str());
    out += strformat("  decisions: %" PRIu64 " by the policy (%.0f/s), %" PRIu64 " in BPF, %" PRIu64
                  " cancelled, %" PRIu64 " bounced, %" PRIu64 " failed, %" PRIu64 " congestion\n",
                  c.nr_user_dispatches,
                  r.duration_s > 0 ? static_cast<double>(c.nr_user_dispatches) / r.duration_s : 0.0,
                  c.nr_kernel_dispatches, c.nr_cancel_dispatches, c.nr_bounce_dispatches, c.nr_failed_dispatches,
                  c.nr_congestion);
    out += strformat("  load %.3f s, attach %.3f s, detach %.3f s, restarts %" PRIu64 "\n", r.load_s, r.attach_s,
                  r.detach_s, r.restarts);
    out += strformat("  exit: %s%s%s\n", r.exit.kind.c_str(), r.exit.reason.empty() ? "" : ": ", r.exit.reason.c_str());
    if (!r.exit.message.empty() && r.exit.message != r.exit.reason)
        out += "  " + r.exit.message + "\n";
    return out;
}

} // namespace scx::kernel
