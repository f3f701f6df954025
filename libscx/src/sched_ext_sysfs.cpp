// SPDX-License-Identifier: MIT
#include <scx/sched_ext_sysfs.hpp>

#include <scx/fs.hpp>

#include <chrono>
#include <sys/stat.h>
#include <thread>

namespace scx::sched_ext {

namespace {

std::string first_line(const std::string &path)
{
    auto text = read_file(path);
    if (!text)
        return {};
    std::string s = *text;
    const auto nl = s.find('\n');
    if (nl != std::string::npos)
        s.erase(nl);
    return s;
}

} // namespace

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
    s.state = first_line(root + "/state");
    if (s.state != "disabled")
        s.ops = first_line(root + "/root/ops");
    return s;
}

void sleep_poll_interval() { std::this_thread::sleep_for(std::chrono::milliseconds(10)); }

} // namespace scx::sched_ext
