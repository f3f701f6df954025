// SPDX-License-Identifier: MIT
//
// native/workload.hpp - the simulator's built-in workloads as native
// programs, for the kernel: "messaging[:groups=N,loops=N,thread=1,pipe=1]"
// becomes scx-messaging's command line, whose report carries the time.

#ifndef SCX_NATIVE_WORKLOAD_HPP
#define SCX_NATIVE_WORKLOAD_HPP

#include <string>
#include <vector>

#include <scx/result.hpp>

namespace scx::native {

// An scxkit program to run ("scx-run", "scx-messaging"): the environment
// variable named after it ($SCX_RUN, $SCX_MESSAGING) when set, else the one
// installed next to the running program, else the bare name (searched in
// PATH).
std::string find_tool(const std::string &name);

// "messaging[:groups=N,loops=N,thread=1,pipe=1]" - the parameters and
// defaults of the simulator's built-in - as the command line of scxkit's
// messaging program (`scx-messaging --json -g N -l N ...`), whose reported
// time is the metric "messaging_s". Exit::usage for another workload or an
// unknown parameter.
Result<std::vector<std::string>> native_workload_command(const std::string &spec, const std::string &program);
// The first time in an scxkit.messaging/1 document.
Result<double> native_workload_time(const std::string &output);

} // namespace scx::native

#endif // SCX_NATIVE_WORKLOAD_HPP
