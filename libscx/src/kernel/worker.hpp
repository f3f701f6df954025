// SPDX-License-Identifier: MIT
// The worker process of the kernel host: the unprivileged, contained side
// that runs the policy. Private to libscx.
#pragma once

#include "contain/confine.hpp"
#include "contain/record.hpp"
#include "kernel/kernel.hpp"

#include <cstddef>
#include <string>
#include <sys/types.h>

namespace scx::kernel {

// contain::Record::values of a kernel run's worker.
enum WorkerValue {
    SCHEDULE_CALLS,
    USER_FAILED,    // decisions refused in user space (the BPF counters do not see them)
    USER_CANCELLED, // decisions cancelled in user space (older record)
    MINFLT_READY,   // page faults when the policy was ready, and now
    MAJFLT_READY,
    MINFLT_NOW,
    MAJFLT_NOW,
    HEAP_BYTES,
};

struct WorkerSetup {
    std::string load_path;   // the staged copy of the policy, readable by `user`
    std::string policy_path; // as given (for messages)
    sandbox::User user;
    contain::Confinement confinement;
    std::size_t heap_bytes = 64 << 20;
    ParamAssignments params; // the policy's parameters, set before init()
};

// Runs in the forked child; never returns. `ready_fd` gets one byte once
// the policy is loaded, initialised and contained; everything else goes
// through `rec`.
[[noreturn]] void worker_main(Scheduler &sched, const WorkerSetup &setup, contain::Record &rec, int ready_fd,
                              pid_t supervisor);

} // namespace scx::kernel
