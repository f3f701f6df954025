// SPDX-License-Identifier: MIT
// One run on the real kernel. For a policy: start scx-run, wait until
// sched_ext is enabled with scxkit's ops, run the workload, check that it is
// still enabled, stop scx-run (SIGINT) and wait for "disabled". For
// "default": check that sched_ext is disabled before and after the workload.
#include "bench/runners.hpp"

#include "base/fs.hpp"
#include "base/process.hpp"

#include "base/strformat.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <fcntl.h>
#include <unistd.h>

namespace scx::bench {

namespace {

namespace j = scx::json;
namespace se = scx::sched_ext;

constexpr long long EJECTION_REPORT_NS = 2'000'000'000LL;

std::string seconds_text(long long ns) { return scx::seconds_text(static_cast<double>(ns) / 1e9); }

j::Value status_json(const se::Status &s) { return j::Value::steal(json_string(s.describe().c_str())); }

// "signal 9" for a child killed by a signal (code < 0), else "status 3".
std::string exit_text(int code, int signal)
{
    return code < 0 ? "signal " + std::to_string(signal) : "status " + std::to_string(code);
}

// Wait until no sched_ext scheduler is attached (one may still be going
// away); Exit::interrupted on *cancel, Exit::unavailable when one stays,
// said as "<who> sched_ext scheduler is attached (<state>)<why>; stop it
// first".
Result<se::Status> wait_disabled(const KernelOptions &opt, const std::string &who, const std::string &why)
{
    const auto st = se::wait_status(opt.sysfs, opt.detach_timeout_ns, [](const se::Status &s) { return s.disabled(); },
                                    opt.cancel);
    if (opt.cancel && *opt.cancel)
        return Error(Exit::interrupted, "interrupted");
    if (!st.disabled())
        return Error(Exit::unavailable, who + " sched_ext scheduler is attached (" + st.describe() + ")" + why +
                                            "; stop it first");
    return st;
}

// scx-run in the background, in a process group of its own that gets
// SIGTERM if scx-bench dies, its output in files.
Result<Subprocess> spawn_logged(const std::vector<std::string> &argv, const std::string &out_path,
                                const std::string &err_path)
{
    auto open_out = [](const std::string &path) {
        return UniqueFd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    };
    UniqueFd in(::open("/dev/null", O_RDONLY | O_CLOEXEC)), out = open_out(out_path), err = open_out(err_path);
    if (!out)
        return errno_error(Exit::io, "cannot write " + out_path, errno);
    if (!err)
        return errno_error(Exit::io, "cannot write " + err_path, errno);
    if (!in)
        return errno_error(Exit::software, "/dev/null", errno);
    SpawnOptions so;
    so.own_group = true;
    so.death_signal = SIGTERM;
    so.in = in.get();
    so.out = out.get();
    so.err = err.get();
    return Subprocess::exec(argv, so);
}

Error no_sched_ext(const std::string &sysfs)
{
    return Error(Exit::unavailable,
                 "this kernel has no sched_ext (" + sysfs + " is missing); benchmark in the simulator with --sim");
}

} // namespace

Result<void> check_kernel_ready(const Report &rep, const std::string &sysfs)
{
    if (rep.config.mode != Mode::kernel ||
        std::all_of(rep.results.begin(), rep.results.end(), [](const SubjectResult &r) { return r.subject.is_default; }))
        return {};
    if (::geteuid() != 0)
        return Error(Exit::no_perm,
                     "hosting a policy on the kernel needs root (try sudo), or benchmark in the simulator with --sim");
    if (!se::read_status(sysfs).present)
        return no_sched_ext(sysfs);
    return {};
}

Result<Sample> KernelRunner::run(const Subject &subject, const Slot &slot)
{
    return subject.is_default ? run_default(subject) : run_policy(subject, slot);
}

Result<Sample> KernelRunner::run_default(const Subject &)
{
    const auto before = wait_disabled(opt_, "a", ": 'default' would not measure the kernel's own scheduler");
    if (!before)
        return before.error();
    auto s = measure_command(opt_.workload, opt_.metric, opt_.timeout_ns, opt_.cancel);
    if (!s)
        return s;
    const auto after = se::read_status(opt_.sysfs);
    auto detail = j::object(), sx = j::object();
    j::set(sx.get(), "before", status_json(*before));
    j::set(sx.get(), "after", status_json(after));
    j::set(detail.get(), "sched_ext", sx);
    s->detail = detail;
    if (!after.disabled() && s->ok) {
        s->ok = false;
        s->failure = "a sched_ext scheduler was attached during the run (" + after.describe() + ")";
    }
    return s;
}

Result<Sample> KernelRunner::run_policy(const Subject &subject, const Slot &slot)
{
    if (!se::read_status(opt_.sysfs).present)
        return no_sched_ext(opt_.sysfs);
    if (auto before = wait_disabled(opt_, "another", ""); !before)
        return before.error();

    // Named by the subject's index: a label may be a path (two policies
    // with the same file name) and must not become part of a file name.
    const std::string base = opt_.work_dir + "/scx-run." + std::to_string(slot.subject) + "." +
                             (slot.warmup ? "w" : "") + std::to_string(slot.run);
    const std::string out_path = base + ".out", err_path = base + ".err";
    std::vector<std::string> argv = {opt_.scx_run, "--json"};
    argv.insert(argv.end(), opt_.run_args.begin(), opt_.run_args.end());
    argv.push_back(absolute_path(subject.path));
    auto child = spawn_logged(argv, out_path, err_path);
    if (!child)
        return start_error(std::move(child).error(), "scx-run for " + subject.label);

    auto read_text = [](const std::string &p) {
        auto t = read_file(p);
        return t ? *t : std::string();
    };
    // Stop scx-run and wait until the kernel is back on its own scheduler.
    auto stop = [&]() -> se::Status {
        child->signal(SIGINT);
        if (!child->wait_for(opt_.detach_timeout_ns)) {
            child->signal(SIGKILL);
            child->wait_for(5'000'000'000LL);
        }
        return se::wait_status(opt_.sysfs, opt_.detach_timeout_ns, [](const se::Status &s) { return s.disabled(); });
    };

    Sample failed;
    // Wait for "enabled" with our ops; scx-run may fail first.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(opt_.attach_timeout_ns);
    se::Status enabled;
    for (;;) {
        enabled = se::read_status(opt_.sysfs);
        if (enabled.ours())
            break;
        if (opt_.cancel && *opt_.cancel) {
            stop();
            return Error(Exit::interrupted, "interrupted");
        }
        if (!child->running()) {
            const int code = child->status().code;
            const std::string why = last_line(read_text(err_path));
            const std::string what = "scx-run " + subject.path;
            if (code > 1)
                return Error(exit_class(code),
                             what + " exited with status " + std::to_string(code) + (why.empty() ? "" : ": " + why));
            failed.exit_code = code;
            failed.signal = child->status().signal;
            // A policy that stalls every task stalls scx-bench too: it may
            // have been enabled and ejected before scx-bench could look.
            failed.failure =
                "scx-run exited before the scheduler was seen enabled (" + exit_text(code, child->status().signal) + ")";
            const std::string reason = run_exit_text(find_run_report(read_text(out_path)).get());
            if (!reason.empty() || !why.empty())
                failed.failure += ": " + (reason.empty() ? why : reason);
            stop();
            return failed;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            const auto st = stop();
            failed.failure = "sched_ext was not enabled with " + std::string(se::OPS_NAME) + " within " +
                             seconds_text(opt_.attach_timeout_ns) + " (state: " + enabled.describe() + ")";
            if (!st.disabled())
                return Error(Exit::unavailable, failed.failure + "; sched_ext still " + st.describe() + " after stopping scx-run");
            return failed;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    auto measured = measure_command(opt_.workload, opt_.metric, opt_.timeout_ns, opt_.cancel);
    const auto after = se::read_status(opt_.sysfs);
    bool alive = child->running();
    // Ejected: scx-run notices and reports why on its own; give it a moment
    // to do so before stopping it.
    if (!after.ours() && alive)
        alive = !child->wait_for(EJECTION_REPORT_NS);
    const auto stopped = stop();
    if (!measured)
        return measured;
    if (!stopped.disabled())
        return Error(Exit::unavailable, "sched_ext is still " + stopped.describe() + " " +
                                            seconds_text(opt_.detach_timeout_ns) + " after stopping scx-run");

    Sample s = std::move(*measured);
    const auto report = find_run_report(read_text(out_path));
    auto detail = j::object(), sx = j::object(), host = j::object();
    j::set(sx.get(), "before", status_json(enabled));
    j::set(sx.get(), "after", status_json(after));
    j::set(sx.get(), "after_stop", status_json(stopped));
    j::set(detail.get(), "sched_ext", sx);
    j::set(host.get(), "exit_code", child->status().code);
    j::set(host.get(), "signal", child->status().signal);
    if (report) {
        for (const char *key : {"exit", "counters"})
            if (json_t *v = json_object_get(report.get(), key))
                j::set(host.get(), key, j::Value::borrow(v));
    }
    j::set(detail.get(), "scx_run", host);
    s.detail = detail;

    const std::string reason = run_exit_text(report.get());
    const std::string why = reason.empty() ? last_line(read_text(err_path)) : reason;
    if (!after.ours() || !alive) {
        const std::string ejected = "the scheduler was not enabled any more after the workload (" + after.describe() +
                                    ")" + (why.empty() ? "" : ": " + why);
        s.failure = s.ok ? ejected : s.failure + "; " + ejected;
        s.ok = false;
    } else if (child->status().code != 0 && s.ok) {
        s.ok = false;
        s.failure = "scx-run exited with " + exit_text(child->status().code, child->status().signal) + " when stopped" +
                    (why.empty() ? "" : ": " + why);
    }
    return s;
}

} // namespace scx::bench
