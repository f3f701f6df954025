// SPDX-License-Identifier: MIT
//
// <scx/sandbox.hpp> - the confinement policy code runs in.
//
// A policy never runs as root. The process that hosts it, in this order:
//  1. lock_memory()      as root: no page of it can be swapped out, and every
//                        future mapping is locked and populated at once;
//  2. drop_privileges()  to an unprivileged user: no groups, no capabilities
//                        (bounding set emptied), no_new_privs;
//  3. prefault_heap(): the heap is grown once and never trimmed, so
//     allocations in the scheduling path do not fault;
//  4. install_seccomp(loading)  before any policy code runs: what the
//                        dynamic loader needs (open for reading, map code,
//                        mprotect, stat) and nothing else: no exec, no
//                        process or thread, no socket, no file opened for
//                        writing. Then dlopen(): the policy's global
//                        constructors and its class constructor run here;
//  5. install_seccomp(running)  stacked on the first (the kernel applies
//                        both, the stricter wins): reading and writing open
//                        descriptors, anonymous non-executable memory, time,
//                        futexes, yielding, polling. Then Policy::init().
// Every call outside the allow-list is denied with EPERM and recorded in a
// Violation block (shared memory) so the supervisor can report it.

#ifndef SCX_SANDBOX_HPP
#define SCX_SANDBOX_HPP

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/fs.hpp"
#include <scx/result.hpp>

#include "contain/record.hpp"

namespace scx::sandbox {

struct User {
    uid_t uid = 65534;
    gid_t gid = 65534;
    std::string name = "nobody";
};

// "nobody" (the default), another account name, or a numeric uid[:gid].
// When the account "nobody" does not exist, uid/gid 65534 are used.
// Errors: Exit::usage (unknown user, or root).
Result<User> resolve_user(const std::string &spec);

// A copy of the policy that `user` can load by path once privileges are
// dropped: in a fresh directory under /tmp that only `user` (and root) may
// enter, read-only. Removed with the object. Staging as root means a policy
// readable only by root still loads, and the unprivileged process needs no
// descriptor or /proc/self/fd link (which would need it to be dumpable).
// Errors: Exit::no_input (the policy cannot be read), Exit::io.
struct StagedPolicy {
    TempDir dir;
    std::string path; // the copy
};
Result<StagedPolicy> stage_policy(const std::string &policy_path, const User &user);

Result<void> lock_memory();
Result<void> drop_privileges(const User &user);
// Grow the heap by `bytes`, touch it, and keep it (no trimming, no mmap'd
// chunks, one arena). Returns the bytes actually reserved.
Result<std::size_t> prefault_heap(std::size_t bytes);

enum class Stage {
    loading, // dlopen() of the policy: its constructors run under this one
    running, // Policy::init(), schedule(), exit()
};

// Install the allow-list of `stage` for the calling thread (and its future
// threads, which it cannot create); no_new_privs must be set. Filters stack:
// install `loading`, then `running`. A call outside the list ends the
// process at once (exit status DENIED_EXIT) after counting it and naming
// the first one in `r` (denied, denied_nr), which must stay mapped for the
// life of the process; its parent reports it.
inline constexpr int DENIED_EXIT = 125;
Result<void> install_seccomp(contain::Record *r, Stage stage);

// How many seccomp filters the calling thread runs under (Seccomp_filters in
// /proc/self/status), -1 if the kernel does not say. The worker checks it
// after loading a policy: code run by dlopen() may not stack filters of its
// own (one could turn the next filter's installation into a no-op).
int seccomp_filter_count();

// "openat" for a syscall number of this architecture ("syscall 1234" if unknown).
std::string syscall_name(int nr);

} // namespace scx::sandbox

#endif // SCX_SANDBOX_HPP
