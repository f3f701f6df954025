// SPDX-License-Identifier: MIT
#include "llm/settings.hpp"

#include <map>

#include "test.hpp"

using namespace scx::llm;

namespace {

std::map<std::string, std::string> env;
const char *getenv_fake(const char *name)
{
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
}

ConfigFile config(const char *text)
{
    auto c = parse_config(text, "/home/u/.config/scxkit/generate.conf");
    assert_true(c.ok());
    return *c;
}

} // namespace

static void resolve__defaults__openai_needs_key(void **)
{
    env.clear();
    auto s = resolve_settings({}, getenv_fake, config(""));
    assert_false(s.ok());
    assert_int_equal(static_cast<int>(s.error().exit), 69);
    assert_non_null(std::strstr(s.error().message.c_str(), "OPENAI_API_KEY"));
    env["OPENAI_API_KEY"] = "sk-1";
    auto t = resolve_settings({}, getenv_fake, config(""));
    assert_true(t.ok());
    assert_str_equal(t->provider, "openai");
    assert_str_equal(t->endpoint, "https://api.openai.com/v1");
    assert_str_equal(t->model, "gpt-4o");
    assert_str_equal(t->api_key_from, "OPENAI_API_KEY");
    assert_int_equal(t->retries, 3);
    assert_true(t->stream);
}

static void resolve__precedence__flag_env_section_global(void **)
{
    env.clear();
    const char *text = "provider = ollama\nmodel = g\n[ollama]\nmodel = s\nendpoint = box:11434\n";
    auto a = resolve_settings({}, getenv_fake, config(text));
    assert_true(a.ok());
    assert_str_equal(a->model, "s");
    assert_str_equal(a->origin["model"], "generate.conf:4");
    assert_str_equal(a->endpoint, "http://box:11434");
    env["SCX_MODEL"] = "e";
    env["OLLAMA_HOST"] = "http://other:1";
    auto b = resolve_settings({}, getenv_fake, config(text));
    assert_str_equal(b->model, "e");
    assert_str_equal(b->endpoint, "http://other:1");
    SettingFlags f;
    f.model = "flag";
    f.provider = "anthropic";
    f.endpoint = "http://local:9";
    auto c = resolve_settings(f, getenv_fake, config(text));
    assert_true(c.ok());
    assert_str_equal(c->provider, "anthropic");
    assert_str_equal(c->model, "flag");
    assert_str_equal(c->endpoint, "http://local:9");
}

static void resolve__scx_api_key_wins__and_values_parse(void **)
{
    env.clear();
    env["ANTHROPIC_API_KEY"] = "a";
    env["SCX_API_KEY"] = "b";
    auto s = resolve_settings({"anthropic", "", "", "", {}, {}, {}, {}, {}, {}}, getenv_fake,
                              config("timeout = 2m\nconnect_timeout = 500ms\nretries = 0\nstream = no\ntemperature = 0.5\n"
                                     "max_tokens = 100\nprice_input = 3\nprice_output = 15\n"));
    assert_true(s.ok());
    assert_str_equal(s->api_key, "b");
    assert_str_equal(s->api_key_from, "SCX_API_KEY");
    assert_int_equal(s->timeout_ms, 120000);
    assert_int_equal(s->connect_timeout_ms, 500);
    assert_int_equal(s->retries, 0);
    assert_false(s->stream);
    assert_true(*s->temperature == 0.5);
    assert_int_equal(*s->max_tokens, 100);
    assert_true(*s->price_output == 15);
}

static void resolve__bad_values__named_by_origin_worded_as_options(void **)
{
    env.clear();
    env["SCX_PROVIDER"] = "gemini";
    auto a = resolve_settings({}, getenv_fake, config(""));
    assert_int_equal(static_cast<int>(a.error().exit), 64);
    assert_non_null(std::strstr(a.error().message.c_str(), "SCX_PROVIDER"));
    env.clear();
    // A value of the file: the words its option would give, after path:line.
    auto b = resolve_settings({}, getenv_fake, config("provider = ollama\ntemperature = hot\n"));
    assert_int_equal(static_cast<int>(b.error().exit), 65);
    assert_str_equal(b.error().message, "/home/u/.config/scxkit/generate.conf:2: invalid value 'hot' for temperature "
                                        "(expected a number from 0 to 2)");
    auto c = resolve_settings({}, getenv_fake, config("provider = ollama\ntimeout = 500us\n"));
    assert_str_equal(c.error().message, "/home/u/.config/scxkit/generate.conf:2: timeout must be at least 1ms");
    auto d = resolve_settings({}, getenv_fake, config("provider = ollama\nretries = 101\n"));
    assert_str_equal(d.error().message, "/home/u/.config/scxkit/generate.conf:2: invalid value '101' for retries "
                                        "(expected an integer from 0 to 100)");
    auto e = resolve_settings({}, getenv_fake, config("provider = ollama\nstream = maybe\n"));
    assert_str_equal(e.error().message, "/home/u/.config/scxkit/generate.conf:2: invalid value 'maybe' for stream "
                                        "(expected yes or no)");
    // The same range as the option: durations in any unit, no other limit.
    auto f = resolve_settings({}, getenv_fake, config("provider = ollama\ntimeout = 1500us\nconnect_timeout = 2d\n"));
    assert_non_null(std::strstr(f.error().message.c_str(), "generate.conf:3: invalid duration '2d' for connect_timeout"));
    auto g = resolve_settings({}, getenv_fake, config("provider = ollama\ntimeout = 1500us\nconnect_timeout = 36h\n"));
    assert_false(g.ok());
    auto h = resolve_settings({}, getenv_fake, config("provider = ollama\ntimeout = 1500us\nconnect_timeout = 2000m\n"));
    assert_true(h.ok());
    assert_int_equal(h->timeout_ms, 1);
    assert_int_equal(h->connect_timeout_ms, 120'000'000);
}

static void resolve__control_chars_in_key_or_endpoint__refused_by_origin(void **)
{
    env.clear();
    env["OPENAI_API_KEY"] = "sk-0123456789\r\nX-Injected: 1";
    auto a = resolve_settings({}, getenv_fake, config(""));
    assert_int_equal(static_cast<int>(a.error().exit), 69);
    assert_str_equal(a.error().message, "the API key from OPENAI_API_KEY contains a carriage return (0x0d) at character 14: "
                                        "keys go into an HTTP header and must not contain control characters (was a line "
                                        "ending copied with it?)");
    env["OPENAI_API_KEY"] = "sk-0123456789";
    SettingFlags f;
    f.endpoint = "http://h/v1\nX: y";
    auto b = resolve_settings(f, getenv_fake, config(""));
    assert_int_equal(static_cast<int>(b.error().exit), 64);
    assert_non_null(std::strstr(b.error().message.c_str(), "the endpoint from --endpoint contains a line feed (0x0a) at character 12"));
    env.clear();
    auto c = resolve_settings({}, getenv_fake, config("api_key = sk-0123456789\x7f\n"));
    assert_int_equal(static_cast<int>(c.error().exit), 65);
    assert_non_null(std::strstr(c.error().message.c_str(), "the API key from /home/u/.config/scxkit/generate.conf:1 contains byte 0x7f"));
    assert_null(std::strstr(c.error().message.c_str(), "sk-0123456789"));
    env["OLLAMA_HOST"] = "h:1\t";
    auto d = resolve_settings({}, getenv_fake, config(""));
    assert_int_equal(static_cast<int>(d.error().exit), 69);
    assert_non_null(std::strstr(d.error().message.c_str(), "the endpoint from OLLAMA_HOST contains a tab (0x09)"));
}

static void parse_config__errors_name_the_line(void **)
{
    auto a = parse_config("model = x\nnonsense\n", "c.conf");
    assert_false(a.ok());
    assert_non_null(std::strstr(a.error().message.c_str(), "c.conf:2: expected 'key = value'"));
    auto b = parse_config("[openai]\nprovider = x\n", "c.conf");
    assert_non_null(std::strstr(b.error().message.c_str(), "c.conf:2"));
    auto c = parse_config("[openai\n", "c.conf");
    assert_false(c.ok());
    auto d = parse_config("# comment\n; comment\n\nmodel = \"quoted value\"\n", "c.conf");
    assert_true(d.ok());
    assert_str_equal(d->sections[""]["model"].value, "quoted value");
}

static void redact__every_occurrence(void **)
{
    assert_str_equal(redact("key sk-12345678 and sk-12345678.", "sk-12345678"), "key [redacted] and [redacted].");
    assert_str_equal(redact("nothing", ""), "nothing");
    assert_str_equal(redact("from ollama", "ollama"), "from ollama");
}

static void resolve__no_provider_named__inferred_from_its_variables(void **)
{
    env.clear();
    env["ANTHROPIC_API_KEY"] = "sk-ant-1";
    auto a = resolve_settings({}, getenv_fake, config(""));
    assert_true(a.ok());
    assert_str_equal(a->provider, "anthropic");
    assert_str_equal(a->origin["provider"], "ANTHROPIC_API_KEY");
    assert_str_equal(a->api_key_from, "ANTHROPIC_API_KEY");
    env["OPENAI_BASE_URL"] = "http://127.0.0.1:1/v1"; // OpenAI's variables come first
    auto b = resolve_settings({}, getenv_fake, config(""));
    assert_true(b.ok());
    assert_str_equal(b->provider, "openai");
    assert_str_equal(b->origin["provider"], "OPENAI_BASE_URL");
    auto c = resolve_settings({}, getenv_fake, config("provider = ollama\n")); // named beats inferred
    assert_true(c.ok());
    assert_str_equal(c->provider, "ollama");
    env["SCX_PROVIDER"] = "anthropic";
    auto d = resolve_settings({}, getenv_fake, config(""));
    assert_true(d.ok());
    assert_str_equal(d->provider, "anthropic");
    assert_str_equal(d->origin["provider"], "SCX_PROVIDER");
    env.clear();
    env["OLLAMA_HOST"] = "box:11434";
    auto e = resolve_settings({}, getenv_fake, config(""));
    assert_true(e.ok());
    assert_str_equal(e->provider, "ollama");
    assert_str_equal(e->endpoint, "http://box:11434");
    env.clear();
    auto f = resolve_settings({}, getenv_fake, config(""));
    assert_false(f.ok()); // nothing set: openai, which needs a key
    assert_non_null(std::strstr(f.error().message.c_str(), "no API key for openai"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resolve__defaults__openai_needs_key),
        cmocka_unit_test(resolve__precedence__flag_env_section_global),
        cmocka_unit_test(resolve__scx_api_key_wins__and_values_parse),
        cmocka_unit_test(resolve__bad_values__named_by_origin_worded_as_options),
        cmocka_unit_test(resolve__control_chars_in_key_or_endpoint__refused_by_origin),
        cmocka_unit_test(parse_config__errors_name_the_line),
        cmocka_unit_test(resolve__no_provider_named__inferred_from_its_variables),
        cmocka_unit_test(redact__every_occurrence),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
