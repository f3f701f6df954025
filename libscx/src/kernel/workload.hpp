// SPDX-License-Identifier: MIT
//
// kernel/workload.hpp - the workload command of a kernel run: in a process
// group of its own (SIGTERM if the supervisor dies), standard input from
// /dev/null, its output captured for the report or passed on to standard
// error. The supervisor polls it in its watch loop.

#ifndef SCX_KERNEL_WORKLOAD_HPP
#define SCX_KERNEL_WORKLOAD_HPP

#include <poll.h>

#include <cstdint>
#include <string>
#include <vector>

#include <scx/run.hpp>

#include "base/fd.hpp"
#include "base/process.hpp"

namespace scx::kernel {

class WorkloadCommand {
public:
    Result<void> start(const std::vector<std::string> &argv, bool capture);
    bool started() const { return proc_.pid() > 0; }
    bool finished() const { return finished_; }
    // Still running? Reads its output and notices its end.
    bool running();
    // SIGTERM to its group; SIGKILL if it is still there a second later.
    void stop();
    // Read what its output pipes hold now.
    void pump();
    // Its output pipes and its end, for poll().
    void add_poll(std::vector<pollfd> &fds);
    CommandRun &result() { return run_; }

private:
    void finish();

    Subprocess proc_;
    Pipe out_, err_;
    bool capture_ = false, finished_ = false;
    std::uint64_t started_ = 0;
    CommandRun run_;
};

} // namespace scx::kernel

#endif // SCX_KERNEL_WORKLOAD_HPP
