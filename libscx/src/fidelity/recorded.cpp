// SPDX-License-Identifier: MIT
// A fidelity document read back: its plan and its kernel side, so that the
// simulator can be compared again (other costs, another model) without
// running the kernel again (scx-fidelity --against).
#include "fidelity/fidelity.hpp"

#include "base/fs.hpp"
#include "base/json.hpp"
#include "base/stats.hpp"

#include <cmath>
#include <limits>

namespace scx::fidelity {

namespace j = json;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

Error bad(const std::string &path, const std::string &what)
{
    return Error(Exit::data, path + ": " + what);
}

// An array of strings; false when it is something else.
bool strings_of(const json_t *a, std::vector<std::string> &out)
{
    if (!json_is_array(a))
        return false;
    for (std::size_t i = 0; i < json_array_size(a); i++) {
        const json_t *s = json_array_get(a, i);
        if (!json_is_string(s))
            return false;
        out.emplace_back(json_string_value(s));
    }
    return true;
}

double number_or_nan(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NaN;
}

Result<Scheduler> scheduler_of(const json_t *o, const std::string &path, const std::string &policy_dir)
{
    const char *label = j::get_string(o, "label"), *kind = j::get_string(o, "kind");
    if (!label || !kind)
        return bad(path, "a scheduler without a label or a kind");
    Scheduler s;
    s.label = label;
    const std::string k = kind;
    if (k == "default")
        s.kind = RunRequest::Scheduler::builtin;
    else if (k == "bpf-only")
        s.kind = RunRequest::Scheduler::bpf_only;
    else if (k == "policy")
        s.kind = RunRequest::Scheduler::policy;
    else
        return bad(path, "scheduler " + s.label + " has an unknown kind '" + k + "'");
    if (!strings_of(json_object_get(o, "simulator_options"), s.sim_options))
        return bad(path, "scheduler " + s.label + ": simulator_options is not a list of strings");
    if (const json_t *params = json_object_get(o, "simulator_params"); json_is_object(params)) {
        const char *name;
        json_t *v;
        json_object_foreach(const_cast<json_t *>(params), name, v) {
            if (!json_is_string(v))
                return bad(path, "scheduler " + s.label + ": a simulator parameter is not a string");
            s.sim_params.emplace_back(name, json_string_value(v));
        }
    }
    if (s.kind == RunRequest::Scheduler::bpf_only) {
        // The simulator's BPF-only mode has no policy. Documents recorded
        // when the FIFO policy stood in for it name that policy with its
        // options and parameters: what the simulator does today replaces
        // them.
        s.sim_options.clear();
        s.sim_params.clear();
    }
    if (s.kind != RunRequest::Scheduler::policy)
        return s;
    const char *p = j::get_string(o, "path");
    if (!p)
        return bad(path, "scheduler " + s.label + " has no path");
    // The policy where the document ran it, else by its name here.
    s.path = p;
    if (!file_exists(s.path)) {
        const std::string here = policy_dir + "/" + basename_of(s.path);
        if (!file_exists(here))
            return Error(Exit::no_input, path + ": scheduler " + s.label + ": neither " + s.path + " nor " + here +
                                             " exists (--policy-dir DIR: where to find it)");
        s.path = here;
    }
    return s;
}

Result<Side> kernel_side_of(const json_t *o, const std::string &path, const std::string &where)
{
    Side s;
    if (!json_is_object(o))
        return bad(path, where + ": no kernel side");
    const json_t *values = json_object_get(o, "values");
    if (!json_is_array(values))
        return bad(path, where + ": the kernel's values are not a list");
    for (std::size_t i = 0; i < json_array_size(values); i++) {
        const json_t *v = json_array_get(values, i);
        if (!json_is_number(v))
            return bad(path, where + ": a kernel value is not a number");
        s.values.push_back(json_number_value(v));
    }
    if (!strings_of(json_object_get(o, "failures"), s.failures))
        return bad(path, where + ": the kernel's failures are not a list of strings");
    s.median = number_or_nan(o, "median");
    if (json_t *model = json_object_get(o, "model"); json_is_object(model)) {
        const char *name;
        json_t *v;
        json_object_foreach(model, name, v)
            if (json_is_number(v))
                s.model[name] = json_number_value(v);
    }
    return s;
}

} // namespace

Result<Report> read_document(const std::string &path, const std::string &policy_dir)
{
    auto doc = j::parse_file(path);
    if (!doc)
        return std::move(doc).error();
    const json_t *d = doc->get();
    if (auto r = j::check_schema(d, "scxkit.fidelity", 1, path); !r)
        return r.error();

    Report rep;
    rep.recorded_from = path;
    Plan &plan = rep.plan;
    const json_t *kernel = json_object_get(d, "kernel"), *sim = json_object_get(d, "simulator");
    if (!json_is_object(kernel) || !json_is_object(sim))
        return bad(path, "no kernel or simulator object");
    const char *backend = j::get_string(kernel, "backend");
    if (!backend || (std::string(backend) != "vm" && std::string(backend) != "kernel"))
        return bad(path, "the kernel's backend is neither vm nor kernel");
    plan.kernel = std::string(backend) == "vm" ? BackendKind::vm : BackendKind::kernel;
    const char *release = j::get_string(kernel, "release"), *accel = j::get_string(kernel, "accelerator");
    rep.kernel_release = release ? release : "";
    rep.accelerator = accel ? accel : "";
    rep.kernel_cpus = static_cast<int>(j::get_int(kernel, "cpus"));
    if (!strings_of(json_object_get(kernel, "options"), plan.kernel_options) ||
        !strings_of(json_object_get(sim, "options"), plan.sim_options))
        return bad(path, "the kernel's or the simulator's options are not a list of strings");
    plan.cpus = static_cast<int>(j::get_int(sim, "cpus"));
    plan.seed = static_cast<std::uint64_t>(j::get_int(sim, "seed", 1));
    plan.runs = static_cast<int>(j::get_int(d, "runs"));
    if (plan.cpus < 1 || plan.runs < 1)
        return bad(path, "no CPUs or no runs");

    const json_t *scheds = json_object_get(d, "schedulers");
    for (std::size_t i = 0; i < json_array_size(scheds); i++) {
        auto s = scheduler_of(json_array_get(scheds, i), path, policy_dir);
        if (!s)
            return std::move(s).error();
        plan.schedulers.push_back(std::move(*s));
    }
    if (plan.schedulers.empty() || plan.schedulers.front().kind != RunRequest::Scheduler::builtin)
        return bad(path, "the first scheduler is not default");

    const json_t *workloads = json_object_get(d, "workloads");
    for (std::size_t wi = 0; wi < json_array_size(workloads); wi++) {
        const json_t *w = json_array_get(workloads, wi);
        const char *spec = j::get_string(w, "workload"), *metric = j::get_string(w, "metric");
        if (!spec || !metric)
            return bad(path, "a workload without a name or a metric");
        auto workload = parse_workload(std::string(spec) + "@" + metric);
        if (!workload)
            return bad(path, workload.error().message);
        const json_t *cells = json_object_get(w, "cells");
        if (json_array_size(cells) != plan.schedulers.size())
            return bad(path, std::string(spec) + ": not one cell per scheduler");
        WorkloadResult wr;
        wr.workload = std::move(*workload);
        wr.cells.resize(plan.schedulers.size());
        for (std::size_t si = 0; si < plan.schedulers.size(); si++) {
            const json_t *c = json_array_get(cells, si);
            const char *label = j::get_string(c, "scheduler");
            if (!label || label != plan.schedulers[si].label)
                return bad(path, std::string(spec) + ": cell " + std::to_string(si + 1) + " is not " +
                                     plan.schedulers[si].label + "'s");
            auto k = kernel_side_of(json_object_get(c, "kernel"), path, std::string(spec) + ", " + label);
            if (!k)
                return std::move(k).error();
            wr.cells[si].kernel = std::move(*k);
        }
        plan.workloads.push_back(wr.workload);
        rep.workloads.push_back(std::move(wr));
    }
    if (plan.workloads.empty())
        return bad(path, "no workloads");
    return rep;
}

Result<Report> read_documents(const std::vector<std::string> &paths, const std::string &policy_dir)
{
    if (paths.empty())
        return Error(Exit::usage, "no document");
    auto first = read_document(paths.front(), policy_dir);
    if (!first)
        return std::move(first).error();
    Report out = std::move(*first);
    // The model figures of each document, for the median of their medians.
    std::vector<std::vector<std::map<std::string, std::vector<double>>>> model(out.workloads.size());
    auto note_model = [&](const Report &r) {
        for (std::size_t wi = 0; wi < r.workloads.size(); wi++) {
            model[wi].resize(r.workloads[wi].cells.size());
            for (std::size_t si = 0; si < r.workloads[wi].cells.size(); si++)
                for (const auto &[name, v] : r.workloads[wi].cells[si].kernel.model)
                    model[wi][si][name].push_back(v);
        }
    };
    note_model(out);
    for (std::size_t i = 1; i < paths.size(); i++) {
        auto r = read_document(paths[i], policy_dir);
        if (!r)
            return std::move(r).error();
        const std::string both = paths.front() + " and " + paths[i];
        if (r->kernel_release != out.kernel_release || r->accelerator != out.accelerator ||
            r->kernel_cpus != out.kernel_cpus || r->plan.kernel != out.plan.kernel)
            return Error(Exit::usage, both + " measured different kernels (" + out.kernel_release + ", " +
                                          std::to_string(out.kernel_cpus) + " CPUs, " + out.accelerator + " against " +
                                          r->kernel_release + ", " + std::to_string(r->kernel_cpus) + " CPUs, " +
                                          r->accelerator + ")");
        bool same = r->plan.schedulers.size() == out.plan.schedulers.size() &&
                    r->workloads.size() == out.workloads.size() && r->plan.cpus == out.plan.cpus;
        for (std::size_t si = 0; same && si < out.plan.schedulers.size(); si++)
            same = r->plan.schedulers[si].label == out.plan.schedulers[si].label &&
                   r->plan.schedulers[si].kind == out.plan.schedulers[si].kind;
        for (std::size_t wi = 0; same && wi < out.workloads.size(); wi++)
            same = r->workloads[wi].workload.spec == out.workloads[wi].workload.spec &&
                   r->workloads[wi].workload.metric == out.workloads[wi].workload.metric;
        if (!same)
            return Error(Exit::usage, both + " are not the same matrix (schedulers, workloads, CPUs)");
        for (std::size_t wi = 0; wi < out.workloads.size(); wi++)
            for (std::size_t si = 0; si < out.plan.schedulers.size(); si++) {
                Side &into = out.workloads[wi].cells[si].kernel;
                const Side &from = r->workloads[wi].cells[si].kernel;
                into.values.insert(into.values.end(), from.values.begin(), from.values.end());
                into.failures.insert(into.failures.end(), from.failures.begin(), from.failures.end());
            }
        note_model(*r);
        out.recorded_from += ", " + paths[i];
        out.wall_s += r->wall_s;
    }
    if (paths.size() > 1)
        for (std::size_t wi = 0; wi < out.workloads.size(); wi++)
            for (std::size_t si = 0; si < out.plan.schedulers.size(); si++) {
                Side &k = out.workloads[wi].cells[si].kernel;
                k.median = k.values.empty() ? NaN : stats::median(k.values);
                for (const auto &[name, xs] : model[wi][si])
                    k.model[name] = stats::median(xs);
            }
    return out;
}

} // namespace scx::fidelity
