// SPDX-License-Identifier: MIT
// What the running kernel offers: sched_ext, BTF, the CPUs online.
#include "kernel/skeleton.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "kernel/sysfs.hpp"

#include <sys/utsname.h>

namespace scx::kernel {

std::uint64_t online_cpus()
{
    std::uint64_t n = 0;
    for_each_in_list(read_first_line("/sys/devices/system/cpu/online"), [&](int) { n++; });
    if (n == 0) {
        const int cpus = libbpf_num_possible_cpus();
        n = cpus > 0 ? static_cast<std::uint64_t>(cpus) : 1;
    }
    return n;
}


// ---------------------------------------------------------------- support

Support probe_support()
{
    Support s;
    const auto status = sched_ext::read_status();
    s.sched_ext = status.present;
    s.btf = file_exists("/sys/kernel/btf/vmlinux");
    s.state = status.state;
    s.ops = status.ops;
    struct utsname u {};
    if (::uname(&u) == 0)
        s.release = u.release;
    return s;
}

Result<void> check_support(const Support &s)
{
    if (!s.sched_ext)
        return Error(Exit::unavailable, "this kernel (" + s.release +
                                            ") has no sched_ext: /sys/kernel/sched_ext is missing (a kernel "
                                            "built with CONFIG_SCHED_CLASS_EXT=y is needed; scxkit is tested on "
                                            "6.16 to 7.3)");
    if (!s.btf)
        return Error(Exit::unavailable, "this kernel (" + s.release +
                                            ") exposes no BTF: /sys/kernel/btf/vmlinux is missing "
                                            "(CONFIG_DEBUG_INFO_BTF=y is needed)");
    if (s.state != "disabled")
        return Error(Exit::unavailable, "another sched_ext scheduler is active (state " + s.state +
                                            (s.ops.empty() ? "" : ", ops " + s.ops) + "); stop it first");
    return {};
}

} // namespace scx::kernel
