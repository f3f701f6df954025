// SPDX-License-Identifier: MIT
#include "run/run_doc.hpp"

#include <cstdio>

namespace scx::run_doc {

json::Value counters(const Counters &c)
{
    auto o = json::object();
    json::set(o.get(), "nr_queued", c.nr_queued);
    json::set(o.get(), "nr_scheduled", c.nr_scheduled);
    json::set(o.get(), "nr_running", c.nr_running);
    json::set(o.get(), "nr_online_cpus", c.nr_online_cpus);
    json::set(o.get(), "nr_user_dispatches", c.nr_user_dispatches);
    json::set(o.get(), "nr_kernel_dispatches", c.nr_kernel_dispatches);
    json::set(o.get(), "nr_cancel_dispatches", c.nr_cancel_dispatches);
    json::set(o.get(), "nr_bounce_dispatches", c.nr_bounce_dispatches);
    json::set(o.get(), "nr_failed_dispatches", c.nr_failed_dispatches);
    json::set(o.get(), "nr_congestion", c.nr_congestion);
    return o;
}

namespace {

std::string scalar(const json_t *v)
{
    char buf[64];
    if (json_is_integer(v)) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(json_integer_value(v)));
        return buf;
    }
    if (json_is_real(v)) {
        std::snprintf(buf, sizeof buf, "%.6g", json_real_value(v));
        return buf;
    }
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    return "-";
}

void line(std::string &out, const char *key, const std::string &value)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-28s ", key);
    out += buf;
    out += value;
    out += '\n';
}

void section(std::string &out, const char *title, const json_t *obj, const char *unit_key = nullptr,
             const std::string &unit = "")
{
    if (!json_is_object(obj) || json_object_size(obj) == 0)
        return;
    out += title;
    out += ":\n";
    const char *key;
    json_t *v;
    json_object_foreach(const_cast<json_t *>(obj), key, v) {
        std::string value = scalar(v);
        if (unit_key && std::string(key) == unit_key && !unit.empty())
            value += " " + unit;
        out += "  ";
        line(out, key, value);
    }
}

} // namespace

std::string render_table(const json_t *doc)
{
    std::string out;
    const json_t *w = json_object_get(doc, "workload");
    std::string policy = scalar(json_object_get(doc, "policy"));
    if (const char *p = json::get_string(doc, "policy_path"))
        policy += "  (" + std::string(p) + ")";
    line(out, "policy", policy);
    std::string wl = scalar(json_object_get(w, "name"));
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(w, "params"), key, v)
        wl += std::string("  ") + key + "=" + scalar(v);
    line(out, "workload", wl);
    std::string mode = scalar(json_object_get(doc, "mode"));
    line(out, "mode", mode + ", " + scalar(json_object_get(doc, "cpus")) + " CPUs, seed " +
                          scalar(json_object_get(doc, "seed")));
    const json_t *ex = json_object_get(doc, "exit");
    std::string exit = scalar(json_object_get(ex, "kind"));
    const char *reason = json::get_string(ex, "reason");
    const char *msg = json::get_string(ex, "message");
    if (reason && *reason)
        exit += std::string(": ") + reason;
    if (msg && *msg)
        exit += std::string(" (") + msg + ")";
    line(out, "exit", exit);
    const char *unit = json::get_string(w, "throughput_unit");
    section(out, "metrics", json_object_get(doc, "metrics"), "throughput", unit ? unit : "");
    section(out, "counters", json_object_get(doc, "counters"));
    return out;
}

} // namespace scx::run_doc
