// SPDX-License-Identifier: MIT
//
// <scx/strformat.hpp> - printf-style formatting into a std::string, and the
// few formats messages share.

#ifndef SCX_STRFORMAT_HPP
#define SCX_STRFORMAT_HPP

#include <string>
#include <vector>

namespace scx {

std::string strformat(const char *format, ...) __attribute__((format(printf, 1, 2)));

// A duration for a message: "30 s", "2.5 s", "0.25 s" (four significant
// digits at most).
std::string seconds_text(double seconds);

// Words joined by single spaces: a command line for a message.
std::string join(const std::vector<std::string> &words);

} // namespace scx

#endif // SCX_STRFORMAT_HPP
