// SPDX-License-Identifier: MIT
#include "contain/confine.hpp"

#include "base/clock.hpp"
#include "base/fd.hpp"
#include "policy/params.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <new>
#include <cstdio>
#include <optional>

namespace scx::contain {

namespace {

constexpr int WATCH_MS = 20;          // the parent's polling period
constexpr std::uint64_t OPEN_FILES = 64; // descriptors a policy's process may hold

std::string seconds_text(std::uint64_t ns)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g s", static_cast<double>(ns) / 1e9);
    return buf;
}

std::string when(const Record &r)
{
    const auto phase = r.watch.phase.load(std::memory_order_relaxed);
    if (phase == static_cast<std::uint32_t>(Phase::loading))
        return "while it was loaded (a global or class constructor)";
    return std::string("in ") + phase_name(phase);
}

} // namespace

std::string who(const Record &r, const std::string &path)
{
    const std::string name = policy_name(r);
    return name.empty() ? path : "policy '" + name + "'";
}

Limits process_limits(const Confinement &c)
{
    Limits l;
    l.address_space = c.memory_bytes;
    l.open_files = OPEN_FILES;
    l.no_core = true;
    return l;
}

Result<void> confine(const Confinement &c, const sandbox::User *user)
{
    // The limits first: lowering them needs no privilege, and nothing below
    // may raise them again.
    if (auto r = apply_limits(process_limits(c)); !r)
        return r;
    if (user) {
        if (auto r = sandbox::drop_privileges(*user); !r)
            return r;
    } else if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        return errno_error(Exit::software, "PR_SET_NO_NEW_PRIVS", errno);
    }
    // Not dumpable: no other process of the user may ptrace it (and no core).
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    Limits none;
    none.no_processes = true;
    return apply_limits(none);
}

Result<LoadedPolicy> load_policy(Record &r, const std::string &path, const std::string &name,
                                 const ParamAssignments &params)
{
    r.watch.phase.store(static_cast<std::uint32_t>(Phase::loading));
    if (auto s = sandbox::install_seccomp(&r, sandbox::Stage::loading); !s)
        return std::move(s).error();
    auto lp = LoadedPolicy::open_as(path, name);
    if (!lp)
        return lp;
    r.watch.set_label(lp->name());
    if (const int n = sandbox::seccomp_filter_count(); n > 1)
        return Error(Exit::failure, "policy '" + lp->name() + "' installed " + std::to_string(n - 1) +
                                        " seccomp filter(s) of its own while it was loaded: refused");
    if (auto s = sandbox::install_seccomp(&r, sandbox::Stage::running); !s)
        return std::move(s).error();
    r.watch.phase.store(static_cast<std::uint32_t>(Phase::setup));
    auto settings = apply_params(*lp, params, name);
    if (!settings)
        return std::move(settings).error();
    set_params(r, *settings);
    return lp;
}

Result<RunExit> classify(const Record &r, const ChildEnd &end, const std::string &path, const Confinement &c,
                         const std::string &where)
{
    const std::string w = who(r, path);
    RunExit e;
    if (const auto denied = __atomic_load_n(&r.denied, __ATOMIC_ACQUIRE)) {
        const int nr = __atomic_load_n(&r.denied_nr, __ATOMIC_ACQUIRE);
        e.kind = ExitKind::sandbox;
        e.code = nr;
        e.reason = "forbidden system call";
        e.message = w + " made a forbidden system call (" + sandbox::syscall_name(nr) + ") " + when(r) + where +
                    ": policy code may not open files, create processes or threads, exec, use sockets or signal "
                    "other processes; the call was denied and the policy stopped";
        (void)denied;
        return e;
    }
    if (end.status.signal == SIGSYS) {
        // A forbidden call made while every signal was blocked (glibc's
        // system() and posix_spawn() block them around clone): the kernel
        // then delivers SIGSYS with its default action, past the handler
        // that would have named the call.
        e.kind = ExitKind::sandbox;
        e.code = -1;
        e.reason = "forbidden system call";
        e.message = w + " made a forbidden system call " + when(r) + where +
                    " with its signals blocked (so the call could not be named; creating a process with "
                    "system() or posix_spawn() does this): policy code may not open files, create processes "
                    "or threads, exec, use sockets or signal other processes";
        return e;
    }
    if (end.cancelled) {
        e.kind = ExitKind::interrupted;
        e.reason = "interrupted";
        e.message = "the run was interrupted " + when(r) + where;
        return e;
    }
    if (end.timed_out || end.status.signal == SIGXCPU) {
        e.kind = ExitKind::timeout;
        e.reason = "run timeout";
        e.message = end.timed_out ? w + " was stopped " + when(r) + " when the run reached its time limit of " +
                                        seconds_text(c.run_timeout_ns) + " (--timeout)" + where
                                  : w + " used up its CPU time limit " + when(r) + where;
        return e;
    }
    if (end.hung) {
        e.kind = ExitKind::hang;
        e.reason = "policy hung";
        e.message = w + " did not return from " + phase_name(r.watch.phase.load()) + " within " +
                    std::to_string(c.call_timeout_ns / NSEC_PER_MSEC) + " ms of wall-clock time and was killed" +
                    where;
        return e;
    }
    if (end.status.signal) {
        e.kind = ExitKind::crash;
        e.code = end.status.signal;
        e.reason = "policy crashed";
        e.message = w + " was killed by " + describe_signal(end.status.signal) + " " + when(r) + where;
        return e;
    }
    const auto state = static_cast<State>(r.state.load(std::memory_order_acquire));
    if (state == State::failed)
        return read_error(r);
    if (state == State::finished) {
        if (auto x = read_exit(r)) {
            if (x->kind == ExitKind::oom && x->message.empty())
                x->message = w + " ran out of memory " + when(r) + where + " (the limit of its process is " +
                             std::to_string(c.memory_bytes >> 20) + " MiB, --policy-memory)";
            return *x;
        }
    }
    e.kind = ExitKind::exited;
    e.code = end.status.code;
    e.reason = "policy process exited";
    e.message = w + " ended its own process (exit status " + std::to_string(end.status.code) + ") " + when(r) +
                where + ": policy code must return from its hooks, never exit";
    return e;
}

Result<ChildEnd> run_contained(const std::string &policy_path, const Confinement &c, Record &rec,
                               const Prepare &prepare, const Body &body, const volatile std::sig_atomic_t *cancel,
                               const ParamAssignments &params)
{
    // As root, policy code runs as an unprivileged user, who loads a copy
    // staged where only that user (and root) can read it.
    std::optional<sandbox::User> user;
    std::optional<sandbox::StagedPolicy> staged;
    if (::geteuid() == 0) {
        auto u = sandbox::resolve_user(c.user);
        if (!u)
            return std::move(u).error();
        user = *u;
        if (!policy_path.empty()) {
            auto st = sandbox::stage_policy(policy_path, *u);
            if (!st)
                return std::move(st).error();
            staged.emplace(std::move(*st));
        }
    }
    const std::string load_path = staged ? staged->path : policy_path;

    SpawnOptions so;
    so.own_group = true;
    so.death_signal = SIGKILL; // a killed tool leaves nothing behind
    auto child = Subprocess::fork(
        [&]() -> int {
            // Standard output belongs to the parent's document: whatever a
            // policy prints goes to standard error.
            ::dup2(STDERR_FILENO, STDOUT_FILENO);
            rec.watch.phase.store(static_cast<std::uint32_t>(Phase::setup));
            const std::vector<int> inherited = open_fds();
            if (auto r = prepare ? prepare() : Result<void>(); !r) {
                fail(rec, r.error());
                return 0;
            }
            std::vector<int> keep;
            for (int fd : open_fds())
                if (std::find(inherited.begin(), inherited.end(), fd) == inherited.end())
                    keep.push_back(fd);
            if (auto r = close_all_but(keep); !r) {
                fail(rec, r.error());
                return 0;
            }
            if (auto r = confine(c, user ? &*user : nullptr); !r) {
                fail(rec, r.error());
                return 0;
            }
            std::optional<LoadedPolicy> lp;
            if (!policy_path.empty()) {
                auto loaded = load_policy(rec, load_path, policy_path, params);
                if (!loaded) {
                    fail(rec, loaded.error());
                    return 0;
                }
                lp.emplace(std::move(*loaded));
            } else {
                // Nothing to load: straight to the running stage.
                if (auto r = sandbox::install_seccomp(&rec, sandbox::Stage::loading); !r) {
                    fail(rec, r.error());
                    return 0;
                }
                if (auto r = sandbox::install_seccomp(&rec, sandbox::Stage::running); !r) {
                    fail(rec, r.error());
                    return 0;
                }
            }
            try {
                body(lp ? &*lp : nullptr);
            } catch (const std::bad_alloc &) {
                // The process reached its memory limit (the policy or the
                // backend's own work): the parent says so.
                finish(rec, RunExit{ExitKind::oom, "out of memory", "", 0});
            }
            return 0;
        },
        so);
    if (!child)
        return std::move(child).error();

    ChildEnd end;
    const std::uint64_t start = monotonic_ns();
    std::uint64_t last_beats = rec.watch.beats.load(), last_change = start;
    while (!child->wait_for(WATCH_MS * NSEC_PER_MSEC)) {
        const std::uint64_t now = monotonic_ns();
        const std::uint64_t beats = rec.watch.beats.load(std::memory_order_relaxed);
        if (beats != last_beats) {
            last_beats = beats;
            last_change = now;
        }
        if (cancel && *cancel)
            end.cancelled = true;
        else if (c.run_timeout_ns && now - start > c.run_timeout_ns)
            end.timed_out = true;
        else if (c.call_timeout_ns && now - last_change > c.call_timeout_ns)
            end.hung = true;
        else
            continue;
        break;
    }
    // The whole group ends with the run, whatever it started.
    child->signal(SIGKILL);
    child->wait_for(-1);
    end.status = child->status();
    if (end.hung || end.timed_out || end.cancelled) {
        // Killed by us: the signal is ours, not the policy's.
        end.status.signal = 0;
        end.status.code = -1;
    }
    return end;
}

} // namespace scx::contain
