// SPDX-License-Identifier: MIT
// Running a native workload, and its figures under the simulator's names.
#include "native/run.hpp"

#include "base/json.hpp"
#include "base/parse.hpp"
#include "native/workloads.hpp"
#include "run/report.hpp"
#include "sim/model.hpp"

#include <sched.h>
#include <sys/prctl.h>

#include <cerrno>
#include <cstdio>

namespace scx::native {

namespace {

constexpr int SCHED_EXT_POLICY = 7; // SCHED_EXT (not in older libc headers)

struct Shape {
    std::uint32_t tasks = 0;
    std::uint64_t processes = 0;
    const char *tasks_are = "processes";
    std::vector<std::string> roles;
};

Shape shape_of(const Params &params)
{
    Shape s;
    if (const auto *c = std::get_if<CpuParams>(&params)) {
        s.tasks = static_cast<std::uint32_t>(c->tasks);
        s.processes = c->tasks;
        s.roles = {"hog"};
    } else if (const auto *i = std::get_if<InteractiveParams>(&params)) {
        s.tasks = static_cast<std::uint32_t>(i->tasks + i->hogs);
        s.processes = s.tasks;
        s.roles = {"interactive", "hog"};
    } else if (const auto *l = std::get_if<LatencyParams>(&params)) {
        s.tasks = static_cast<std::uint32_t>(l->groups * (l->workers + 1));
        s.processes = l->groups;
        s.tasks_are = "threads";
        s.roles = {"message", "worker"};
    } else if (const auto *f = std::get_if<ForkParams>(&params)) {
        s.tasks = static_cast<std::uint32_t>(f->jobs + 1);
        s.processes = f->jobs;
        s.roles = {"job", "make"};
    }
    return s;
}

double secs(std::uint64_t ns) { return static_cast<double>(ns) / 1e9; }

// The figures of the simulator's run document (sim/metrics.cpp) that a real
// run can measure, with the same names and definitions.
std::vector<RunMetric> metrics_of(const Workload &w, const Stage &st, const detail::Timing &t, bool schedstat)
{
    const Board &b = st.board();
    std::uint64_t items = 0, cpu = 0, wait = 0, slices = 0, last = t.start_ns;
    double sum = 0, sum_sq = 0;
    std::size_t n = 0;
    for (std::uint32_t i = 0; i < b.nr_tasks; i++) {
        const TaskRecord &r = st.record(i);
        items += r.items;
        cpu += r.cpu_ns;
        wait += r.wait_ns;
        slices += r.timeslices;
        last = std::max(last, r.end_ns);
        // Jain's index on the weight-normalised share while it wanted a CPU.
        const double demand = static_cast<double>(r.cpu_ns) + static_cast<double>(r.wait_ns);
        if (demand > 0) {
            const double x = static_cast<double>(r.cpu_ns) / demand * 100.0 /
                             static_cast<double>(sim::detail::nice_to_weight(r.nice));
            sum += x;
            sum_sq += x * x;
            n++;
        }
    }
    const std::uint64_t duration = w.timed ? std::visit([](const auto &p) -> std::uint64_t {
        if constexpr (requires { p.duration_ns; })
            return p.duration_ns;
        else
            return 0;
    }, w.params) : 0;
    const std::uint64_t span = w.timed ? duration : t.end_ns - t.start_ns;
    const std::uint64_t elapsed = (w.timed ? last : t.end_ns) - t.start_ns;

    std::vector<RunMetric> m;
    auto num = [&](const char *name, double v) { m.push_back(RunMetric{name, v, false}); };
    auto cnt = [&](const char *name, std::uint64_t v) { m.push_back(RunMetric{name, static_cast<double>(v), true}); };
    num("makespan_s", secs(span));
    num("throughput", span ? static_cast<double>(items) / secs(span) : 0.0);
    cnt("work_items", items);
    num("elapsed_s", secs(elapsed));
    cnt("wakeups", b.all.count());
    cnt("wakeup_latency_p50_ns", b.all.quantile(0.50));
    cnt("wakeup_latency_p90_ns", b.all.quantile(0.90));
    cnt("wakeup_latency_p99_ns", b.all.quantile(0.99));
    cnt("wakeup_latency_p999_ns", b.all.quantile(0.999));
    cnt("wakeup_latency_max_ns", b.all.max());
    num("wakeup_latency_mean_ns", b.all.mean());
    if (schedstat) {
        num("run_delay_mean_ns", slices ? static_cast<double>(wait) / static_cast<double>(slices) : 0.0);
        num("run_delay_total_s", secs(wait));
        num("fairness_jain", n && sum_sq > 0 ? sum * sum / (static_cast<double>(n) * sum_sq) : 1.0);
    }
    num("task_cpu_s", secs(cpu));
    cnt("tasks", b.nr_tasks);
    return m;
}

Report report_of(const Workload &w, unsigned cpus, const RunOptions &opts, double loops_per_us, const Stage &st,
                 const detail::Timing &t)
{
    const Shape shape = shape_of(w.params);
    const Board &b = st.board();
    Report r;
    r.workload = w;
    r.cpus = cpus;
    r.seed = opts.seed;
    r.loops_per_us = loops_per_us;
    r.tasks_are = shape.tasks_are;
    r.processes = shape.processes;
    r.schedstat = b.nr_tasks > 0;
    for (std::uint32_t i = 0; i < b.nr_tasks; i++)
        r.schedstat = r.schedstat && st.record(i).schedstat;
    r.metrics = metrics_of(w, st, t, r.schedstat);
    for (std::size_t k = 0; k < shape.roles.size(); k++) {
        RoleReport role;
        role.name = shape.roles[k];
        const LatencyHistogram &h = b.roles[k];
        role.wakeups = h.count();
        role.p50_ns = h.quantile(0.50);
        role.p90_ns = h.quantile(0.90);
        role.p99_ns = h.quantile(0.99);
        role.p999_ns = h.quantile(0.999);
        role.max_ns = h.max();
        role.mean_ns = h.mean();
        r.roles.push_back(role);
    }
    for (std::uint32_t i = 0; i < b.nr_tasks; i++) {
        const TaskRecord &rec = st.record(i);
        TaskReport task;
        task.role = shape.roles[static_cast<std::size_t>(rec.role)];
        task.pid = rec.pid;
        task.tid = rec.tid;
        task.nice = rec.nice;
        task.items = rec.items;
        task.wakeups = rec.wakeups;
        task.timeslices = rec.timeslices;
        task.cpu_s = secs(rec.cpu_ns);
        if (r.schedstat)
            task.wait_s = secs(rec.wait_ns);
        RoleReport &role = r.roles[static_cast<std::size_t>(rec.role)];
        role.tasks++;
        role.items += rec.items;
        role.cpu_s += task.cpu_s;
        r.tasks.push_back(std::move(task));
    }
    return r;
}

// For the run: timer slack 1 ns (a sleep ends when it is due, not up to
// 50 us later: the simulator has no slack) and, if asked, SCHED_EXT; both
// inherited by every task, both put back afterwards.
class Setting {
public:
    Result<void> apply(bool sched_ext)
    {
        slack_ = ::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        ::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
        if (sched_ext) {
            policy_ = ::sched_getscheduler(0);
            ::sched_getparam(0, &param_);
            struct sched_param p {};
            if (::sched_setscheduler(0, SCHED_EXT_POLICY, &p) < 0)
                return errno_error(Exit::unavailable, "switching to SCHED_EXT (a kernel with sched_ext is needed)",
                                   errno);
        }
        return {};
    }
    ~Setting()
    {
        if (slack_ > 0)
            ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(slack_), 0, 0, 0);
        if (policy_ >= 0)
            ::sched_setscheduler(0, policy_, &param_);
    }

private:
    int slack_ = -1, policy_ = -1;
    struct sched_param param_ {};
};

} // namespace

Result<Report> run(const Workload &w, unsigned cpus, const RunOptions &opts)
{
    const Shape shape = shape_of(w.params);
    auto stage = Stage::make(shape.tasks);
    if (!stage)
        return std::move(stage).error();
    const Spinner sp = opts.loops_per_us > 0 ? Spinner(opts.loops_per_us) : Spinner::calibrate();
    Setting setting;
    if (auto r = setting.apply(opts.sched_ext); !r)
        return std::move(r).error();
    Result<detail::Timing> t = Error(Exit::software, "no workload ran");
    if (const auto *c = std::get_if<CpuParams>(&w.params))
        t = detail::run_cpu(*stage, *c, sp, opts.seed);
    else if (const auto *i = std::get_if<InteractiveParams>(&w.params))
        t = detail::run_interactive(*stage, *i, sp, opts.seed);
    else if (const auto *l = std::get_if<LatencyParams>(&w.params))
        t = detail::run_latency(*stage, *l, sp, opts.seed);
    else if (const auto *f = std::get_if<ForkParams>(&w.params))
        t = detail::run_fork(*stage, *f, sp, opts.seed);
    if (!t)
        return std::move(t).error();
    return report_of(w, cpus, opts, sp.loops_per_us(), *stage, *t);
}

std::string report_json(const Report &r, bool pretty)
{
    namespace j = scx::json;
    auto doc = j::object();
    j::set(doc.get(), "schema", j::schema_id("scxkit.native", 1));
    auto w = j::object();
    j::set(w.get(), "name", r.workload.name);
    auto params = j::object();
    for (const auto &[k, v] : r.workload.resolved) {
        // As the simulator's run document: plain integers as numbers.
        if (auto n = parse_int(v, INT64_MIN, INT64_MAX); n && v[0] != ' ' && v[0] != '+' && (v[0] != '0' || v.size() == 1))
            j::set(params.get(), k.c_str(), static_cast<std::int64_t>(*n));
        else
            j::set(params.get(), k.c_str(), v);
    }
    j::set(w.get(), "params", params);
    j::set(w.get(), "tasks", static_cast<std::uint64_t>(r.tasks.size()));
    j::set(w.get(), "tasks_are", r.tasks_are);
    j::set(w.get(), "processes", r.processes);
    j::set(w.get(), "throughput_unit", r.workload.throughput_unit);
    j::set(doc.get(), "workload", w);
    j::set(doc.get(), "cpus", static_cast<std::uint64_t>(r.cpus));
    j::set(doc.get(), "seed", r.seed);
    j::set(doc.get(), "loops_per_us", r.loops_per_us);
    j::set(doc.get(), "schedstat", r.schedstat);
    j::set(doc.get(), "metrics", metrics_value(r.metrics));
    auto roles = j::array();
    for (const RoleReport &role : r.roles) {
        auto o = j::object();
        j::set(o.get(), "name", role.name);
        j::set(o.get(), "tasks", role.tasks);
        j::set(o.get(), "work_items", role.items);
        j::set(o.get(), "cpu_s", role.cpu_s);
        j::set(o.get(), "wakeups", role.wakeups);
        j::set(o.get(), "wakeup_latency_p50_ns", role.p50_ns);
        j::set(o.get(), "wakeup_latency_p90_ns", role.p90_ns);
        j::set(o.get(), "wakeup_latency_p99_ns", role.p99_ns);
        j::set(o.get(), "wakeup_latency_p999_ns", role.p999_ns);
        j::set(o.get(), "wakeup_latency_max_ns", role.max_ns);
        j::set(o.get(), "wakeup_latency_mean_ns", role.mean_ns);
        j::append(roles.get(), o);
    }
    j::set(doc.get(), "roles", roles);
    auto tasks = j::array();
    for (const TaskReport &t : r.tasks) {
        auto o = j::object();
        j::set(o.get(), "role", t.role);
        j::set(o.get(), "pid", t.pid);
        j::set(o.get(), "tid", t.tid);
        j::set(o.get(), "nice", t.nice);
        j::set(o.get(), "work_items", t.items);
        j::set(o.get(), "wakeups", t.wakeups);
        j::set(o.get(), "cpu_s", t.cpu_s);
        if (t.wait_s)
            j::set(o.get(), "wait_s", *t.wait_s);
        else
            j::set_null(o.get(), "wait_s");
        j::set(o.get(), "timeslices", t.timeslices);
        j::append(tasks.get(), o);
    }
    j::set(doc.get(), "tasks", tasks);
    return j::dump(doc.get(), pretty);
}

std::string report_text(const Report &r)
{
    std::string params;
    for (const auto &[k, v] : r.workload.resolved)
        params += (params.empty() ? "" : ",") + k + "=" + v;
    char line[256];
    std::snprintf(line, sizeof line, "%s:%s (%zu tasks, %s, %llu processes; defaults for %u CPUs)\n",
                  r.workload.name.c_str(), params.c_str(), r.tasks.size(), r.tasks_are.c_str(),
                  static_cast<unsigned long long>(r.processes), r.cpus);
    std::string s = line;
    for (const RunMetric &m : r.metrics) {
        if (m.integer)
            std::snprintf(line, sizeof line, "  %-24s %.0f\n", m.name.c_str(), m.value);
        else
            std::snprintf(line, sizeof line, "  %-24s %.6g%s\n", m.name.c_str(), m.value,
                          m.name == "throughput" ? (" " + r.workload.throughput_unit).c_str() : "");
        s += line;
    }
    for (const RoleReport &role : r.roles) {
        std::snprintf(line, sizeof line, "  %s: %llu tasks, %llu work items, %.3f CPU-s, %llu wake-ups (p50 %llu ns, "
                                         "p99 %llu ns)\n",
                      role.name.c_str(), static_cast<unsigned long long>(role.tasks),
                      static_cast<unsigned long long>(role.items), role.cpu_s,
                      static_cast<unsigned long long>(role.wakeups), static_cast<unsigned long long>(role.p50_ns),
                      static_cast<unsigned long long>(role.p99_ns));
        s += line;
    }
    return s;
}

} // namespace scx::native
