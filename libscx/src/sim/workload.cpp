// SPDX-License-Identifier: MIT
//
// Naming a workload on the command line, and building it.
#include "workload.hpp"

#include "base/fs.hpp"
#include "base/parse.hpp"


namespace scx::sim {

namespace {

struct Builtin {
    BuiltinInfo info;
    Result<detail::Model> (*build)(detail::Params &, const Machine &);
};

const std::vector<Builtin> &builtins()
{
    static const std::vector<Builtin> list = {
        {{"messaging", "perf bench sched messaging: groups of 20 senders and 20 receivers"}, detail::build_messaging},
        {{"cpu", "CPU hogs for a fixed time (fairness, weights)"}, detail::build_cpu},
        {{"latency", "schbench-like: message threads wake workers (wake-up latency)"}, detail::build_latency},
        {{"interactive", "periodic short bursts beside CPU hogs"}, detail::build_interactive},
        {{"fork", "make-like DAG of jobs spawned with a parallelism limit"}, detail::build_fork},
    };
    return list;
}

std::string builtin_names()
{
    std::string s;
    for (const Builtin &b : builtins())
        s += (s.empty() ? "" : ", ") + std::string(b.info.name);
    return s;
}

} // namespace

struct WorkloadFactory {
    static Workload make(detail::Model m)
    {
        Workload w;
        w.model_ = std::make_shared<const detail::Model>(std::move(m));
        return w;
    }
};

const std::vector<BuiltinInfo> &builtin_workloads()
{
    static const std::vector<BuiltinInfo> infos = [] {
        std::vector<BuiltinInfo> v;
        for (const Builtin &b : builtins())
            v.push_back(b.info);
        return v;
    }();
    return infos;
}

const std::string &Workload::name() const { return model_->name; }
const std::vector<std::pair<std::string, std::string>> &Workload::params() const { return model_->params; }
const std::string &Workload::throughput_unit() const { return model_->throughput_unit; }
std::size_t Workload::nr_tasks() const { return model_->tasks.size(); }

Result<WorkloadSpec> parse_workload_spec(std::string_view arg)
{
    WorkloadSpec spec;
    const std::string s(arg);
    if (s.empty())
        return Error(Exit::usage, "empty workload name (built-in workloads: " + builtin_names() + ")");
    // A built-in name, with or without parameters; anything else is a file.
    const std::string head = s.substr(0, s.find(':'));
    bool builtin = false;
    for (const Builtin &b : builtins())
        builtin = builtin || head == b.info.name;
    if (!builtin) {
        if (s.find('/') != std::string::npos || (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0)) {
            spec.path = s;
            return spec;
        }
        return Error(Exit::usage, "unknown workload '" + head + "' (built-in workloads: " + builtin_names() +
                                      "; or the path of a JSON workload file)");
    }
    const auto colon = s.find(':');
    spec.name = s.substr(0, colon);
    if (colon != std::string::npos) {
        for (const std::string_view item : split(std::string_view(s).substr(colon + 1), ',')) {
            const auto eq = item.find('=');
            if (eq == std::string_view::npos || eq == 0)
                return Error(Exit::usage, "workload parameter '" + std::string(item) + "' is not key=value (e.g. " +
                                              spec.name + ":groups=2,loops=10)");
            spec.params.emplace_back(item.substr(0, eq), item.substr(eq + 1));
        }
    }
    return spec;
}

Result<Workload> load_workload(const WorkloadSpec &spec, const Machine &machine)
{
    if (!spec.path.empty()) {
        auto text = read_file(spec.path);
        if (!text)
            return std::move(text).error();
        return parse_workload(*text, spec.path, machine);
    }
    for (const Builtin &b : builtins()) {
        if (spec.name != b.info.name)
            continue;
        detail::Params p(spec.name, spec.params);
        auto m = b.build(p, machine);
        if (!m)
            return std::move(m).error();
        if (auto r = p.finish(); !r)
            return std::move(r).error();
        m->name = spec.name;
        m->params = p.resolved;
        m->cpus = machine.cpus;
        if (auto r = detail::validate(*m); !r)
            return Error(Exit::software, "built-in workload " + spec.name + ": " + r.error().message);
        return WorkloadFactory::make(std::move(*m));
    }
    return Error(Exit::usage, "unknown workload '" + spec.name + "' (built-in workloads: " + builtin_names() +
                                  "; or the path of a JSON workload file)");
}

Result<Workload> parse_workload(std::string_view json_text, const std::string &source, const Machine &machine)
{
    auto m = detail::build_from_json(json_text, source, machine);
    if (!m)
        return std::move(m).error();
    m->cpus = machine.cpus;
    if (auto r = detail::validate(*m); !r)
        return Error(Exit::data, source + ": " + r.error().message);
    return WorkloadFactory::make(std::move(*m));
}

} // namespace scx::sim

