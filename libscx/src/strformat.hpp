// SPDX-License-Identifier: MIT
// printf-style formatting into a std::string, and the few formats messages
// share (internal to libscx).
#pragma once

#include <string>

namespace scx {

std::string strformat(const char *format, ...) __attribute__((format(printf, 1, 2)));

// A duration for a message: "30 s", "2.5 s", "0.25 s" (four significant
// digits at most).
std::string seconds_text(double seconds);

} // namespace scx
