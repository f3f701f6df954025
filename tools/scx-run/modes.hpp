// SPDX-License-Identifier: MIT
// The modes of scx-run, one file each.
#pragma once

#include <string>

// --check: load the policy and drive it on the in-process test backend.
int run_check(const std::string &policy_path, bool json_out);
