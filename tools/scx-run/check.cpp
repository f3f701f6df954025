// SPDX-License-Identifier: MIT
// scx-run --check: load a policy and exercise it on the in-process test
// backend, without a kernel or a simulation.
#include "modes.hpp"

#include <scx/loader.hpp>
#include <scx/test_backend.hpp>

#include <cstdio>

#include "../common/cli.hpp"

namespace {

constexpr int CHECK_TASKS = 8;
constexpr int CHECK_ROUNDS = 16;

} // namespace

const char *const CHECK_USAGE = "scx-run --check [--json] POLICY.so\n";
const char *const CHECK_HELP = R"(Check mode:
      --check          load the policy (checking its ABI), hand it a few tasks
                       on the in-process test backend and report whether it
                       dispatched them all
      --json           JSON output (the default when stdout is not a terminal)
)";

int run_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"check", no_argument, nullptr, 'c'},
        {"json", no_argument, nullptr, 'j'},
        {nullptr, 0, nullptr, 0},
    };
    bool json_out = !scx::cli::stdout_is_tty();
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, nullptr)) != -1) {
        switch (c) {
        case 'c': break;
        case 'j': json_out = true; break;
        default: return scx::cli::bad_option(argv);
        }
    }
    if (optind >= argc)
        return scx::cli::usage_error("missing POLICY.so");
    if (optind + 1 < argc)
        return scx::cli::usage_error("too many arguments");
    const std::string policy_path = argv[optind];

    auto lp = scx::LoadedPolicy::open(policy_path);
    if (!lp)
        return scx::cli::report(lp.error(), json_out);

    // Queue a few tasks on a 4-CPU context with two idle CPUs, then give the
    // policy some rounds to dispatch all of them.
    scx::testing::ScriptedContext ctx(4);
    ctx.set_idle(0, false);
    ctx.set_idle(1, false);
    if (auto r = lp->init(ctx); !r)
        return scx::cli::report(r.error(), json_out);
    for (int i = 0; i < CHECK_TASKS; i++) {
        auto t = scx::testing::ScriptedContext::make_task(1000 + i, i % 4, "check");
        if (i % 2)
            t.flags = scx::ENQ_WAKEUP;
        ctx.queue(t);
    }
    int rounds = 0;
    while (rounds < CHECK_ROUNDS && (ctx.dispatches().size() < CHECK_TASKS)) {
        ctx.set_pending(0);
        if (auto r = lp->schedule(ctx); !r)
            return scx::cli::report(r.error(), json_out);
        rounds++;
        ctx.advance(scx::NSEC_PER_MSEC);
    }
    if (auto r = lp->exit(ctx); !r)
        return scx::cli::report(r.error(), json_out);
    const auto dispatched = ctx.dispatches().size();
    const bool ok = dispatched == CHECK_TASKS;

    auto doc = scx::json::object();
    scx::json::set(doc.get(), "schema", scx::json::schema_id("scxkit.check", 1));
    scx::json::set(doc.get(), "ok", ok);
    scx::json::set(doc.get(), "path", policy_path);
    scx::json::set(doc.get(), "policy", lp->name());
    scx::json::set(doc.get(), "abi", static_cast<int>(scx::POLICY_ABI));
    scx::json::set(doc.get(), "tasks", CHECK_TASKS);
    scx::json::set(doc.get(), "dispatched", static_cast<std::uint64_t>(dispatched));
    scx::json::set(doc.get(), "rounds", rounds);
    if (json_out)
        std::printf("%s\n", scx::json::dump(doc.get()).c_str());
    else
        std::printf("%s: policy '%s' (ABI %u) dispatched %zu of %d tasks in %d round%s\n", policy_path.c_str(),
                    lp->name().c_str(), scx::POLICY_ABI, dispatched, CHECK_TASKS, rounds, rounds == 1 ? "" : "s");
    if (!ok) {
        std::fprintf(stderr, "scx-run: error: %s: the policy left %zu of %d tasks undispatched after %d rounds\n",
                     policy_path.c_str(), CHECK_TASKS - dispatched, CHECK_TASKS, rounds);
        return 1;
    }
    return 0;
}
