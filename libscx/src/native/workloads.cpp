// SPDX-License-Identifier: MIT
// The four native workloads, task by task as sim/workload_builtin.cpp builds
// them: the same tasks, the same loops, the same draws of work and sleep.
#include "native/workloads.hpp"

#include "base/clock.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <optional>

namespace scx::native::detail {

namespace {

constexpr std::uint64_t MS = 1'000'000;
constexpr std::size_t THREAD_STACK = 128 * 1024;

// A CPU hog: 1 ms units of CPU work until the deadline, each counted as a
// work item (cpu) or not (interactive's hogs).
void hog(Task &t, bool items)
{
    while (t.spin(MS) && !t.past_deadline())
        if (items)
            t.item();
}

// A task in its own process: ready, body, measured.
int solo(Stage &st, std::uint32_t index, const Spinner &sp, std::uint64_t seed, void (*body)(Task &, const void *),
         const void *arg)
{
    Task t(st.board(), index, sp, seed);
    if (!t.ready())
        return t.record().state == TASK_FAILED ? 1 : 0;
    body(t, arg);
    t.finish();
    return 0;
}

} // namespace

Result<Timing> run_cpu(Stage &st, const CpuParams &p, const Spinner &sp, std::uint64_t seed)
{
    for (std::uint32_t i = 0; i < p.tasks; i++) {
        st.record(i).role = 0;
        st.record(i).nice = p.nice[i % p.nice.size()];
        st.record(i).set_nice = true;
        auto body = [](Task &t, const void *) { hog(t, true); };
        if (auto r = st.process([&, i] { return solo(st, i, sp, seed, body, nullptr); }); !r)
            return std::move(r).error();
    }
    if (auto r = st.start(static_cast<std::uint32_t>(p.tasks), p.duration_ns); !r)
        return std::move(r).error();
    if (auto r = st.reap(); !r)
        return std::move(r).error();
    return Timing{st.board().start_ns, 0};
}

// Bursts of about `burst` CPU separated by sleeps of about `period`, both
// +-50 %, as the simulator draws them.
Result<Timing> run_interactive(Stage &st, const InteractiveParams &p, const Spinner &sp, std::uint64_t seed)
{
    const auto n = static_cast<std::uint32_t>(p.tasks + p.hogs);
    for (std::uint32_t i = 0; i < n; i++) {
        const bool burster = i < p.tasks;
        st.record(i).role = burster ? 0 : 1;
        auto bursts = [](Task &t, const void *arg) {
            const auto &q = *static_cast<const InteractiveParams *>(arg);
            for (;;) {
                if (!t.spin(t.uniform(q.burst_ns / 2, q.burst_ns + q.burst_ns / 2)) || t.past_deadline())
                    break;
                t.item();
                if (!t.sleep_until(monotonic_ns() + t.uniform(q.period_ns / 2, q.period_ns + q.period_ns / 2)))
                    break;
            }
        };
        auto hogs = [](Task &t, const void *) { hog(t, false); };
        if (auto r = st.process([&, i, burster] { return solo(st, i, sp, seed, burster ? +bursts : +hogs, &p); }); !r)
            return std::move(r).error();
    }
    if (auto r = st.start(n, p.duration_ns); !r)
        return std::move(r).error();
    if (auto r = st.reap(); !r)
        return std::move(r).error();
    return Timing{st.board().start_ns, 0};
}

namespace {

// One latency group, inside its process: what its threads share.
struct Group {
    struct Slot {
        std::atomic<std::uint32_t> req{0}; // REQ_* (a private futex)
        std::atomic<std::uint64_t> post_ns{0};
    };
    enum : std::uint32_t { REQ_NONE, REQ_WORK, REQ_STOP };

    Group(Stage &s, const LatencyParams &q, const Spinner &spn, std::uint64_t sd, std::uint32_t base)
        : st(s), p(q), sp(spn), seed(sd), first(base), slots(q.workers)
    {
    }
    Stage &st;
    const LatencyParams &p;
    const Spinner &sp;
    std::uint64_t seed;
    std::uint32_t first; // the message thread's task; its workers follow
    std::vector<Slot> slots;
    std::atomic<std::uint32_t> replies{0};        // this round's (a private futex)
    std::atomic<std::uint64_t> first_reply_ns{0}; // earliest reply since the message thread last looked
};

struct WorkerArg {
    Group *g;
    std::uint32_t w;
};

// A worker: wait for a request, compute about `work` (+-25 %), reply.
void *worker_main(void *arg)
{
    Group &g = *static_cast<WorkerArg *>(arg)->g;
    const std::uint32_t w = static_cast<WorkerArg *>(arg)->w;
    Task t(g.st.board(), g.first + 1 + w, g.sp, g.seed);
    if (!t.ready())
        return nullptr;
    Group::Slot &s = g.slots[w];
    for (;;) {
        bool blocked = false;
        std::uint32_t v;
        while ((v = s.req.load(std::memory_order_acquire)) == Group::REQ_NONE) {
            blocked = true;
            futex_wait(s.req, Group::REQ_NONE, false);
        }
        const std::uint64_t now = monotonic_ns();
        if (v == Group::REQ_STOP)
            break;
        if (blocked)
            t.woke(now - std::min(now, s.post_ns.load(std::memory_order_relaxed)));
        s.req.store(Group::REQ_NONE, std::memory_order_relaxed);
        if (t.spin(t.uniform(g.p.work_ns - g.p.work_ns / 4, g.p.work_ns + g.p.work_ns / 4)) && !t.past_deadline())
            t.item();
        const std::uint64_t r = monotonic_ns();
        std::uint64_t f = g.first_reply_ns.load(std::memory_order_relaxed);
        while (r < f && !g.first_reply_ns.compare_exchange_weak(f, r, std::memory_order_relaxed)) {
        }
        g.replies.fetch_add(1, std::memory_order_release);
        futex_wake(g.replies, 1, false);
    }
    t.finish();
    return nullptr;
}

// The message thread: post a request to every worker, wait for all the
// replies (woken by each one that comes while it sleeps, as the simulator's
// reply queue wakes it), think about `think` (+-50 %).
void message_loop(Group &g, Task &t)
{
    const auto n = static_cast<std::uint32_t>(g.slots.size());
    while (!t.past_deadline()) {
        g.replies.store(0, std::memory_order_relaxed);
        for (Group::Slot &s : g.slots) {
            s.post_ns.store(monotonic_ns(), std::memory_order_relaxed);
            s.req.store(Group::REQ_WORK, std::memory_order_release);
            futex_wake(s.req, 1, false);
        }
        std::uint32_t seen = 0;
        while (seen < n) {
            g.first_reply_ns.store(UINT64_MAX, std::memory_order_relaxed);
            const std::uint32_t c = g.replies.load(std::memory_order_acquire);
            if (c > seen) {
                seen = c;
                continue;
            }
            futex_wait(g.replies, c, false);
            const std::uint64_t now = monotonic_ns();
            const std::uint32_t c2 = g.replies.load(std::memory_order_acquire);
            if (c2 == c)
                continue; // a spurious wake-up
            if (const std::uint64_t f = g.first_reply_ns.load(std::memory_order_relaxed); f <= now)
                t.woke(now - f);
            seen = c2;
        }
        if (!t.sleep_until(monotonic_ns() + t.uniform(g.p.think_ns / 2, g.p.think_ns + g.p.think_ns / 2)))
            break;
    }
}

int group_main(Group &g)
{
    Task t(g.st.board(), g.first, g.sp, g.seed);
    std::vector<WorkerArg> args(g.slots.size());
    std::vector<pthread_t> threads;
    threads.reserve(g.slots.size());
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, std::max<std::size_t>(THREAD_STACK, PTHREAD_STACK_MIN));
    for (std::uint32_t w = 0; w < g.slots.size(); w++) {
        args[w] = {&g, w};
        pthread_t th;
        if (const int e = ::pthread_create(&th, &attr, worker_main, &args[w]); e != 0) {
            pthread_attr_destroy(&attr);
            return t.fail("creating a latency worker thread", e); // the exit takes the others along
        }
        threads.push_back(th);
    }
    pthread_attr_destroy(&attr);
    if (t.ready()) {
        message_loop(g, t);
        t.finish();
    }
    for (Group::Slot &s : g.slots) {
        s.req.store(Group::REQ_STOP, std::memory_order_release);
        futex_wake(s.req, 1, false);
    }
    for (pthread_t th : threads)
        ::pthread_join(th, nullptr);
    return 0;
}

} // namespace

Result<Timing> run_latency(Stage &st, const LatencyParams &p, const Spinner &sp, std::uint64_t seed)
{
    const auto per = static_cast<std::uint32_t>(p.workers + 1);
    for (std::uint32_t g = 0; g < p.groups; g++) {
        st.record(g * per).role = 0;
        for (std::uint32_t w = 1; w < per; w++)
            st.record(g * per + w).role = 1;
        auto r = st.process([&, g] {
            Group grp(st, p, sp, seed, g * per);
            return group_main(grp);
        });
        if (!r)
            return std::move(r).error();
    }
    if (auto r = st.start(static_cast<std::uint32_t>(p.groups) * per, p.duration_ns); !r)
        return std::move(r).error();
    if (auto r = st.reap(); !r)
        return std::move(r).error();
    return Timing{st.board().start_ns, 0};
}

namespace {

// A compile job: `chunks` computations (exponential, work / chunks on
// average) each followed by an I/O wait of about `io` (+-50 %).
int job_main(Stage &st, std::uint32_t index, const ForkParams &p, const Spinner &sp, std::uint64_t seed)
{
    Task t(st.board(), index, sp, seed);
    t.begin();
    for (std::uint64_t c = 0; c < p.chunks; c++) {
        t.spin(t.exponential(p.work_ns / p.chunks));
        t.sleep_until(monotonic_ns() + t.uniform(p.io_ns / 2, p.io_ns + p.io_ns / 2));
    }
    t.item();
    t.finish();
    return 0;
}

// make's job slots: the jobs alive, reaped as they exit.
class Jobs {
public:
    Jobs(Stage &st, Task &make) : st_(st), make_(make) {}
    std::size_t alive() const { return alive_.size(); }
    Result<void> spawn(std::uint32_t index, const ForkParams &p, const Spinner &sp, std::uint64_t seed)
    {
        SpawnOptions o;
        o.death_signal = SIGKILL;
        auto job = Subprocess::fork([&] { return job_main(st_, index, p, sp, seed); }, o);
        if (!job)
            return Error(Exit::temp_fail, "starting a fork job: " + job.error().message);
        alive_.push_back(std::move(*job));
        index_.push_back(index);
        return {};
    }
    // Wait until at least one job has exited, as make blocks in wait(): a
    // wake-up, from the job's last timestamp before it exited to make
    // running again.
    Result<void> wait_one()
    {
        if (reap_exited(nullptr))
            return check();
        std::vector<pollfd> fds;
        for (Subprocess &j : alive_)
            if (const int fd = j.exit_fd(); fd >= 0)
                fds.push_back({fd, POLLIN, 0});
        std::uint64_t earliest = UINT64_MAX;
        for (;;) {
            // Without pidfds: look every millisecond.
            const int n = ::poll(fds.data(), fds.size(), fds.size() == alive_.size() ? -1 : 1);
            if (n < 0 && errno != EINTR)
                return errno_error(Exit::software, "waiting for fork jobs", errno);
            const std::uint64_t now = monotonic_ns();
            if (reap_exited(&earliest)) {
                if (earliest <= now)
                    make_.woke(now - earliest);
                return check();
            }
        }
    }

private:
    // Reap the jobs that have exited; the earliest of their end times.
    bool reap_exited(std::uint64_t *earliest)
    {
        bool any = false;
        for (std::size_t i = 0; i < alive_.size();) {
            if (alive_[i].running()) {
                i++;
                continue;
            }
            any = true;
            if (alive_[i].status().code != 0 && !failed_)
                failed_ = alive_[i].status();
            const std::uint64_t end = st_.record(index_[i]).end_ns;
            if (earliest && end && end < *earliest)
                *earliest = end;
            alive_[i] = std::move(alive_.back());
            alive_.pop_back();
            index_[i] = index_.back();
            index_.pop_back();
        }
        return any;
    }
    Result<void> check() const
    {
        if (!failed_)
            return {};
        return Error(Exit::failure, "a fork job failed (" +
                                        (failed_->signal ? "killed by " + describe_signal(failed_->signal)
                                                         : "exit status " + std::to_string(failed_->code)) +
                                        ")");
    }

    Stage &st_;
    Task &make_;
    std::vector<Subprocess> alive_;
    std::vector<std::uint32_t> index_;
    std::optional<ExitStatus> failed_; // the first job that failed
};

} // namespace

// make (this process, task 0) spawns the jobs stage by stage, at most
// `parallel` alive, and waits for each stage before the next; the last
// stage is one link job. Stage sizes are the simulator's.
Result<Timing> run_fork(Stage &st, const ForkParams &p, const Spinner &sp, std::uint64_t seed)
{
    std::vector<std::uint64_t> stage(p.levels, 0);
    if (p.levels == 1) {
        stage[0] = p.jobs;
    } else {
        stage[p.levels - 1] = 1;
        for (std::uint64_t i = 0; i < p.jobs - 1; i++)
            stage[i % (p.levels - 1)]++;
    }
    st.record(0).role = 1;
    for (std::uint32_t i = 1; i <= p.jobs; i++)
        st.record(i).role = 0;
    if (auto r = st.start(0, 0); !r)
        return std::move(r).error();
    Task make(st.board(), 0, sp, seed);
    make.begin();
    Jobs jobs(st, make);
    std::uint32_t next = 1;
    for (const std::uint64_t size : stage) {
        for (std::uint64_t j = 0; j < size; j++) {
            while (jobs.alive() >= p.parallel)
                if (auto r = jobs.wait_one(); !r)
                    return std::move(r).error();
            if (auto r = jobs.spawn(next++, p, sp, seed); !r)
                return std::move(r).error();
        }
        while (jobs.alive() > 0)
            if (auto r = jobs.wait_one(); !r)
                return std::move(r).error();
    }
    const std::uint64_t end = monotonic_ns();
    make.finish();
    return Timing{st.board().start_ns, end};
}

} // namespace scx::native::detail
