// SPDX-License-Identifier: MIT
//
// sim-bench - how fast the simulator runs: events per second on one core,
// wall-clock time and peak memory for given workloads (benchmarks print
// figures; they do not pass or fail).
//
//     sim-bench [--cpus N] [--repeat N] [--policy POLICY.so] WORKLOAD...
//
// Each workload runs in a process of its own (so that its peak memory is its
// own), `repeat` times, without a supervising child; the best run is
// reported. "Mev/s" counts the engine's events (a task op finishing, a
// context switch ending, a timer, ...) per second of wall-clock time,
// "Mev/cpu-s" per second of the thread's CPU time, which other load on the
// machine does not distort.
#include <scx/loader.hpp>
#include "sim/sim.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

double clock_s(clockid_t id)
{
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int usage()
{
    std::fprintf(stderr, "usage: sim-bench [--cpus N] [--repeat N] [--policy POLICY.so] WORKLOAD...\n");
    return 64;
}

} // namespace

int main(int argc, char **argv)
{
    int cpus = 8, repeat = 3;
    const char *env = std::getenv("SCX_FIFO_SO");
    std::string policy = env ? env : "policies/fifo.so";
    std::vector<std::string> workloads;
    for (int i = 1; i < argc; i++) {
        const std::string a = argv[i];
        if ((a == "--cpus" || a == "--repeat" || a == "--policy") && i + 1 < argc) {
            const char *v = argv[++i];
            if (a == "--cpus")
                cpus = std::atoi(v);
            else if (a == "--repeat")
                repeat = std::atoi(v);
            else
                policy = v;
        } else if (a.rfind("--", 0) == 0) {
            return usage();
        } else {
            workloads.push_back(a);
        }
    }
    if (workloads.empty() || cpus < 1 || repeat < 1)
        return usage();
    auto lp = scx::LoadedPolicy::open(policy);
    if (!lp) {
        std::fprintf(stderr, "sim-bench: %s\n", lp.error().message.c_str());
        return 66;
    }
    std::printf("%-36s %6s %5s %11s %10s %8s %8s %10s %10s %9s\n", "workload", "tasks", "cpus", "events", "sim_s",
                "wall_s", "cpu_s", "Mev/s", "Mev/cpu-s", "maxrss_MB");
    for (const std::string &w : workloads) {
        scx::sim::Options o;
        o.machine.cpus = cpus;
        auto spec = scx::sim::parse_workload_spec(w);
        if (!spec) {
            std::fprintf(stderr, "sim-bench: %s\n", spec.error().message.c_str());
            return 64;
        }
        auto wl = scx::sim::load_workload(*spec, o.machine);
        if (!wl) {
            std::fprintf(stderr, "sim-bench: %s\n", wl.error().message.c_str());
            return 64;
        }
        std::fflush(stdout);
        const pid_t pid = fork();
        if (pid < 0) {
            std::perror("sim-bench: fork");
            return 71;
        }
        if (pid > 0) {
            int status = 0;
            waitpid(pid, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return 1;
            continue;
        }
        double best_wall = 1e99, best_cpu = 1e99;
        std::uint64_t events = 0, sim_ns = 0;
        for (int r = 0; r < repeat; r++) {
            const double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
            auto out = scx::sim::simulate(*lp, *wl, o);
            const double c1 = clock_s(CLOCK_THREAD_CPUTIME_ID), w1 = clock_s(CLOCK_MONOTONIC);
            if (!out || out->exit.kind != scx::sim::ExitKind::done) {
                std::fprintf(stderr, "sim-bench: %s did not complete\n", w.c_str());
                return 1;
            }
            events = out->events;
            sim_ns = out->end_ns;
            best_wall = std::min(best_wall, w1 - w0);
            best_cpu = std::min(best_cpu, c1 - c0);
        }
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        std::printf("%-36s %6zu %5d %11llu %10.3f %8.3f %8.3f %10.1f %10.1f %9.1f\n", w.c_str(), wl->nr_tasks(), cpus,
                    static_cast<unsigned long long>(events), static_cast<double>(sim_ns) / 1e9, best_wall, best_cpu,
                    static_cast<double>(events) / best_wall / 1e6, static_cast<double>(events) / best_cpu / 1e6,
                    static_cast<double>(ru.ru_maxrss) / 1024.0);
        std::fflush(stdout);
        std::_Exit(0);
    }
    return 0;
}
