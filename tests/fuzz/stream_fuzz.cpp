// SPDX-License-Identifier: MIT
// The providers' stream decoders (SSE for OpenAI and Anthropic, NDJSON for
// Ollama) on arbitrary bytes fed in arbitrary pieces. The first byte picks
// the provider and the piece size.
#include "llm/provider.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const char *const names[] = {"openai", "anthropic", "ollama"};
    auto provider = scx::llm::make_provider(names[data[0] % 3]);
    const std::size_t step = 1 + data[0] / 3 % 64;
    auto d = provider->decoder();
    std::string seen;
    d->on_text = [&](std::string_view t) { seen += t; };
    const std::string_view bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
    for (std::size_t i = 0; i < bytes.size(); i += step) {
        auto r = d->feed(bytes.substr(i, step));
        if (!r) {
            if (r.error().exit != scx::Exit::data && r.error().exit != scx::Exit::temp_fail)
                std::abort();
            return 0;
        }
    }
    auto reply = d->finish();
    if (reply && reply->text != seen)
        std::abort();
    (void)provider->parse_reply(bytes);
    (void)provider->classify(500, bytes, {}, 0);
    return 0;
}
