// SPDX-License-Identifier: MIT
#include "base/paths.hpp"

#include "base/fs.hpp"

#include <cstdlib>

#include "config.hpp"

namespace scx {

const char *version() { return SCX_VERSION; }

std::string build_root() { return SCX_BUILD_ROOT; }

bool running_from_build_tree()
{
    static const bool in_tree = [] {
        const std::string exe = self_exe();
        const std::string root = std::string(SCX_BUILD_ROOT) + "/";
        return !exe.empty() && exe.rfind(root, 0) == 0;
    }();
    return in_tree;
}

std::string include_dir()
{
    const char *env = std::getenv("SCX_INCLUDE_DIR");
    if (env && *env)
        return env;
    return running_from_build_tree() ? std::string(SCX_SOURCE_ROOT) + "/libscx/include" : SCX_INSTALL_INCLUDEDIR;
}

std::string policies_dir()
{
    return running_from_build_tree() ? std::string(SCX_SOURCE_ROOT) + "/policies" : SCX_INSTALL_POLICYDIR;
}

std::string policy_objects_dir()
{
    return running_from_build_tree() ? std::string(SCX_BUILD_ROOT) + "/policies" : SCX_INSTALL_POLICYLIBDIR;
}

} // namespace scx
