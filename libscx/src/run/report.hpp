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

} // namespace scx

#endif // SCX_RUN_REPORT_HPP
