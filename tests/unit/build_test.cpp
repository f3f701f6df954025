// SPDX-License-Identifier: MIT
#include "loop/build.hpp"
#include "base/fs.hpp"

#include <csignal>
#include <dirent.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include "test.hpp"

// The limit cases: a private TMPDIR (the build's temporary directory and
// the compiler's files go there) and a FIFO nobody writes to, which a
// source includes so that the compiler waits in open() for ever.
static std::optional<scx::TempDir> g_dir;
static std::string g_tmpdir, g_fifo;
static volatile std::sig_atomic_t g_cancel = 0;

static int limits_setup(void **)
{
    auto d = scx::TempDir::create("build-test");
    if (!d)
        return -1;
    g_dir.emplace(std::move(*d));
    g_tmpdir = g_dir->path() + "/tmp";
    g_fifo = g_dir->path() + "/never.fifo";
    if (::mkdir(g_tmpdir.c_str(), 0700) != 0 || ::mkfifo(g_fifo.c_str(), 0600) != 0)
        return -1;
    ::setenv("TMPDIR", g_tmpdir.c_str(), 1);
    return 0;
}

static int limits_teardown(void **)
{
    ::unsetenv("TMPDIR");
    g_dir.reset();
    return 0;
}

static bool tmpdir_empty()
{
    DIR *d = ::opendir(g_tmpdir.c_str());
    if (!d)
        return false;
    int n = 0;
    while (auto *e = ::readdir(d))
        n += std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0;
    ::closedir(d);
    return n == 0;
}

// A policy source that first includes `header`.
static std::string source_including(const std::string &header)
{
    const std::string src = g_dir->path() + "/p.cpp";
    const bool ok = scx::write_file_atomic(src, "#include \"" + header + "\"\n"
                                                "#include <scx/policy.hpp>\n"
                                                "struct P : scx::Policy {\n"
                                                "    void schedule(scx::Context &ctx) override {\n"
                                                "        while (auto t = ctx.dequeue()) ctx.dispatch(scx::Dispatch(*t));\n"
                                                "    }\n"
                                                "};\n"
                                                "SCX_POLICY(P, \"p\")\n")
                        .ok();
    return ok ? src : "";
}

static scx::BuildConfig uncached()
{
    scx::BuildConfig cfg = scx::default_build_config();
    cfg.cache_dir.clear();
    return cfg;
}

static void registers_policy__plain_use__found(void **)
{
    assert_true(scx::registers_policy("struct P : scx::Policy {};\nSCX_POLICY(P, \"p\")\n"));
    assert_true(scx::registers_policy("SCX_POLICY (P, \"p\")"));
}

static void registers_policy__only_in_comment_or_string__not_found(void **)
{
    assert_false(scx::registers_policy("// SCX_POLICY(P, \"p\")\nint x;"));
    assert_false(scx::registers_policy("/* SCX_POLICY(P, \"p\") */ int x;"));
    assert_false(scx::registers_policy("const char *s = \"SCX_POLICY(P, x)\";"));
    assert_false(scx::registers_policy("MY_SCX_POLICY(P, \"p\")"));
    assert_false(scx::registers_policy("#define SCX_POLICY(a, b) nothing\n"));
    assert_false(scx::registers_policy(""));
}

static void policy_name_in__registration__returns_name(void **)
{
    assert_str_equal(scx::policy_name_in("SCX_POLICY(Fifo, \"fifo\")"), "fifo");
    assert_str_equal(scx::policy_name_in("// SCX_POLICY(A, \"a\")\nSCX_POLICY(B,\n  \"bee\")"), "bee");
    assert_str_equal(scx::policy_name_in("SCX_POLICY(NoName)"), "");
}

static void build__syntax_error__diagnostic_on_right_line(void **)
{
    auto tmp = scx::TempDir::create("build-test");
    assert_true(tmp.ok());
    const std::string src = tmp->path() + "/p.cpp";
    const std::string so = tmp->path() + "/p.so";
    assert_true(scx::write_file_atomic(src, "#include <scx/policy.hpp>\n"
                                            "struct P : scx::Policy {\n"
                                            "    void schedule(scx::Context &ctx) override {\n"
                                            "        while (auto t = ctx.dequeue()) ctx.dispatch(scx::Dispatch(*t))\n"
                                            "    }\n"
                                            "};\n"
                                            "SCX_POLICY(P, \"p\")\n")
                    .ok());
    scx::BuildConfig cfg = scx::default_build_config();
    cfg.cache_dir.clear();
    auto rep = scx::build_policy({src, so, {}, false}, cfg);
    assert_true(rep.ok());
    assert_false(rep->ok);
    assert_false(scx::file_exists(so));
    assert_true(scx::count_severity(rep->diagnostics, "error") >= 1);
    const auto &d = rep->diagnostics[0];
    assert_str_equal(d.file, src);
    assert_true(d.line == 4 || d.line == 5);
    assert_false(d.source_line.empty());
}

static void build__compiler_past_time_limit__stopped_and_said(void **)
{
    scx::BuildRequest req{source_including(g_fifo), g_dir->path() + "/p.so", {}, false};
    req.compile_timeout_ns = 1'000'000'000;
    auto rep = scx::build_policy(req, uncached());
    assert_true(rep.ok());
    assert_false(rep->ok);
    assert_str_equal(rep->stopped, "the compiler was stopped after 1 s (--compile-timeout)");
    assert_false(rep->diagnostics.empty());
    assert_str_equal(rep->diagnostics.back().severity, "error");
    assert_str_equal(rep->diagnostics.back().message, rep->stopped);
    assert_true(rep->seconds < 60);
    assert_false(scx::file_exists(req.output));
    assert_true(tmpdir_empty());
}

static void build__compiler_past_memory_limit__stopped_and_said(void **)
{
    scx::BuildRequest req{source_including("/dev/zero"), g_dir->path() + "/p.so", {}, false};
    req.compile_memory = 256ULL << 20;
    auto rep = scx::build_policy(req, uncached());
    assert_true(rep.ok());
    assert_false(rep->ok);
    assert_true(rep->stopped.rfind("the compiler ran out of memory at its limit of 256 MiB (--compile-memory): ", 0) == 0);
    assert_str_equal(rep->diagnostics.back().message, rep->stopped);
    assert_false(scx::file_exists(req.output));
    assert_true(tmpdir_empty());
}

extern "C" void raise_cancel(int) { g_cancel = 1; }

static void build__cancelled_while_compiling__interrupted_and_nothing_left(void **)
{
    const std::string out = g_dir->path() + "/p.so";
    assert_true(scx::write_file_atomic(out, "\x7f" "ELF an older build").ok());
    scx::BuildRequest req{source_including(g_fifo), out, {}, false};
    req.cancel = &g_cancel;
    g_cancel = 0;
    std::signal(SIGALRM, raise_cancel);
    ::alarm(1);
    auto rep = scx::build_policy(req, uncached());
    ::alarm(0);
    std::signal(SIGALRM, SIG_DFL);
    assert_false(rep.ok());
    assert_int_equal(static_cast<int>(rep.error().exit), 130);
    assert_str_equal(rep.error().message, "interrupted: the compiler was stopped; " + out + " was not written");
    assert_true(scx::file_exists(out)); // nothing removed either
    assert_true(tmpdir_empty());
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registers_policy__plain_use__found),
        cmocka_unit_test(registers_policy__only_in_comment_or_string__not_found),
        cmocka_unit_test(policy_name_in__registration__returns_name),
        cmocka_unit_test(build__syntax_error__diagnostic_on_right_line),
        cmocka_unit_test_setup_teardown(build__compiler_past_time_limit__stopped_and_said, limits_setup,
                                        limits_teardown),
        cmocka_unit_test_setup_teardown(build__compiler_past_memory_limit__stopped_and_said, limits_setup,
                                        limits_teardown),
        cmocka_unit_test_setup_teardown(build__cancelled_while_compiling__interrupted_and_nothing_left,
                                        limits_setup, limits_teardown),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
