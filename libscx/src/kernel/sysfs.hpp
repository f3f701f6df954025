// SPDX-License-Identifier: MIT
//
// <scx/sched_ext_sysfs.hpp> - what the kernel says about sched_ext.
//
// /sys/kernel/sched_ext/state reads "enabled" while a BPF scheduler is
// attached and "disabled" otherwise (with "enabling"/"disabling" in between);
// /sys/kernel/sched_ext/root/ops names the attached scheduler. A kernel
// without sched_ext has no /sys/kernel/sched_ext at all. The root directory
// is a parameter so that tests can point it at a directory of their own.

#ifndef SCX_SCHED_EXT_SYSFS_HPP
#define SCX_SCHED_EXT_SYSFS_HPP

#include <cstdint>
#include <csignal>
#include <string>

#include "base/clock.hpp"

namespace scx::sched_ext {

inline constexpr const char *SYSFS_ROOT = "/sys/kernel/sched_ext";
// The ops name scxkit's kernel backend registers.
inline constexpr const char *OPS_NAME = "scxkit";

struct Status {
    bool present = false; // the kernel has sched_ext
    std::string state;    // "enabled", "disabled", ...; "" when absent
    std::string ops;      // the attached scheduler's name; "" when none
    bool enabled() const { return state == "enabled"; }
    bool disabled() const { return !present || state == "disabled"; }
    // Enabled with scxkit's ops attached.
    bool ours() const { return enabled() && ops.rfind(OPS_NAME, 0) == 0; }
    // "enabled (scxkit)", "disabled", "absent"
    std::string describe() const;
};

Status read_status(const std::string &root = SYSFS_ROOT);

// Poll read_status() every 10 ms until want(status) holds or timeout_ns
// passes; returns the last status read. `cancel`, when set, ends the wait
// early.
template <typename Pred> Status wait_status(const std::string &root, long long timeout_ns, Pred want,
                                            const volatile std::sig_atomic_t *cancel = nullptr);

// Implementation detail of wait_status().
void sleep_poll_interval();

template <typename Pred>
Status wait_status(const std::string &root, long long timeout_ns, Pred want, const volatile std::sig_atomic_t *cancel)
{
    const std::uint64_t deadline = monotonic_ns() + static_cast<std::uint64_t>(timeout_ns > 0 ? timeout_ns : 0);
    for (;;) {
        Status s = read_status(root);
        if (want(s) || monotonic_ns() >= deadline || (cancel && *cancel))
            return s;
        sleep_poll_interval();
    }
}

} // namespace scx::sched_ext

#endif // SCX_SCHED_EXT_SYSFS_HPP
