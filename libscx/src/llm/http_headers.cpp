// SPDX-License-Identifier: MIT
#include "llm/http.hpp"

#include <strings.h>

namespace scx::llm {

std::string header_value(const Headers &h, std::string_view name)
{
    for (const auto &[k, v] : h)
        if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), name.size()) == 0)
            return v;
    return {};
}

} // namespace scx::llm
