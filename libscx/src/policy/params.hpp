// SPDX-License-Identifier: MIT
//
// policy/params.hpp - a policy's tunable parameters (scx::Param in
// <scx/policy.hpp>): reading its declarations, checking NAME=VALUE text
// against them, and setting the values in the loaded policy before init().
//
// Every backend applies RunRequest::params the same way: the contained
// child that loads the policy checks the declarations, resolves the
// assignments (apply_params()) and records every parameter with its value
// for the report; a bad name or value fails the load with Exit::data, so
// no policy code but its constructors has run.

#ifndef SCX_POLICY_PARAMS_HPP
#define SCX_POLICY_PARAMS_HPP

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <scx/loader.hpp>
#include <scx/policy.hpp>
#include <scx/result.hpp>
#include <scx/run.hpp>

#include "contain/confine.hpp"

namespace scx {

inline constexpr std::size_t PARAM_NAME_MAX = 40; // characters of a parameter's name
inline constexpr std::size_t PARAM_UNIT_MAX = 15;

// "NAME=VALUE" -> {NAME, VALUE}. Exit::usage when there is no '=' or no
// name: "invalid parameter 'x' (expected NAME=VALUE, e.g. slice_ns=2ms)".
Result<std::pair<std::string, std::string>> parse_param_assignment(std::string_view text);
// A comma-separated list of them: "a=1,b=2ms" (a value cannot hold a comma).
Result<ParamAssignments> parse_param_list(std::string_view text);

// The declarations of a loaded policy (its Param members), checked: a name
// that is not [a-z][a-z0-9_]* or declared twice, a range with min > max, a
// default outside it, ... are Exit::data, with `who` (the policy's path)
// first in the message.
Result<std::vector<ParamSpec>> param_specs(const ParamInfo *list, const std::string &who);

// One value as text for `spec`: an integer or real literal, true/false/
// 1/0/yes/no for bool, and for unit "ns" a duration (2ms, 500us; a bare
// number counts in ns). Exit::data: "slice_ns=abc: not a duration
// (examples: 5000000, 2ms, 500us)", "slice_ns=1: out of range [100000,
// 100000000] ns".
Result<double> param_value(const ParamSpec &spec, std::string_view text);

// Every declared parameter with its value: the assignment's when one names
// it, else the default. Exit::data for a bad value or a name the policy
// does not declare: "vruntime.so: no parameter 'foo' (its parameters:
// slice_ns, wakeup_boost)".
Result<std::vector<ParamSetting>> resolve_params(const std::vector<ParamSpec> &specs, const ParamAssignments &given,
                                                 const std::string &who);

// Check the declarations of `policy`, resolve `given` against them and
// write the values into the policy object. What the contained child does
// after loading the policy, before init().
Result<std::vector<ParamSetting>> apply_params(LoadedPolicy &policy, const ParamAssignments &given,
                                               const std::string &who);

// A value as text: integers without a fraction, reals as %g with enough
// digits to read back, bools as true/false.
std::string param_value_text(const std::string &type, double value);
// "[100000, 100000000] ns" / "[0, 1]".
std::string param_range_text(const ParamSpec &spec);

// Exit::usage when `req` asks for parameters of something that is not a
// policy (the built-in scheduler, BPF-only): what every backend checks first.
Result<void> check_params_wanted(const RunRequest &req);

// The parameters the policy at `policy_path` declares, read by loading it
// in a contained child as `scx-run --check` does (its constructors run, no
// other hook). Empty when it declares none. Errors as loading it for a run:
// Exit::no_input, Exit::data (not a policy, invalid declarations), and
// Exit::failure when it fails while loaded (crash, forbidden call).
Result<std::vector<ParamSpec>> read_policy_params(const std::string &policy_path,
                                                  const contain::Confinement &confinement = {});

} // namespace scx

#endif // SCX_POLICY_PARAMS_HPP
