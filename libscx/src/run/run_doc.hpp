// SPDX-License-Identifier: MIT
//
// <scx/run_doc.hpp> - pieces of the scxkit.run/1 document (scx-json(5))
// that every scx-run mode shares: the counters object and the human table.

#ifndef SCX_RUN_DOC_HPP
#define SCX_RUN_DOC_HPP

#include <string>

#include "base/json.hpp"
#include <scx/policy.hpp>

namespace scx::run_doc {

// {"nr_queued": ..., "nr_scheduled": ..., ...}: every scx::Counters field by its name.
json::Value counters(const Counters &c);

// A table for a person: policy, workload, exit, then every metric and
// counter, one per line.
std::string render_table(const json_t *doc);

} // namespace scx::run_doc

#endif // SCX_RUN_DOC_HPP
