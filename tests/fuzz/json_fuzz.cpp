// SPDX-License-Identifier: MIT
// Every JSON reader on arbitrary text: the parser, the schema check, the
// build/run/bench feedback readers, the JSON Lines last-line reader, the
// history, prompt and transcript readers, the configuration parser, and the
// benchmark reader (with the analysis and the three printers on what it
// reads). Errors must be Exit::data; nothing may crash.
#include "bench/bench.hpp"
#include "loop/feedback.hpp"
#include "loop/history.hpp"
#include "base/json.hpp"
#include "llm/settings.hpp"
#include "llm/transcript.hpp"
#include "loop/prompt.hpp"

#include <cstdint>
#include <cstdlib>

namespace {

void expect_data(const scx::Error &e)
{
    if (e.exit != scx::Exit::data)
        std::abort();
}

template <typename R> void check(const R &r)
{
    if (!r.ok())
        expect_data(r.error());
}

void readers(const json_t *doc)
{
    check(scx::json::check_schema(doc, "scxkit.build", 1, "f"));
    check(scx::read_fix(doc, "f", 5));
    check(scx::read_feedback(doc, "f"));
    check(scx::prompt_from_json(doc, "f"));
    check(scx::llm::read_transcript(doc, "f"));
    (void)scx::render_members(doc, 0, 50);
    auto bench = scx::bench::from_json(doc, "f");
    check(bench);
    if (bench) {
        bench->config.bootstrap.resamples = 20;
        scx::bench::analyse(*bench, &*bench);
        (void)scx::json::dump(scx::bench::to_json(*bench).get());
        (void)scx::bench::format_table(*bench);
        (void)scx::bench::render_svg(*bench);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    if (auto doc = scx::json::parse(text, "f"); doc)
        readers(doc->get());
    else
        expect_data(doc.error());
    if (auto doc = scx::parse_document_or_last_line(text, "f"); doc)
        readers(doc->get());
    else
        expect_data(doc.error());
    if (auto h = scx::read_history(text, "f"); h)
        (void)scx::render_history(*h, 3);
    else
        expect_data(h.error());
    check(scx::llm::parse_config(text, "f"));
    return 0;
}
