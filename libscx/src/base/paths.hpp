// SPDX-License-Identifier: MIT
//
// <scx/paths.hpp> - where scxkit's files are, installed or in a build tree.
//
// A tool run from the Meson build directory uses the source tree's headers and
// policies; an installed tool uses the installed ones. Both locations are
// recorded at configure time.

#ifndef SCX_PATHS_HPP
#define SCX_PATHS_HPP

#include <string>

namespace scx {

const char *version();             // "0.1.0"
bool running_from_build_tree();    // the executable lives under the configured build root
std::string include_dir();         // holds scx/policy.hpp ($SCX_INCLUDE_DIR overrides)
std::string policies_dir();        // policy sources (fifo.cpp, ...)
std::string policy_objects_dir();  // the reference policies, built (fifo.so, ...)
std::string build_root();          // Meson build root recorded at configure time

} // namespace scx

#endif // SCX_PATHS_HPP
