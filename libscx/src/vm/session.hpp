// SPDX-License-Identifier: MIT
//
// vm/session.hpp - a VM that outlives one tool: `scx-vm start` boots it in
// the background and writes what the backends need into its directory;
// every --vm run with SCX_VM_SESSION (or --vm-session) set to that
// directory uses it instead of booting its own, one tool after another;
// `scx-vm stop` powers it off. The experiment loop keeps one for all its
// rounds.

#ifndef SCX_VM_SESSION_HPP
#define SCX_VM_SESSION_HPP

#include <string>

#include <scx/result.hpp>

#include "vm/backend.hpp"

namespace scx::vm {

struct SessionInfo {
    std::string dir, kernel, accelerator, console, socket;
    int cpus = 0;
    long pid = 0;
    double boot_s = 0;
};

// Boot a VM for a session in `dir` (created; "" = a new one under the
// cache) and return its description, also written to dir/session.json.
Result<SessionInfo> start_session(const VmSettings &s, const std::string &dir);
// The session in `dir`; Exit::unavailable when there is none or it is gone.
Result<SessionInfo> read_session(const std::string &dir);
// Power it off (the agent's quit, then SIGKILL after a grace period) and
// remove its directory (its console log is kept when the guest was in
// trouble, and the message says where).
Result<void> stop_session(const std::string &dir);

} // namespace scx::vm

#endif // SCX_VM_SESSION_HPP
