// SPDX-License-Identifier: MIT
//
// <scx/sandbox.hpp> - the confinement policy code runs in.
//
// A policy never runs as root. The process that hosts it, in this order:
//  1. lock_memory()      as root: no page of it can be swapped out, and every
//                        future mapping is locked and populated at once;
//  2. drop_privileges()  to an unprivileged user: no groups, no capabilities
//                        (bounding set emptied), no_new_privs;
//  3. loads the policy, then prefault_heap(): the heap is grown once and
//     never trimmed, so allocations in the scheduling path do not fault;
//  4. install_seccomp()  an allow-list: reading and writing open
//                        descriptors, memory, time, futexes, yielding,
//                        polling. Opening files, creating processes or
//                        threads, exec, sockets, signals to others... are
//                        denied with EPERM and recorded in a Violation block
//                        (shared memory) so the supervisor can report them.

#ifndef SCX_SANDBOX_HPP
#define SCX_SANDBOX_HPP

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include <scx/result.hpp>

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

Result<void> lock_memory();
Result<void> drop_privileges(const User &user);
// Grow the heap by `bytes`, touch it, and keep it (no trimming, no mmap'd
// chunks, one arena). Returns the bytes actually reserved.
Result<std::size_t> prefault_heap(std::size_t bytes);

// Written by the SIGSYS handler, read by anyone sharing the memory.
struct Violation {
    std::uint64_t count; // denied system calls so far
    std::int32_t first_nr; // number of the first one denied
    std::int32_t reserved;
};

// Install the allow-list for the calling thread (and its future threads,
// which it cannot create). `v` must stay mapped for the life of the process.
Result<void> install_seccomp(Violation *v);

// "openat" for a syscall number of this architecture ("syscall 1234" if unknown).
std::string syscall_name(int nr);

} // namespace scx::sandbox

#endif // SCX_SANDBOX_HPP
