// SPDX-License-Identifier: MIT
// Compiler diagnostics parsing (GCC JSON, SARIF, plain text) on arbitrary
// compiler output; the first byte picks the format.
#include "loop/diagnostics.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const scx::DiagFormat formats[] = {scx::DiagFormat::gcc_json, scx::DiagFormat::sarif, scx::DiagFormat::text};
    const std::string_view text(reinterpret_cast<const char *>(data) + 1, size - 1);
    auto r = scx::parse_diagnostics(text, formats[data[0] % 3]);
    if (!r) {
        if (r.error().exit != scx::Exit::data)
            std::abort();
        return 0;
    }
    scx::attach_source(*r, "/tmp/x.cpp", "x.cpp", "line one\nline two\n");
    (void)scx::format_diagnostics(*r);
    auto j = scx::diagnostics_to_json(*r);
    auto back = scx::diagnostics_from_json(j.get());
    if (back.size() != r->size())
        std::abort();
    return 0;
}
