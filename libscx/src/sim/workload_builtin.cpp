// SPDX-License-Identifier: MIT
//
// The built-in workloads. Costs of system calls are rough figures for one
// current x86-64 server core without contention (measured with 100-byte
// messages: AF_UNIX stream write and read about 1.2 us each, pipe write and
// read about 0.4 us each); every one can be changed with a parameter.
#include "program.hpp"
#include "workload.hpp"

namespace scx::sim::detail {

namespace {

constexpr std::uint64_t US = NSEC_PER_USEC;
constexpr std::uint64_t MS = NSEC_PER_MSEC;

#define TRY(var, expr)                                                                                                 \
    auto var##_r = (expr);                                                                                             \
    if (!var##_r)                                                                                                      \
        return std::move(var##_r).error();                                                                             \
    const auto var = *var##_r

std::uint32_t add_program(Model &m, ProgramBuilder &p, bool item_on_exit = false)
{
    m.programs.push_back(p.finish(item_on_exit));
    return static_cast<std::uint32_t>(m.programs.size() - 1);
}

TaskModel task(const char *comm, std::uint32_t program, std::uint32_t tgid, std::int32_t base = 0)
{
    TaskModel t;
    t.comm = comm;
    t.program = program;
    t.tgid = tgid;
    t.base = base;
    return t;
}

std::uint64_t default_cpus(const Machine &mc, std::uint64_t factor) { return static_cast<std::uint64_t>(mc.cpus) * factor; }

// A CPU hog: runs forever in 1 ms units of work (counted as work items or not).
std::uint32_t hog_program(Model &m, bool items)
{
    ProgramBuilder p;
    p.forever();
    p.run(Duration::fixed(MS), items ? OP_ITEM : 0);
    p.end();
    return add_program(m, p);
}

} // namespace

// perf bench sched messaging (tools/perf/bench/sched-messaging.c): `groups`
// groups of `fds` receivers and `fds` senders (perf: 20). Each receiver owns
// a socket pair (or pipe); every sender of the group writes `loops` rounds of
// one `size`-byte message to each receiver of its group, and each receiver
// reads fds * loops messages. Workers tell the main thread they are ready
// through a pipe and wait on a shared file descriptor; the main thread reads
// one byte per worker, starts the clock, wakes them all with one write, joins
// them in creation order and stops the clock: makespan is that interval.
Result<Model> build_messaging(Params &p, const Machine &)
{
    TRY(groups, p.count("groups", 10, 1, 100000));
    TRY(loops, p.count("loops", 100, 1, 1000000000));
    TRY(fds, p.count("fds", 20, 1, 1000));
    TRY(use_pipe, p.flag("pipe", false));
    TRY(threads, p.flag("thread", false));
    TRY(size, p.count("size", 100, 1, 4096));
    TRY(send_ns, p.duration("send_ns", use_pipe ? 400 : 1200));
    TRY(recv_ns, p.duration("recv_ns", use_pipe ? 400 : 1200));
    if (groups * fds * 2 > 1000000)
        return Error(Exit::usage, "messaging: at most 1000000 tasks (groups * fds * 2)");

    Model m;
    m.throughput_unit = "messages/s";
    const auto nfds = static_cast<std::int32_t>(fds);
    const std::uint32_t workers = static_cast<std::uint32_t>(groups * fds * 2);
    for (std::uint64_t g = 0; g < groups; g++)
        for (std::uint64_t r = 0; r < fds; r++) {
            const std::string name = "g" + std::to_string(g) + ".r" + std::to_string(r);
            m.channels.push_back(use_pipe ? pipe_channel(name, static_cast<std::uint32_t>(size))
                                          : socket_channel(name, static_cast<std::uint32_t>(size)));
        }
    const auto ready = static_cast<std::int32_t>(m.channels.size());
    m.channels.push_back(pipe_channel("ready", 1)); // perf's readyfds pipe: one byte per worker
    m.gates = 1;                                     // perf's wakefds: all workers poll it
    m.groups.resize(1);

    constexpr std::uint64_t PIPE_BYTE_NS = 400;
    ProgramBuilder recv;
    recv.send(ready, 0, -1, PIPE_BYTE_NS);
    recv.gate_wait(0);
    recv.loop(fds * loops);
    recv.recv(0, OP_BASE | OP_ITEM, -1, recv_ns);
    recv.end();
    const std::uint32_t recv_prog = add_program(m, recv);

    ProgramBuilder send;
    send.send(ready, 0, -1, PIPE_BYTE_NS);
    send.gate_wait(0);
    send.loop(loops);
    send.loop(fds);
    send.send(0, OP_BASE, 1, send_ns);
    send.end();
    send.end();
    const std::uint32_t send_prog = add_program(m, send);

    ProgramBuilder main;
    main.loop(workers);
    main.spawn(0, threads ? 15 * US : 50 * US); // pthread_create / fork
    main.end();
    main.loop(workers);
    main.recv(ready, 0, -1, PIPE_BYTE_NS);
    main.end();
    main.mark_start();
    main.gate_open(0);
    main.loop(workers);
    main.join(0, 0);
    main.end();
    main.mark_stop();
    const std::uint32_t main_prog = add_program(m, main);

    m.tasks.push_back(task("sched-messaging", main_prog, 0));
    std::uint32_t tgid = 1;
    for (std::uint64_t g = 0; g < groups; g++) {
        const auto first = static_cast<std::int32_t>(g) * nfds;
        for (std::int32_t r = 0; r < nfds; r++) {
            TaskModel t = task("sched-messaging", recv_prog, threads ? 0 : tgid++, first + r);
            t.start_ns = NEVER;
            m.groups[0].tasks.push_back(static_cast<std::uint32_t>(m.tasks.size()));
            m.tasks.push_back(t);
        }
        for (std::int32_t s = 0; s < nfds; s++) {
            TaskModel t = task("sched-messaging", send_prog, threads ? 0 : tgid++, first);
            t.start_ns = NEVER;
            m.groups[0].tasks.push_back(static_cast<std::uint32_t>(m.tasks.size()));
            m.tasks.push_back(t);
        }
    }
    return m;
}

// `tasks` CPU hogs (default: twice the CPUs) for `duration`; nice values
// are given as a '/'-separated list applied in turn (nice=0/5: every other
// hog at nice 5). Throughput: milliseconds of work done per second.
Result<Model> build_cpu(Params &p, const Machine &mc)
{
    TRY(tasks, p.count("tasks", default_cpus(mc, 2), 1, 100000));
    TRY(duration, p.duration("duration", NSEC_PER_SEC));
    TRY(nice, p.ints("nice", "0", -20, 19));
    Model m;
    m.throughput_unit = "work-ms/s";
    m.duration_ns = duration;
    const std::uint32_t prog = hog_program(m, true);
    for (std::uint64_t i = 0; i < tasks; i++) {
        TaskModel t = task("cpu-hog", prog, static_cast<std::uint32_t>(i));
        t.weight = nice_to_weight(nice[i % nice.size()]);
        t.load_weight = nice_to_load_weight(nice[i % nice.size()]);
        m.tasks.push_back(t);
    }
    return m;
}

// schbench-like: `groups` message threads, each with `workers` workers
// (default: as many as CPUs). A message thread posts a request to each of
// its workers, waits for all their replies, then thinks for `think`; a
// worker waits for a request, computes for `work` and replies. The wake-up
// latency percentiles are those of the workers' wake-ups; throughput is
// requests completed per second.
Result<Model> build_latency(Params &p, const Machine &mc)
{
    TRY(groups, p.count("groups", 2, 1, 10000));
    TRY(workers, p.count("workers", default_cpus(mc, 1), 1, 10000));
    TRY(work, p.duration("work", 2 * MS));
    TRY(think, p.duration("think", 5 * MS));
    TRY(duration, p.duration("duration", NSEC_PER_SEC));
    constexpr std::uint64_t POST_NS = 1 * US; // futex wake / wait
    Model m;
    m.throughput_unit = "requests/s";
    m.duration_ns = duration;
    const auto nw = static_cast<std::int32_t>(workers);
    const auto ng = static_cast<std::int32_t>(groups);
    // Channels: one request slot per worker, then one reply queue per group.
    for (std::int32_t i = 0; i < ng * nw; i++)
        m.channels.push_back(queue_channel("req" + std::to_string(i), 1));
    for (std::int32_t g = 0; g < ng; g++)
        m.channels.push_back(queue_channel("reply" + std::to_string(g), static_cast<std::uint32_t>(nw)));

    // A message thread (base: the first request slot of its workers) and
    // its workers (base: each its own request slot), replying to `reply`.
    auto msg_program = [&](std::int32_t reply) {
        ProgramBuilder msg;
        msg.forever();
        msg.loop(workers);
        msg.send(0, OP_BASE, 1, POST_NS);
        msg.end();
        msg.loop(workers);
        msg.recv(reply, 0, -1, POST_NS);
        msg.end();
        msg.sleep(Duration::uniform(think / 2, think + think / 2));
        msg.end();
        return msg.finish();
    };
    auto worker_program = [&](std::int32_t reply) {
        ProgramBuilder worker;
        worker.forever();
        worker.recv(0, OP_BASE, -1, POST_NS);
        worker.run(Duration::uniform(work - work / 4, work + work / 4));
        worker.send(reply, 0, -1, POST_NS);
        worker.item();
        worker.end();
        return worker.finish();
    };

    std::uint32_t tgid = 0;
    for (std::int32_t g = 0; g < ng; g++) {
        const std::int32_t reply = ng * nw + g;
        m.programs.push_back(msg_program(reply));
        m.tasks.push_back(task("schbench-msg", static_cast<std::uint32_t>(m.programs.size() - 1), tgid, g * nw));
        m.programs.push_back(worker_program(reply));
        const auto wprog = static_cast<std::uint32_t>(m.programs.size() - 1);
        for (std::int32_t w = 0; w < nw; w++)
            m.tasks.push_back(task("schbench-work", wprog, tgid, g * nw + w)); // threads of one process
        tgid++;
    }
    return m;
}

// `tasks` interactive tasks that run bursts of about `burst` every about
// `period` (both vary by +-50 %), beside `hogs` CPU hogs (default: as many
// as CPUs), for `duration`. Throughput: bursts completed per second.
Result<Model> build_interactive(Params &p, const Machine &mc)
{
    TRY(tasks, p.count("tasks", 4, 1, 100000));
    TRY(hogs, p.count("hogs", default_cpus(mc, 1), 0, 100000));
    TRY(burst, p.duration("burst", 1 * MS));
    TRY(period, p.duration("period", 10 * MS));
    TRY(duration, p.duration("duration", NSEC_PER_SEC));
    Model m;
    m.throughput_unit = "bursts/s";
    m.duration_ns = duration;
    ProgramBuilder ia;
    ia.forever();
    ia.run(Duration::uniform(burst / 2, burst + burst / 2), OP_ITEM);
    ia.sleep(Duration::uniform(period / 2, period + period / 2));
    ia.end();
    const std::uint32_t ia_prog = add_program(m, ia);
    const std::uint32_t hog_prog = hog_program(m, false);
    std::uint32_t tgid = 0;
    for (std::uint64_t i = 0; i < tasks; i++)
        m.tasks.push_back(task("interactive", ia_prog, tgid++));
    for (std::uint64_t i = 0; i < hogs; i++) {
        TaskModel t = task("cpu-hog", hog_prog, tgid++);
        t.daemon = true;
        m.tasks.push_back(t);
    }
    return m;
}

// A make-like build: `make` spawns `jobs` jobs in `levels` stages (each
// stage waits for the previous one, the last stage is a single link job),
// keeping at most `parallel` jobs alive (default: as many as CPUs). A job
// alternates `chunks` computations (exponential, `work` in all on average)
// with I/O waits of about `io`. Throughput: jobs completed per second.
Result<Model> build_fork(Params &p, const Machine &mc)
{
    TRY(jobs, p.count("jobs", 64, 1, 100000));
    TRY(parallel, p.count("parallel", default_cpus(mc, 1), 1, 100000));
    TRY(levels, p.count("levels", 4, 1, 1000));
    TRY(work, p.duration("work", 20 * MS));
    TRY(io, p.duration("io", 1 * MS));
    TRY(chunks, p.count("chunks", 4, 1, 1000));
    if (levels > jobs)
        return Error(Exit::usage, "fork: levels must not exceed jobs");
    Model m;
    m.throughput_unit = "jobs/s";

    ProgramBuilder job;
    job.loop(chunks);
    job.run(Duration::exponential(work / chunks));
    job.sleep(Duration::uniform(io / 2, io + io / 2));
    job.end();
    const std::uint32_t job_prog = add_program(m, job, true);

    // Stage sizes: the jobs before the link spread evenly over levels - 1.
    std::vector<std::uint64_t> stage(levels, 0);
    if (levels == 1) {
        stage[0] = jobs;
    } else {
        stage[levels - 1] = 1;
        for (std::uint64_t i = 0; i < jobs - 1; i++)
            stage[i % (levels - 1)]++;
    }
    ProgramBuilder make;
    m.groups.resize(levels);
    for (std::uint64_t l = 0; l < levels; l++) {
        if (stage[l] == 0)
            continue;
        make.loop(stage[l]);
        make.wait_below(static_cast<std::int32_t>(parallel));
        make.spawn(static_cast<std::int32_t>(l), 50 * US);
        make.end();
        make.wait_children();
    }
    const std::uint32_t make_prog = add_program(m, make);
    m.tasks.push_back(task("make", make_prog, 0));
    std::uint32_t tgid = 1;
    for (std::uint64_t l = 0; l < levels; l++)
        for (std::uint64_t j = 0; j < stage[l]; j++) {
            TaskModel t = task(l + 1 == levels && levels > 1 ? "ld" : "cc1", job_prog, tgid++);
            t.start_ns = NEVER;
            m.groups[l].tasks.push_back(static_cast<std::uint32_t>(m.tasks.size()));
            m.tasks.push_back(t);
        }
    return m;
}

} // namespace scx::sim::detail
