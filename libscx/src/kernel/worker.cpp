// SPDX-License-Identifier: MIT
// The worker: lock memory, drop privileges, load the policy, sandbox it and
// run the scheduling loop.
#include "kernel/worker.hpp"

#include <scx/loader.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace scx::kernel {

namespace {

constexpr int IDLE_WAIT_MS = 100;   // wake up this often to notice a stop
constexpr int BACKLOG_WAIT_MS = 1;  // decisions wait for room in the ring

void copy(char *dst, std::size_t n, const std::string &src)
{
    const std::size_t len = std::min(n - 1, src.size());
    std::memcpy(dst, src.data(), len);
    dst[len] = '\0';
}

[[noreturn]] void fail(WorkerReport *r, const char *kind, const Error &e)
{
    copy(r->kind, sizeof r->kind, kind);
    copy(r->message, sizeof r->message, e.message);
    r->exit_class = static_cast<int>(e.exit);
    __atomic_store_n(&r->failed, 1U, __ATOMIC_RELEASE);
    ::_exit(2);
}

// A denied system call ends the run, with the call named.
void check_violations(WorkerReport *r, const std::string &policy, const std::string &when)
{
    if (!__atomic_load_n(&r->violation.count, __ATOMIC_ACQUIRE))
        return;
    const int nr = __atomic_load_n(&r->violation.first_nr, __ATOMIC_ACQUIRE);
    const std::string who = policy.empty() ? "the policy" : "policy '" + policy + "'";
    fail(r, "sandbox",
         Error(Exit::failure, who + " made a forbidden system call (" + sandbox::syscall_name(nr) + ")" +
                                  (when.empty() ? "" : " " + when) +
                                  ": policy code may not open files, create processes or threads, exec, or "
                                  "use sockets; the call was denied and the policy stopped"));
}

void record_faults(WorkerReport *r, bool baseline)
{
    struct rusage ru {};
    if (::getrusage(RUSAGE_SELF, &ru) < 0)
        return;
    const auto minflt = static_cast<std::uint64_t>(ru.ru_minflt), majflt = static_cast<std::uint64_t>(ru.ru_majflt);
    if (baseline) {
        r->minflt_ready = minflt;
        r->majflt_ready = majflt;
    }
    __atomic_store_n(&r->minflt_now, minflt, __ATOMIC_RELEASE);
    __atomic_store_n(&r->majflt_now, majflt, __ATOMIC_RELEASE);
}

} // namespace

void worker_main(Scheduler &sched, const HostOptions &opts, const std::string &load_path, const sandbox::User &user,
                 WorkerReport *report, int ready_fd, pid_t supervisor)
{
    // Die with the supervisor; leave signals from the terminal to it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != supervisor)
        ::_exit(1);
    ::prctl(PR_SET_NAME, "scx-worker");
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE})
        ::signal(sig, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // Standard output carries the supervisor's JSON: whatever the policy
    // prints goes to standard error.
    ::dup2(STDERR_FILENO, STDOUT_FILENO);

    if (auto r = sandbox::lock_memory(); !r)
        fail(report, "sandbox", r.error());
    auto ctx = sched.make_context();
    if (!ctx)
        fail(report, "setup", ctx.error());
    KernelContext &c = **ctx;
    // The BPF counters and exit information become read-only, every BPF
    // descriptor but the task ring's is closed (see Scheduler::enter_worker).
    if (auto r = sched.enter_worker(c, {ready_fd}); !r)
        fail(report, "sandbox", r.error());
    if (auto r = sandbox::drop_privileges(user); !r)
        fail(report, "sandbox", r.error());
    auto heap = sandbox::prefault_heap(opts.heap_bytes);
    if (!heap)
        fail(report, "sandbox", heap.error());
    report->heap_bytes = *heap;

    // From here on, nothing runs with privileges, and no policy code runs
    // outside seccomp: the loading filter covers dlopen() (the policy's
    // global constructors and its class constructor), the stricter running
    // filter, stacked on it, covers init() and everything after. The
    // process stays non-dumpable throughout (no other process of `user`
    // can ptrace it): it loads the staged copy by path.
    if (auto r = sandbox::install_seccomp(&report->violation, sandbox::Stage::loading); !r)
        fail(report, "sandbox", r.error());
    auto lp = LoadedPolicy::open_as(load_path, opts.policy_path);
    check_violations(report, lp ? lp->name() : std::string(), "while it was loaded (a global or class constructor)");
    if (!lp)
        fail(report, "load", lp.error());
    copy(report->policy, sizeof report->policy, lp->name());
    if (const int n = sandbox::seccomp_filter_count(); n > 1)
        fail(report, "sandbox",
             Error(Exit::failure, "policy '" + lp->name() + "' installed " + std::to_string(n - 1) +
                                      " seccomp filter(s) of its own while it was loaded: refused"));
    if (auto r = sandbox::install_seccomp(&report->violation, sandbox::Stage::running); !r)
        fail(report, "sandbox", r.error());
    if (auto r = lp->init(c); !r)
        fail(report, "policy-error", r.error());
    check_violations(report, lp->name(), "in init()");
    record_faults(report, true);
    const char byte = 'r';
    if (::write(ready_fd, &byte, 1) != 1)
        ::_exit(1);

    std::uint64_t calls = 0, last_faults = c.now();
    while (!c.exited()) {
        if (c.wait(c.backlog() ? BACKLOG_WAIT_MS : IDLE_WAIT_MS)) {
            c.set_pending(0);
            if (auto r = lp->schedule(c); !r)
                fail(report, "policy-error", r.error());
            __atomic_store_n(&report->schedule_calls, ++calls, __ATOMIC_RELEASE);
            __atomic_store_n(&report->user_failed, c.user_failed(), __ATOMIC_RELEASE);
            __atomic_store_n(&report->user_cancelled, c.user_cancelled(), __ATOMIC_RELEASE);
        }
        c.end_batch();
        check_violations(report, lp->name(), "");
        if (c.now() - last_faults > NSEC_PER_SEC) {
            record_faults(report, false);
            last_faults = c.now();
        }
    }
    record_faults(report, false);
    if (auto r = lp->exit(c); !r)
        fail(report, "policy-error", r.error());
    check_violations(report, lp->name(), "in exit()");
    ::_exit(0);
}

} // namespace scx::kernel
