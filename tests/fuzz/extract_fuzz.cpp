// SPDX-License-Identifier: MIT
// Code extraction on arbitrary replies: never crashes, and whatever it
// returns registers a policy and ends with a newline.
#include "loop/build.hpp"
#include "loop/extract.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view reply(reinterpret_cast<const char *>(data), size);
    auto r = scx::extract_policy(reply);
    if (r) {
        if (!scx::registers_policy(r->code) || r->code.empty() || r->code.back() != '\n')
            std::abort();
        if (r->block > r->blocks || (r->method == "fence") != (r->block > 0))
            std::abort();
    } else if (r.error().exit != scx::Exit::data) {
        std::abort();
    }
    return 0;
}
