// SPDX-License-Identifier: MIT
//
// scx-messaging - the messaging workload of `perf bench sched messaging`,
// without perf.

#include "base/json.hpp"
#include "native/messaging.hpp"

#include <cstdio>
#include <vector>

#include "../common/cli.hpp"

namespace {

constexpr const char *HELP = R"(Usage: scx-messaging [OPTIONS]

Run the messaging workload of `perf bench sched messaging` (hackbench):
groups of 20 senders and 20 receivers; every sender writes LOOPS messages of
100 bytes to every receiver of its group. Prints the time from the start
signal until the last task is reaped, as perf does.

Options:
  -g, --group N        number of groups, 1 to 10000 (default 10)
  -l, --nr_loops N     messages from each sender to each receiver (default 100)
  -p, --pipe           use pipes instead of AF_UNIX socket pairs
  -t, --thread         senders and receivers are threads, not processes
  -f, --format FORMAT  default (perf's text) or simple (seconds only, as
                       `perf bench -f simple`)
  -r, --repeat N       run N times (default 1); one result per run
      --sched-ext      run every task in the SCHED_EXT class (for scx-run
                       in partial mode)
      --json           an scxkit.messaging/1 document instead of text: every
                       run's time, its tasks' context switches and CPU time
  -h, --help           show this help and exit
  -V, --version        show the version and exit

Exit status: 0 success, 1 a task failed, 64 usage, 69 SCHED_EXT not
available, 75 out of processes, threads or descriptors. See scx-messaging(1).
)";

} // namespace

int main(int argc, char **argv)
{
    scx::cli::set_program("scx-messaging");
    static const struct option longopts[] = {
        {"group", required_argument, nullptr, 'g'}, {"nr_loops", required_argument, nullptr, 'l'},
        {"pipe", no_argument, nullptr, 'p'},        {"thread", no_argument, nullptr, 't'},
        {"format", required_argument, nullptr, 'f'}, {"repeat", required_argument, nullptr, 'r'},
        {"sched-ext", no_argument, nullptr, 'x'},   {"json", no_argument, nullptr, 'j'},
        {"help", no_argument, nullptr, 'h'},        {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };
    scx::messaging::Options opts;
    bool json = false, simple = false;
    long long repeat = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "g:l:ptf:r:hV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'g':
        case 'l': {
            // validate()'s ranges, so that each option has one range and one message.
            const long long max = c == 'g' ? scx::messaging::MAX_GROUPS : scx::messaging::max_loops(opts.fds);
            auto v = scx::cli::parse_int(c == 'g' ? "--group" : "--nr_loops", optarg, 1, max);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            (c == 'g' ? opts.groups : opts.loops) = static_cast<unsigned>(*v);
            break;
        }
        case 'p': opts.pipes = true; break;
        case 't': opts.threads = true; break;
        case 'f':
            if (std::string(optarg) == "simple")
                simple = true;
            else if (std::string(optarg) == "default")
                simple = false;
            else
                return scx::cli::usage_error(std::string("unknown format '") + optarg + "' (default or simple)");
            break;
        case 'r': {
            auto v = scx::cli::parse_int("--repeat", optarg, 1, 10'000);
            if (!v)
                return scx::cli::usage_error(v.error().message);
            repeat = *v;
            break;
        }
        case 'x': opts.sched_ext = true; break;
        case 'j': json = true; break;
        case 'h': return scx::cli::print_help(HELP);
        case 'V': return scx::cli::print_version();
        default: return scx::cli::bad_option(argv);
        }
    }
    if (optind < argc)
        return scx::cli::usage_error("unexpected argument '" + std::string(argv[optind]) + "'");
    if (auto v = scx::messaging::validate(opts); !v)
        return scx::cli::usage_error(v.error().message);

    std::vector<scx::messaging::Report> runs;
    for (long long i = 0; i < repeat; i++) {
        auto r = scx::messaging::run(opts);
        if (!r)
            return scx::cli::report(r.error(), json);
        runs.push_back(*r);
        if (!json) {
            const std::string text = simple ? scx::messaging::format_simple(*r) : scx::messaging::format_default(opts, *r);
            std::fputs(text.c_str(), stdout);
            std::fflush(stdout);
        }
    }
    if (json) {
        auto doc = scx::json::object();
        scx::json::set(doc.get(), "schema", scx::json::schema_id("scxkit.messaging", 1));
        scx::json::set(doc.get(), "groups", static_cast<int>(opts.groups));
        scx::json::set(doc.get(), "loops", static_cast<int>(opts.loops));
        scx::json::set(doc.get(), "fds", static_cast<int>(opts.fds));
        scx::json::set(doc.get(), "ipc", opts.pipes ? "pipe" : "socket");
        scx::json::set(doc.get(), "tasks_are", opts.threads ? "threads" : "processes");
        scx::json::set(doc.get(), "tasks", runs.front().tasks);
        scx::json::set(doc.get(), "messages", runs.front().messages);
        auto reals = [&](const char *name, double scx::messaging::Report::*field) {
            auto a = scx::json::array();
            for (const auto &r : runs)
                scx::json::append(a.get(), scx::json::Value::steal(json_real(r.*field)));
            scx::json::set(doc.get(), name, a);
        };
        reals("duration_s", &scx::messaging::Report::duration_s);
        auto counts = [&](const char *name, std::uint64_t scx::messaging::Report::*field) {
            auto a = scx::json::array();
            for (const auto &r : runs)
                scx::json::append(a.get(), scx::json::Value::steal(json_integer(static_cast<json_int_t>(r.*field))));
            scx::json::set(doc.get(), name, a);
        };
        counts("voluntary_switches", &scx::messaging::Report::voluntary_switches);
        counts("involuntary_switches", &scx::messaging::Report::involuntary_switches);
        reals("cpu_s", &scx::messaging::Report::cpu_s);
        std::printf("%s\n", scx::json::dump(doc.get(), false).c_str());
    }
    return 0;
}
