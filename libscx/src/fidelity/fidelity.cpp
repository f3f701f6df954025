// SPDX-License-Identifier: MIT
// The fidelity matrix: plan, runs on both sides, medians, ratios, tau.
#include "fidelity/fidelity.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "bench/bench.hpp"
#include "native/workload.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

namespace scx::fidelity {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

Scheduler policy(const std::string &path)
{
    std::string label = basename_of(path);
    if (label.ends_with(".so"))
        label.resize(label.size() - 3);
    return {label, RunRequest::Scheduler::policy, path, {}, {}};
}

Scheduler bpf_fifo() { return {"bpf-fifo", RunRequest::Scheduler::bpf_only, "", {}, {}}; }

// The labels ordered best first by their medians (runs that all failed last).
std::vector<std::string> order(const Plan &plan, const WorkloadResult &w, bool sim)
{
    std::vector<std::size_t> idx(plan.schedulers.size());
    std::iota(idx.begin(), idx.end(), 0);
    const bool lower = w.workload.direction == stats::Direction::lower_is_better;
    auto key = [&](std::size_t i) {
        const double m = sim ? w.cells[i].sim.median : w.cells[i].kernel.median;
        return std::isnan(m) ? std::numeric_limits<double>::infinity() : lower ? m : -m;
    };
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    std::vector<std::string> out;
    for (std::size_t i : idx)
        out.push_back(plan.schedulers[i].label);
    return out;
}

void summarise(Side &s, const std::map<std::string, std::vector<double>> &model)
{
    s.median = s.values.empty() ? NaN : stats::median(s.values);
    for (const auto &[name, xs] : model)
        if (!xs.empty())
            s.model[name] = stats::median(xs);
}

// One run; the compared metric and the model metrics into their lists.
Result<void> one(Backend &backend, const RunRequest &req, const std::string &metric, Side &side,
                 std::map<std::string, std::vector<double>> &model, Report *kernel_info)
{
    auto r = backend.run(req);
    if (!r) {
        // A policy that failed before it ran fails this run only.
        if (r.error().exit != Exit::failure)
            return r.error();
        side.failures.push_back(r.error().message);
        return {};
    }
    if (r->exit.kind == ExitKind::interrupted)
        return Error(Exit::interrupted, "interrupted");
    if (kernel_info && kernel_info->kernel_release.empty()) {
        kernel_info->kernel_release = r->host.kernel;
        kernel_info->accelerator = r->host.accelerator;
        kernel_info->kernel_cpus = r->host.cpus;
    }
    if (!r->ok()) {
        side.failures.push_back(r->exit.message.empty() ? exit_kind_name(r->exit.kind) : r->exit.message);
        return {};
    }
    if (r->command && (r->command->exit_code != 0 || r->command->signal)) {
        side.failures.push_back("the workload failed (exit status " + std::to_string(r->command->exit_code) +
                                ", signal " + std::to_string(r->command->signal) + ")");
        return {};
    }
    const RunMetric *m = r->metric(metric);
    if (!m)
        return Error(Exit::data, "the run's report has no metric '" + metric + "'");
    side.values.push_back(m->value);
    for (const std::string &name : MODEL_METRICS)
        if (const RunMetric *x = r->metric(name))
            model[name].push_back(x->value);
    return {};
}

// Ratios to default, the ratio agreement and Kendall's tau-b between the
// sides; the kernel against itself (medians of its odd and even runs).
void compare(WorkloadResult &wr)
{
    const Cell &ref = wr.cells.front();
    std::vector<double> xs, ys;
    for (Cell &c : wr.cells) {
        c.sim.ratio = ref.sim.median > 0 ? c.sim.median / ref.sim.median : NaN;
        c.kernel.ratio = ref.kernel.median > 0 ? c.kernel.median / ref.kernel.median : NaN;
        c.agreement = c.kernel.ratio > 0 ? c.sim.ratio / c.kernel.ratio - 1 : NaN;
        if (&c != &ref) {
            const stats::Ratio q =
                stats::ratio_of_ratios(c.sim.values, ref.sim.values, c.kernel.values, ref.kernel.values);
            if (q.ci_defined())
                c.agreement_ci = {q.ci.low - 1, q.ci.high - 1};
        }
        if (!std::isnan(c.sim.median) && !std::isnan(c.kernel.median)) {
            xs.push_back(c.sim.median);
            ys.push_back(c.kernel.median);
        }
    }
    wr.kendall = stats::kendall(xs, ys);
    std::vector<double> odd, even;
    for (const Cell &cell : wr.cells) {
        std::vector<double> o, e;
        for (std::size_t i = 0; i < cell.kernel.values.size(); i++)
            (i % 2 ? e : o).push_back(cell.kernel.values[i]);
        if (o.empty() || e.empty())
            continue;
        odd.push_back(stats::median(o));
        even.push_back(stats::median(e));
    }
    wr.kernel_self = stats::kendall(odd, even);
}

} // namespace

Plan default_plan(const std::string &policy_dir)
{
    Plan p;
    p.schedulers.push_back({"default", RunRequest::Scheduler::builtin, "", {}, {}});
    for (const char *name : {"fifo", "vruntime", "latency"})
        p.schedulers.push_back(policy(policy_dir + "/" + name + ".so"));
    p.schedulers.push_back(bpf_fifo());
    for (const char *spec : {"messaging:groups=2,loops=100,thread=1", "messaging:groups=2,loops=100,pipe=1",
                             "cpu:duration=1s", "latency:duration=1s", "interactive:duration=1s"})
        p.workloads.push_back(*parse_workload(spec));
    return p;
}

Result<Workload> parse_workload(const std::string &arg)
{
    Workload w;
    const auto at = arg.find('@');
    w.spec = arg.substr(0, at);
    w.metric = at == std::string::npos ? bench::default_sim_metric(w.spec) : arg.substr(at + 1);
    if (w.spec.empty() || w.metric.empty())
        return Error(Exit::usage, "bad workload '" + arg + "' (WORKLOAD[:KEY=VALUE,...][@METRIC])");
    // The kernel side must be able to run it: a native workload, spelled right.
    if (auto cmd = native::native_workload_command(w.spec); !cmd)
        return std::move(cmd).error();
    auto d = bench::infer_direction(w.metric);
    if (!d)
        return Error(Exit::usage, "cannot tell whether a lower or a higher " + w.metric + " is better");
    w.direction = *d;
    return w;
}

Result<Scheduler> parse_scheduler(const std::string &arg)
{
    if (arg == "default")
        return Scheduler{"default", RunRequest::Scheduler::builtin, "", {}, {}};
    if (arg == "bpf-fifo")
        return bpf_fifo();
    if (!file_exists(arg))
        return Error(Exit::no_input, "no such policy: " + arg);
    return policy(arg);
}

Result<Side> run_sim(const Plan &plan, const Scheduler &s, const Workload &w, const std::vector<std::string> &extra,
                     const volatile std::sig_atomic_t *cancel)
{
    std::vector<std::string> opts = {"--cpus=" + std::to_string(plan.cpus)};
    for (const auto *list : {&plan.sim_options, &s.sim_options, &extra})
        opts.insert(opts.end(), list->begin(), list->end());
    auto backend = make_backend(BackendKind::sim, opts);
    if (!backend)
        return std::move(backend).error();
    Side side;
    std::map<std::string, std::vector<double>> model;
    for (int i = 1; i <= plan.runs; i++) {
        if (cancel && *cancel)
            return Error(Exit::interrupted, "interrupted");
        RunRequest req;
        req.cancel = cancel;
        req.workload = w.spec;
        req.scheduler = s.kind;
        req.seed = plan.seed + static_cast<std::uint64_t>(i - 1);
        // The BPF-only FIFO has no policy (documents recorded when the
        // simulator stood in for it with the FIFO policy name its parameters).
        if (s.kind == RunRequest::Scheduler::policy) {
            req.policy_path = s.path;
            req.params = s.sim_params;
        }
        if (auto r = one(**backend, req, w.metric, side, model, nullptr); !r)
            return r.error();
    }
    summarise(side, model);
    return side;
}

Result<Report> run(const Plan &plan, const Progress &progress, const volatile std::sig_atomic_t *cancel,
                   const Report *recorded)
{
    if (plan.schedulers.empty() || plan.schedulers.front().kind != RunRequest::Scheduler::builtin)
        return Error(Exit::usage, "the first scheduler must be default, the reference");
    if (recorded && (recorded->workloads.size() != plan.workloads.size() ||
                     recorded->plan.schedulers.size() != plan.schedulers.size()))
        return Error(Exit::usage, "the plan is not the recorded document's");
    const std::uint64_t start = monotonic_ns();
    Report rep;
    rep.plan = plan;

    std::unique_ptr<Backend> kernel;
    if (recorded) {
        rep.kernel_release = recorded->kernel_release;
        rep.accelerator = recorded->accelerator;
        rep.kernel_cpus = recorded->kernel_cpus;
        rep.recorded_from = recorded->recorded_from;
    } else {
        std::vector<std::string> kopts = plan.kernel_options;
        if (plan.kernel == BackendKind::vm)
            kopts.push_back("--cpus=" + std::to_string(plan.cpus));
        auto k = make_backend(plan.kernel, kopts);
        if (!k)
            return std::move(k).error();
        kernel = std::move(*k);
    }

    for (std::size_t wi = 0; wi < plan.workloads.size(); wi++) {
        const Workload &w = plan.workloads[wi];
        WorkloadResult wr;
        wr.workload = w;
        wr.cells.resize(plan.schedulers.size());
        // The simulator: deterministic, so one scheduler after the other.
        for (std::size_t si = 0; si < plan.schedulers.size(); si++) {
            if (progress)
                progress(wi, 0, plan.schedulers[si].label, "sim");
            auto side = run_sim(plan, plan.schedulers[si], w, {}, cancel);
            if (!side)
                return std::move(side).error();
            wr.cells[si].sim = std::move(*side);
        }
        if (recorded) {
            for (std::size_t si = 0; si < plan.schedulers.size(); si++)
                wr.cells[si].kernel = recorded->workloads[wi].cells[si].kernel;
        } else {
            // The kernel: the same work, natively, interleaved.
            std::vector<std::map<std::string, std::vector<double>>> kernel_model(plan.schedulers.size());
            for (int i = 1; i <= plan.runs; i++) {
                for (std::size_t si = 0; si < plan.schedulers.size(); si++) {
                    const Scheduler &s = plan.schedulers[si];
                    if (cancel && *cancel)
                        return Error(Exit::interrupted, "interrupted");
                    RunRequest req;
                    req.cancel = cancel;
                    req.workload = w.spec;
                    req.scheduler = s.kind;
                    req.policy_path = s.kind == RunRequest::Scheduler::policy ? s.path : "";
                    if (progress)
                        progress(wi, i, s.label, "kernel");
                    if (auto r = one(*kernel, req, w.metric, wr.cells[si].kernel, kernel_model[si], &rep); !r)
                        return r.error();
                }
            }
            for (std::size_t si = 0; si < plan.schedulers.size(); si++)
                summarise(wr.cells[si].kernel, kernel_model[si]);
        }
        compare(wr);
        rep.overall.add(wr.kendall);
        rep.kernel_self.add(wr.kernel_self);
        wr.sim_order = order(plan, wr, true);
        wr.kernel_order = order(plan, wr, false);
        rep.workloads.push_back(std::move(wr));
    }
    rep.wall_s = static_cast<double>(monotonic_ns() - start) / 1e9;
    return rep;
}

} // namespace scx::fidelity
