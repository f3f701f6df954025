// SPDX-License-Identifier: MIT
// Transcripts written and read back; replay selection by hash, then in
// sequence across calls (the cursor), and its limits.
#include "base/fs.hpp"
#include "llm/generation.hpp"
#include "llm/replay.hpp"
#include "llm/transcript.hpp"

#include <optional>
#include <sys/stat.h>

#include "test.hpp"

using namespace scx::llm;

namespace {

std::optional<scx::TempDir> tmp;

Conversation conv(const std::string &req) { return Conversation{"sys", {{"user", req}}}; }

CallRecord record(const std::string &req, const std::string &answer)
{
    CallRecord rec;
    rec.started_at = "2026-01-01T00:00:00Z";
    rec.provider = "openai";
    rec.model = "m";
    rec.conversation = conv(req);
    rec.request_hash = conversation_hash(rec.conversation);
    rec.request_headers = {{"Authorization", "[redacted]"}};
    rec.request_body = scx::json::object();
    rec.attempts.push_back({0, 1, 200, "", -1});
    Reply r;
    r.text = answer + " sk-KEY-0123";
    r.finish_reason = "stop";
    r.usage = {10, 20};
    rec.reply = r;
    return rec;
}

int setup(void **)
{
    auto t = scx::TempDir::create("scx-replay-test");
    if (!t)
        return -1;
    tmp.emplace(std::move(*t));
    return 0;
}

int teardown(void **)
{
    tmp.reset();
    return 0;
}

std::string dir() { return tmp->path() + "/rec"; }
std::string state() { return tmp->path() + "/state"; }

} // namespace

static void transcript__write_read_round_trip_redacted(void **)
{
    auto path = write_transcript(dir(), record("a", "answer A"), "sk-KEY-0123");
    assert_true(path.ok());
    auto text = scx::read_file(*path);
    assert_null(std::strstr(text->c_str(), "sk-KEY-0123"));
    auto doc = scx::json::parse(*text, *path);
    auto call = read_transcript(doc->get(), *path);
    assert_true(call.ok());
    assert_str_equal(call->reply.text, "answer A [redacted]");
    assert_int_equal(call->reply.usage.output_tokens, 20);
    assert_str_equal(call->request_hash, conversation_hash(conv("a")));
    assert_str_equal(call->provider, "openai");
}

static void replay__hash_then_sequence_then_used_up(void **)
{
    assert_true(write_transcript(dir(), record("a", "A"), "").ok());
    assert_true(write_transcript(dir(), record("b", "B"), "").ok());
    auto h = replay_answer(dir(), conv("b"), state());
    assert_true(h.ok());
    assert_str_equal(h->match, "hash");
    assert_int_equal(h->index, 2);
    assert_int_equal(h->count, 2);
    assert_int_equal(h->call.reply.text.rfind("B", 0), 0);
    // The cursor is past the end now: a request without a match fails...
    auto none = replay_answer(dir(), conv("zzz"), state());
    assert_int_equal(static_cast<int>(none.error().exit), 69);
    // ...but a matching one is still served (from before the cursor).
    assert_true(replay_answer(dir(), conv("a"), state()).ok());
    // After "a" (index 1) the sequence continues with index 2.
    auto seq = replay_answer(dir(), conv("zzz"), state());
    assert_str_equal(seq->match, "sequence");
    assert_int_equal(seq->index, 2);
}

static void replay__without_state__always_from_start(void **)
{
    assert_true(write_transcript(dir(), record("a", "A"), "").ok());
    assert_true(write_transcript(dir(), record("b", "B"), "").ok());
    for (int i = 0; i < 3; i++)
        assert_int_equal(replay_answer(dir(), conv("zzz"), "")->index, 1);
}

static void replay__single_file__always_served(void **)
{
    auto path = write_transcript(dir(), record("a", "A"), "");
    for (int i = 0; i < 3; i++) {
        auto h = replay_answer(*path, conv("other"), state());
        assert_true(h.ok());
        assert_str_equal(h->match, "sequence");
    }
}

static void replay__missing_empty_or_failed__errors(void **)
{
    assert_int_equal(static_cast<int>(replay_answer(tmp->path() + "/none", conv("a"), "").error().exit), 66);
    assert_true(scx::make_dirs(dir()).ok());
    assert_int_equal(static_cast<int>(replay_answer(dir(), conv("a"), "").error().exit), 66);
    CallRecord failed = record("a", "A");
    failed.reply.reset();
    auto path = write_transcript(dir(), failed, "");
    auto r = replay_answer(*path, conv("a"), "");
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_non_null(std::strstr(r.error().message.c_str(), "has no reply"));
}

static void replay_call__fills_the_record_like_a_call(void **)
{
    assert_true(write_transcript(dir(), record("a", "answer A"), "sk-KEY-0123").ok());
    CallRecord rec;
    ReplayHit hit;
    auto r = replay_call(dir(), conv("a"), "", rec, hit);
    assert_true(r.ok());
    assert_str_equal(hit.match, "hash");
    assert_str_equal(rec.provider, "openai");
    assert_str_equal(rec.model, "m");
    assert_str_equal(rec.replayed_from, hit.call.path);
    assert_str_equal(rec.replay_match, "hash");
    assert_str_equal(rec.request_hash, conversation_hash(conv("a")));
    assert_true(rec.reply.has_value());
    assert_str_equal(rec.reply->text, r->text);
    assert_false(rec.started_at.empty());
}

static void save_reply__redacted_private_file(void **)
{
    const std::string path = save_reply("reply with sk-KEY-0123 inside", "sk-KEY-0123", tmp->path() + "/replies");
    assert_false(path.empty());
    auto text = scx::read_file(path);
    assert_true(text.ok());
    assert_null(std::strstr(text->c_str(), "sk-KEY-0123"));
    assert_non_null(std::strstr(text->c_str(), "[redacted]"));
    struct stat st {};
    assert_int_equal(::stat(path.c_str(), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_str_equal(save_reply("x", "", "/proc/no/such/dir"), "");
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(transcript__write_read_round_trip_redacted, setup, teardown),
        cmocka_unit_test_setup_teardown(replay__hash_then_sequence_then_used_up, setup, teardown),
        cmocka_unit_test_setup_teardown(replay__without_state__always_from_start, setup, teardown),
        cmocka_unit_test_setup_teardown(replay__single_file__always_served, setup, teardown),
        cmocka_unit_test_setup_teardown(replay__missing_empty_or_failed__errors, setup, teardown),
        cmocka_unit_test_setup_teardown(replay_call__fills_the_record_like_a_call, setup, teardown),
        cmocka_unit_test_setup_teardown(save_reply__redacted_private_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
