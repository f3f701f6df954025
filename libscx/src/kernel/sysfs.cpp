// SPDX-License-Identifier: MIT
#include "kernel/sysfs.hpp"

#include "base/fs.hpp"

#include <chrono>
#include <sys/stat.h>
#include <thread>

namespace scx::sched_ext {

std::string Status::describe() const
{
    if (!present)
        return "absent";
    if (state.empty())
        return "unknown";
    return ops.empty() ? state : state + " (" + ops + ")";
}

Status read_status(const std::string &root)
{
    Status s;
    struct stat st {};
    s.present = ::stat(root.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if (!s.present)
        return s;
    s.state = read_first_line(root + "/state");
    if (s.state != "disabled")
        s.ops = read_first_line(root + "/root/ops");
    return s;
}

void sleep_poll_interval() { std::this_thread::sleep_for(std::chrono::milliseconds(10)); }

} // namespace scx::sched_ext
