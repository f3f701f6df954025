// SPDX-License-Identifier: MIT
//
// <scx/run.hpp> - the run seam: run a policy on a workload, on any backend,
// and get one report.
//
// Every place that runs a policy - scx-run, scx-bench, the experiment loop,
// a program of your own - goes through a Backend:
//
//     auto backend = scx::make_backend(scx::BackendKind::sim, {"--cpus=4"});
//     scx::RunRequest req;
//     req.policy_path = "fifo.so";
//     req.workload = "messaging:groups=2,loops=100";
//     auto report = (*backend)->run(req);   // Result<RunReport>
//     std::puts(scx::report_json(*report).c_str());
//
// The backends differ in how tasks reach the policy, not in what a caller
// gets back: the check backend drives the policy by hand on an in-process
// test context, the simulator runs it on a deterministic model of a
// machine, the kernel backend makes it the machine's sched_ext scheduler.
// Whatever the backend, the policy's code runs in a contained child process
// (see scx-run(1), SECURITY) and every way a run can end is one ExitKind.

#ifndef SCX_RUN_HPP
#define SCX_RUN_HPP

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <scx/policy.hpp>
#include <scx/result.hpp>

namespace scx {

enum class BackendKind : std::uint8_t {
    check,  // the policy driven by hand on an in-process test context
    sim,    // the deterministic simulator
    kernel, // this machine's sched_ext kernel (root)
    vm,     // a sched_ext kernel booted under QEMU (no root, any host kernel)
};
const char *backend_name(BackendKind k); // "check", "sim", "kernel", "vm"

// How a run ended: one taxonomy for every backend.
enum class ExitKind : std::uint8_t {
    done,        // the workload finished, or the run was stopped as asked (duration, SIGINT on the kernel)
    stall,       // the watchdog ejected the policy: a runnable task waited too long
    error,       // the policy failed: it threw, or the kernel stopped it for an invalid operation
    crash,       // the policy's process was killed by a signal (SIGSEGV, SIGBUS, SIGABRT, ...)
    hang,        // a call into the policy did not return within the policy timeout
    limit,       // simulator: the simulated-time limit passed before the workload finished
    deadlock,    // simulator: every task blocked for ever
    ejected,     // the kernel stopped the scheduler for a reason of its own (sysrq, unregistered)
    sandbox,     // the policy made a forbidden system call (code: its number)
    oom,         // the policy's process reached its memory limit
    timeout,     // the run reached its wall-clock (or CPU time) limit
    exited,      // the policy's process ended by itself (exit(), _exit())
    interrupted, // stopped by a signal (SIGINT, SIGTERM) before the workload finished
};
// "done", "stall", ... as in the JSON documents.
const char *exit_kind_name(ExitKind k);
// The exit status a tool gives for a run that ended this way: 0 for done,
// 130 for interrupted, 1 for everything else.
int exit_status(ExitKind k);

struct RunExit {
    ExitKind kind = ExitKind::done;
    std::string reason;    // short and stable: "runnable task stall", "policy crashed", ...
    std::string message;   // details for a person
    std::int64_t code = 0; // the kernel's exit code, the signal (crash), the system call (sandbox)
    // A stall in the simulator: the task that waited longest and how long
    // (in the document as exit.stalled; pid 0 = none). The kernel says it
    // in the message only.
    std::int32_t stalled_pid = 0;
    std::string stalled_comm;
    std::uint64_t stalled_wait_ns = 0;
};

struct RunMetric {
    std::string name;
    double value = 0;
    bool integer = false; // printed without a fraction
};

// Where a run happened.
struct RunHost {
    BackendKind backend = BackendKind::sim;
    int cpus = 0;            // CPUs the run had (simulated or online)
    std::string kernel;      // kernel release (kernel, vm)
    std::string user;        // the account the policy ran as
    std::string accelerator; // vm: "kvm", "tcg" (multi-threaded) or "tcg-single"
    int reboots = 0;         // vm: new VMs booted so far after QEMU's TCG fault (the run was done again)
};

// The simulator's description of a run (deterministic: no wall-clock value).
struct SimRunInfo {
    std::string workload;                                    // built-in name or file
    std::vector<std::pair<std::string, std::string>> params; // every workload parameter, as used
    std::uint64_t tasks = 0;
    std::string throughput_unit;
    std::uint64_t seed = 1;
    std::vector<std::pair<std::string, std::uint64_t>> machine; // every machine parameter
    std::uint64_t watchdog_ns = 0;
    // The built-in default scheduler's tunables (the EEVDF model), when it ran.
    std::vector<std::pair<std::string, std::uint64_t>> scheduler_params;
};

// A command run as the workload while the policy was attached (kernel).
struct CommandRun {
    std::vector<std::string> argv;
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    bool timed_out = false;
    double wall_s = 0, user_s = 0, system_s = 0;
    bool captured = false; // out and err hold its output (RunRequest::capture_output); then in the document too
    std::string out, err;
};

// The sched_ext state seen around the workload (kernel): "enabled
// (scxkit)", "disabled", ...
struct SchedExtChecks {
    std::string before, after, after_stop;
};

// What the run cost, for people and benchmarks (never in the document: it
// would break the simulator's byte-identical output).
struct RunCost {
    double wall_s = 0, cpu_s = 0;       // of the run itself (the simulation, the attachment)
    double user_s = 0, system_s = 0;    // CPU time of the policy's process
    std::uint64_t events = 0;           // simulator: engine events processed
    std::uint64_t simulated_ns = 0;     // simulator: simulated time at the end
};

// A tunable parameter a policy declares (scx::Param in <scx/policy.hpp>;
// scx-policy(7), PARAMETERS).
struct ParamSpec {
    std::string name;
    std::string type; // "int", "real" or "bool"
    double def = 0, min = 0, max = 0; // bool: 0 or 1, range [0, 1]
    std::string unit, description;    // unit may be "" ("ns": durations such as 2ms are accepted)
};
// A parameter and the value it had in a run.
struct ParamSetting {
    ParamSpec spec;
    double value = 0;
};
// Values asked for, as NAME and VALUE text ("slice_ns", "2ms"), in order
// (a later one for the same name wins).
using ParamAssignments = std::vector<std::pair<std::string, std::string>>;

// The one record of a run. report_json() and report_table() print it.
struct RunReport {
    RunHost host;
    std::string policy;      // the policy's name (SCX_POLICY); "" if it never loaded
    std::string policy_path; // as given; "" for the kernel's own scheduler or BPF-only
    RunExit exit;
    std::optional<Counters> counters; // absent when the policy's process died before it could report
    std::vector<RunMetric> metrics;
    std::optional<SimRunInfo> sim;
    std::optional<CommandRun> command;
    std::optional<SchedExtChecks> sched_ext;
    // Every parameter the policy declares, with the value in effect
    // (defaults included); empty when it declares none or never loaded.
    std::vector<ParamSetting> params;
    RunCost cost;

    bool ok() const { return exit.kind == ExitKind::done; }
    const RunMetric *metric(const std::string &name) const;
};

// The scxkit.run/1 document (scx-json(5)), one line unless pretty; and the
// same report as a table for a person.
std::string report_json(const RunReport &r, bool pretty = true);
std::string report_table(const RunReport &r);
// Read an scxkit.run/1 document back (one another process printed, e.g. a
// kernel run inside a VM). Exit::data for anything that is not one.
Result<RunReport> parse_report(std::string_view json_text);

// A statistics line while a kernel run goes on (JSON Lines, "type": "stats").
struct StatsLine {
    double time_s = 0;            // since attach
    Counters counters;
    std::uint64_t nr_enqueued = 0, nr_sched_dispatches = 0;
    double decisions_per_s = 0;   // user dispatches over the last interval
};
std::string stats_json(const StatsLine &l);
std::string stats_text(const StatsLine &l);
// Read a statistics line back; nullopt for a line that is not one.
std::optional<StatsLine> parse_stats(std::string_view json_line);

// What to run.
struct RunRequest {
    enum class Scheduler : std::uint8_t {
        policy,   // the policy shared object at policy_path
        builtin,  // the backend's own scheduler: the kernel's default (kernel), the reference FIFO (sim)
        bpf_only, // kernel: the BPF half alone, a global FIFO with no user space
    };
    Scheduler scheduler = Scheduler::policy;
    std::string policy_path;
    // sim: WORKLOAD[:key=value,...] or a workload file (required);
    // kernel: a native workload (messaging[:key=value,...]) or "".
    std::string workload;
    // kernel: a command run while the policy is attached; the run ends when
    // it does. Empty: until --duration or a signal.
    std::vector<std::string> command;
    bool capture_output = false;  // keep the command's output in CommandRun (and the document) instead of passing it to stderr
    std::optional<std::uint64_t> seed; // sim: overrides --seed
    // The policy's parameters to set (NAME, VALUE), applied before init(),
    // on every backend. Backend::run refuses an unknown name or a bad or
    // out-of-range value with Exit::data before the policy runs; params
    // for a scheduler that is not a policy are refused with Exit::usage.
    ParamAssignments params;
    // Checked while the run goes on; non-zero stops it (ExitKind::interrupted).
    const volatile std::sig_atomic_t *cancel = nullptr;
};

using StatsSink = std::function<void(const StatsLine &)>;

class Backend {
public:
    virtual ~Backend() = default;
    virtual BackendKind kind() const = 0;
    // Run once. A run that ends badly (ejected, crashed, timed out, ...) is
    // a RunReport whose exit says so; an Error means the run could not
    // happen at all: a file that is not a policy (Exit::data), a missing
    // file (Exit::no_input), no root (Exit::no_perm), no sched_ext
    // (Exit::unavailable), a bad workload (Exit::usage), a bad parameter
    // (Exit::data), or interrupted before the policy ran (Exit::interrupted).
    virtual Result<RunReport> run(const RunRequest &req, const StatsSink &stats = {}) = 0;
};

// A backend configured with options in scx-run's syntax ("--cpus=4",
// "--watchdog=2s", "--partial"; scx-run(1) lists them). Exit::usage for an
// unknown option or a bad value.
Result<std::unique_ptr<Backend>> make_backend(BackendKind kind, const std::vector<std::string> &options = {});

} // namespace scx

#endif // SCX_RUN_HPP
