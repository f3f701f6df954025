// SPDX-License-Identifier: MIT
// The worker process of the kernel host: the unprivileged side that runs the
// policy. Private to libscx.
#pragma once

#include "kernel/kernel.hpp"
#include "kernel/host.hpp"
#include "contain/sandbox.hpp"

#include <cstdint>

namespace scx::kernel {

// Shared (MAP_SHARED | MAP_ANONYMOUS) between supervisor and worker: how the
// worker tells what went wrong without files or pipes of structured data.
struct WorkerReport {
    std::uint32_t failed;        // 1: kind/message/exit_class are set
    std::int32_t exit_class;     // scx::Exit of the failure
    char kind[32];
    char message[2048];
    char policy[128];            // the policy's name once loaded
    sandbox::Violation violation;
    std::uint64_t schedule_calls;
    std::uint64_t user_failed, user_cancelled; // decisions refused / cancelled in user space
    std::uint64_t minflt_ready, majflt_ready, minflt_now, majflt_now;
    std::uint64_t heap_bytes;
};

// Runs in the forked child; never returns. It loads the policy from
// `load_path` (sandbox::stage_policy()'s copy, readable by `user`).
// `ready_fd` gets one byte once the policy is loaded, initialised and
// sandboxed.
[[noreturn]] void worker_main(Scheduler &sched, const HostOptions &opts, const std::string &load_path,
                              const sandbox::User &user, WorkerReport *report, int ready_fd, pid_t supervisor);

} // namespace scx::kernel
