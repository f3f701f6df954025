// SPDX-License-Identifier: MIT
//
// contain/confine.hpp - the one containment of policy code, for every
// backend.
//
// A policy is untrusted native code written by a model. Wherever it runs -
// checked, simulated, or as the kernel's scheduler - it runs in a child
// process that, before the first line of policy code:
//   - has resource limits: address space (memory), no core file, a few
//     open files, no new processes;
//   - runs as an unprivileged user when the tool was started as root (the
//     policy file is staged where that user can read it), with no
//     capabilities and no_new_privs;
//   - is under seccomp: a loading filter while dlopen() runs the policy's
//     constructors, then a running filter (contain/sandbox.hpp): no files
//     opened, no processes, no exec, no sockets, no signals to others; a
//     forbidden call ends the process and is named;
//   - leads a process group of its own that ends with the run, and dies
//     with its parent.
// The parent watches it (a call that does not return within the policy
// timeout, the run's wall-clock limit, cancellation) and turns however it
// ended into one RunExit (classify()).

#ifndef SCX_CONTAIN_CONFINE_HPP
#define SCX_CONTAIN_CONFINE_HPP

#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <scx/loader.hpp>
#include <scx/run.hpp>

#include "base/process.hpp"
#include "contain/record.hpp"
#include "contain/sandbox.hpp"

namespace scx::contain {

inline constexpr std::uint64_t DEFAULT_MEMORY = 4ULL << 30;

struct Confinement {
    std::string user;                             // started as root: run policy code as this account ("" = nobody)
    std::uint64_t memory_bytes = DEFAULT_MEMORY;  // address space of the policy's process; 0: no limit
    std::uint64_t call_timeout_ns = 10 * NSEC_PER_SEC; // one call into the policy (check, sim)
    std::uint64_t run_timeout_ns = 0;             // the whole run, wall clock; 0: none
};

// The limits of a policy's process (memory, no core, few files).
Limits process_limits(const Confinement &c);

// Child side, before any policy code: the limits, then - when `user` is
// given (the process is root) - that user without privileges, then
// no_new_privs and no new processes.
Result<void> confine(const Confinement &c, const sandbox::User *user);
// Child side: the loading filter, dlopen() of `path` (named `name` in
// messages), the check that the policy stacked no filter of its own, the
// running filter, then the policy's parameters: `params` applied
// (policy/params.hpp; Exit::data for a bad one) and every parameter's value
// recorded in `r`. A forbidden call ends the process (the parent names it).
Result<LoadedPolicy> load_policy(Record &r, const std::string &path, const std::string &name,
                                 const ParamAssignments &params = {});

// How a contained child ended, as its parent saw it.
struct ChildEnd {
    ExitStatus status;
    bool hung = false;      // no progress for call_timeout_ns: killed
    bool timed_out = false; // run_timeout_ns passed: killed
    bool cancelled = false; // *cancel became non-zero: killed
};
// The run's exit from the record and the child's end. `path` names the
// policy before it loaded; `where` is appended to messages (the simulator:
// " (near 0.25 s of simulated time)"). An Error when the child failed before
// the run (State::failed: not a policy, missing file...).
Result<RunExit> classify(const Record &r, const ChildEnd &end, const std::string &path, const Confinement &c,
                         const std::string &where = "");

// A whole contained run in a forked child (check, sim). In the child:
// prepare() (as the caller, before any policy code: open output files; the
// descriptors it opens are kept besides 0-2, everything else is closed),
// confine(), load_policy() from a staged copy when root, then body(policy),
// which ends by finish()ing the record. With no policy_path (the
// simulator's built-in scheduler), the child is confined the same way and
// body() gets no policy. The parent watches the record's
// beats, the run's wall clock and *cancel. Errors: the policy cannot be
// staged, the child cannot be created.
using Prepare = std::function<Result<void>()>;
using Body = std::function<void(LoadedPolicy *)>;
// `params` are the policy's parameters, set as load_policy() does.
Result<ChildEnd> run_contained(const std::string &policy_path, const Confinement &c, Record &rec,
                               const Prepare &prepare, const Body &body,
                               const volatile std::sig_atomic_t *cancel = nullptr,
                               const ParamAssignments &params = {});

// "policy 'fifo'" once the record names it, else the path.
std::string who(const Record &r, const std::string &path);

} // namespace scx::contain

#endif // SCX_CONTAIN_CONFINE_HPP
