// SPDX-License-Identifier: MIT
//
// run/report.hpp - the run document as a JSON value, for the library's own
// documents that embed parts of it (scx-bench's samples).

#ifndef SCX_RUN_REPORT_HPP
#define SCX_RUN_REPORT_HPP

#include <scx/run.hpp>

#include "base/json.hpp"

namespace scx {

// The scxkit.run/1 document of `r` (what report_json() prints).
json::Value report_value(const RunReport &r);
// The "metrics" object: integers as integers.
json::Value metrics_value(const std::vector<RunMetric> &metrics);
// One parameter's value in its JSON type: true/false, an integer, a real.
json::Value param_json(const std::string &type, double value);
// The "params" object {name: value} of a run's parameters.
json::Value params_value(const std::vector<ParamSetting> &params);

} // namespace scx

#endif // SCX_RUN_REPORT_HPP
