// SPDX-License-Identifier: MIT
// printf-style formatting into a std::string (internal to libscx).
#pragma once

#include <string>

namespace scx {

std::string strformat(const char *format, ...) __attribute__((format(printf, 1, 2)));

} // namespace scx
