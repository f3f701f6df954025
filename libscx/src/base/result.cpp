// SPDX-License-Identifier: MIT
#include <scx/result.hpp>

#include <cstring>

namespace scx {

const char *exit_name(Exit e)
{
    switch (e) {
    case Exit::ok: return "ok";
    case Exit::failure: return "failure";
    case Exit::usage: return "usage";
    case Exit::data: return "data";
    case Exit::no_input: return "no_input";
    case Exit::unavailable: return "unavailable";
    case Exit::software: return "internal";
    case Exit::io: return "io";
    case Exit::temp_fail: return "temp_fail";
    case Exit::no_perm: return "no_perm";
    case Exit::interrupted: return "interrupted";
    }
    return "internal";
}

Error errno_error(Exit e, const std::string &what, int errnum)
{
    return Error(e, what + ": " + std::strerror(errnum));
}

} // namespace scx
