// SPDX-License-Identifier: MIT
//
// JSON workload files (scxkit.workload/1, documented in scx-json(5)):
//
//   {"schema": "scxkit.workload/1", "name": "pingpong", "duration": "1s",
//    "channels": [{"name": "ping", "kind": "pipe", "size": 100}, ...],
//    "gates": ["start"],
//    "tasks": [{"name": "pinger", "count": 2, "nice": 0, "cpus": "0-1",
//               "program": [{"loop": 1000, "do": [{"send": "ping[$i]"},
//                                                 {"recv": "pong[$i]", "item": true}]}]}]}
#include "base/fs.hpp"
#include "base/json.hpp"
#include "base/parse.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>

#include "program.hpp"
#include "workload.hpp"

namespace scx::sim::detail {

namespace {

constexpr std::uint64_t DEFAULT_IPC_NS = 1000;

struct ChannelRef {
    std::int32_t first = 0;
    std::uint32_t count = 1;
};

class Loader {
public:
    Loader(std::string source, const Machine &mc) : src_(std::move(source)), mc_(mc) {}
    Result<Model> load(const json_t *doc);

private:
    Error bad(const std::string &where, const std::string &what) const
    {
        return Error(Exit::data, src_ + ": " + where + ": " + what);
    }
    // Every key of object `o` at `where` is one of `known` (what = "a
    // task", ...); else "<where>.<key>: unknown key" with a "did you mean".
    Result<void> known_keys(const json_t *o, const std::string &where, const std::vector<std::string> &known,
                            const std::string &what) const;
    // An optional boolean member (false when absent).
    Result<bool> flag(const json_t *o, const char *key, const std::string &where) const;
    Result<std::uint64_t> duration_value(const json_t *v, const std::string &where) const;
    Result<Duration> distribution(const json_t *v, const std::string &where) const;
    Result<std::uint64_t> count_value(const json_t *v, const std::string &where, std::uint64_t min, std::uint64_t max) const;
    Result<void> channels(const json_t *arr);
    Result<std::vector<int>> cpus(const json_t *v, const std::string &where) const;
    Result<void> program(const json_t *arr, const std::string &where, ProgramBuilder &p, std::uint64_t instances);
    Result<void> op(const json_t *o, const std::string &where, ProgramBuilder &p, std::uint64_t instances);
    // "name", "name[3]", "name[$i]", "name[$0]" -> channel, flags, loop var.
    Result<void> channel_ref(const json_t *v, const std::string &where, std::uint64_t instances, std::int32_t &arg,
                             std::uint8_t &flags, std::int8_t &var) const;

    std::string src_;
    const Machine &mc_;
    Model m_;
    std::map<std::string, ChannelRef> chan_;
    std::map<std::string, std::int32_t> gate_;
    std::map<std::string, std::int32_t> spawn_group_; // task name -> spawn group
    std::vector<std::uint64_t> loop_counts_;           // enclosing loops (0 = forever)
};

const char *const OPS = "run, sleep, send, recv, loop, spawn, wait, wait_gate, open_gate, mark, exit";

// The keys of each object, as scx-json(5) and the JSON Schema list them.
const std::vector<std::string> TOP_KEYS = {"schema", "name", "duration", "throughput_unit", "channels", "gates", "tasks"};
const std::vector<std::string> CHANNEL_KEYS = {"name", "kind", "size", "capacity", "count"};
const std::vector<std::string> TASK_KEYS = {"name",    "count", "nice",   "weight", "cpus",
                                            "threads", "start", "daemon", "program"};
const std::vector<std::string> DISTRIBUTION_KEYS = {"uniform", "exp"};
// Each op's key and its modifiers.
const std::vector<std::vector<std::string>> OP_KEYS = {
    {"run", "item"},  {"sleep"},       {"send", "cost", "item"}, {"recv", "cost", "item"}, {"loop", "do"},
    {"spawn", "cost"}, {"wait", "below"}, {"wait_gate"},           {"open_gate"},             {"mark"},
    {"exit"},
};

std::string list_words(const std::vector<std::string> &words)
{
    std::string s;
    for (const std::string &w : words)
        s += (s.empty() ? "" : ", ") + w;
    return s;
}

// ", did you mean 'count'?" when `key` is close to a known word, else
// " (<fallback>)".
std::string hint(const std::string &key, const std::vector<std::string> &known, const std::string &fallback)
{
    const std::string near = closest_word(key, known);
    return near.empty() ? " (" + fallback + ")" : ", did you mean '" + near + "'?";
}

Result<void> Loader::known_keys(const json_t *o, const std::string &where, const std::vector<std::string> &known,
                                const std::string &what) const
{
    const char *key;
    const json_t *v;
    json_object_foreach(const_cast<json_t *>(o), key, v)
    {
        (void)v;
        if (std::find(known.begin(), known.end(), key) != known.end())
            continue;
        const std::string in = what.rfind("a '", 0) == 0 ? " in " + what : "";
        return bad(where.empty() ? key : where + "." + key,
                   "unknown key" + in + hint(key, known, "keys of " + what + ": " + list_words(known)));
    }
    return {};
}

Result<bool> Loader::flag(const json_t *o, const char *key, const std::string &where) const
{
    const json_t *v = json_object_get(o, key);
    if (v && !json_is_boolean(v))
        return bad(where + "." + key, "expected true or false");
    return json_is_true(v);
}

Result<std::uint64_t> Loader::duration_value(const json_t *v, const std::string &where) const
{
    if (json_is_integer(v) && json_integer_value(v) >= 0)
        return static_cast<std::uint64_t>(json_integer_value(v));
    if (json_is_string(v)) {
        auto d = parse_duration(json_string_value(v), where);
        if (!d)
            return bad(where, d.error().message);
        return *d;
    }
    return bad(where, "expected a duration (nanoseconds, or a string such as \"10ms\")");
}

Result<Duration> Loader::distribution(const json_t *v, const std::string &where) const
{
    if (json_is_object(v)) {
        if (auto r = known_keys(v, where, DISTRIBUTION_KEYS, "a distribution"); !r)
            return std::move(r).error();
        if (json_object_size(v) != 1)
            return bad(where, "a distribution is {\"uniform\": [min, max]} or {\"exp\": mean}");
        if (const json_t *u = json_object_get(v, "uniform")) {
            if (!json_is_array(u) || json_array_size(u) != 2)
                return bad(where, "\"uniform\" takes [min, max]");
            auto lo = duration_value(json_array_get(u, 0), where + ".uniform[0]");
            if (!lo)
                return std::move(lo).error();
            auto hi = duration_value(json_array_get(u, 1), where + ".uniform[1]");
            if (!hi)
                return std::move(hi).error();
            if (*hi < *lo)
                return bad(where, "\"uniform\" needs min <= max");
            return Duration::uniform(*lo, *hi);
        }
        if (const json_t *e = json_object_get(v, "exp")) {
            auto mean = duration_value(e, where + ".exp");
            if (!mean)
                return std::move(mean).error();
            return Duration::exponential(*mean);
        }
        return bad(where, "a distribution is {\"uniform\": [min, max]} or {\"exp\": mean}");
    }
    auto d = duration_value(v, where);
    if (!d)
        return std::move(d).error();
    return Duration::fixed(*d);
}

Result<std::uint64_t> Loader::count_value(const json_t *v, const std::string &where, std::uint64_t min,
                                          std::uint64_t max) const
{
    if (!json_is_integer(v) || json_integer_value(v) < static_cast<json_int_t>(min) ||
        json_integer_value(v) > static_cast<json_int_t>(max))
        return bad(where, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return static_cast<std::uint64_t>(json_integer_value(v));
}

Result<void> Loader::channels(const json_t *arr)
{
    if (!arr)
        return {};
    if (!json_is_array(arr))
        return bad("channels", "expected an array");
    for (std::size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *c = json_array_get(arr, i);
        const std::string where = "channels[" + std::to_string(i) + "]";
        if (!json_is_object(c))
            return bad(where, "a channel is an object with a \"name\"");
        if (auto r = known_keys(c, where, CHANNEL_KEYS, "a channel"); !r)
            return r;
        const char *name = json::get_string(c, "name");
        if (!name || !*name)
            return bad(where, "a channel needs a \"name\"");
        if (chan_.count(name))
            return bad(where, "channel '" + std::string(name) + "' is declared twice");
        const char *kind = json::get_string(c, "kind");
        const std::string k = kind ? kind : "queue";
        std::uint64_t count = 1;
        if (const json_t *n = json_object_get(c, "count")) {
            auto r = count_value(n, where + ".count", 1, 1000000);
            if (!r)
                return std::move(r).error();
            count = *r;
        }
        std::uint64_t size = 100;
        if (const json_t *s = json_object_get(c, "size")) {
            auto r = count_value(s, where + ".size", 1, 4096);
            if (!r)
                return std::move(r).error();
            size = *r;
        }
        std::uint64_t capacity = 1;
        if (const json_t *s = json_object_get(c, "capacity")) {
            auto r = count_value(s, where + ".capacity", 1, 1u << 30);
            if (!r)
                return std::move(r).error();
            capacity = *r;
        }
        if (k != "pipe" && k != "socket" && k != "queue")
            return bad(where + ".kind", "unknown kind '" + k + "' (pipe, socket or queue)");
        chan_[name] = ChannelRef{static_cast<std::int32_t>(m_.channels.size()), static_cast<std::uint32_t>(count)};
        for (std::uint64_t j = 0; j < count; j++) {
            std::string n = count > 1 ? std::string(name) + "[" + std::to_string(j) + "]" : std::string(name);
            if (k == "pipe")
                m_.channels.push_back(pipe_channel(n, static_cast<std::uint32_t>(size)));
            else if (k == "socket")
                m_.channels.push_back(socket_channel(n, static_cast<std::uint32_t>(size)));
            else
                m_.channels.push_back(queue_channel(n, static_cast<std::uint32_t>(capacity)));
        }
    }
    return {};
}

Result<std::vector<int>> Loader::cpus(const json_t *v, const std::string &where) const
{
    std::vector<int> out;
    auto add = [&](long cpu) -> Result<void> {
        if (cpu < 0 || cpu >= mc_.cpus)
            return bad(where, "CPU " + std::to_string(cpu) + " does not exist (the machine has " + std::to_string(mc_.cpus) +
                                  " CPUs; change it with --cpus)");
        out.push_back(static_cast<int>(cpu));
        return {};
    };
    if (json_is_array(v)) {
        for (std::size_t i = 0; i < json_array_size(v); i++) {
            const json_t *c = json_array_get(v, i);
            if (!json_is_integer(c))
                return bad(where, "CPU numbers must be integers");
            if (auto r = add(static_cast<long>(json_integer_value(c))); !r)
                return std::move(r).error();
        }
    } else if (json_is_string(v)) {
        // "0-3,6"
        const std::string s = json_string_value(v);
        std::size_t pos = 0;
        while (pos < s.size()) {
            char *end = nullptr;
            const long lo = std::strtol(s.c_str() + pos, &end, 10);
            if (end == s.c_str() + pos)
                return bad(where, "CPU list '" + s + "' is not like \"0-3,6\"");
            long hi = lo;
            pos = static_cast<std::size_t>(end - s.c_str());
            if (pos < s.size() && s[pos] == '-') {
                hi = std::strtol(s.c_str() + pos + 1, &end, 10);
                if (end == s.c_str() + pos + 1 || hi < lo)
                    return bad(where, "CPU list '" + s + "' is not like \"0-3,6\"");
                pos = static_cast<std::size_t>(end - s.c_str());
            }
            for (long c = lo; c <= hi; c++)
                if (auto r = add(c); !r)
                    return std::move(r).error();
            if (pos < s.size() && s[pos] != ',')
                return bad(where, "CPU list '" + s + "' is not like \"0-3,6\"");
            pos++;
        }
    } else {
        return bad(where, "\"cpus\" is a list of CPU numbers or a string such as \"0-3,6\"");
    }
    if (out.empty())
        return bad(where, "a task must be allowed at least one CPU");
    return out;
}

Result<void> Loader::channel_ref(const json_t *v, const std::string &where, std::uint64_t instances, std::int32_t &arg,
                                 std::uint8_t &flags, std::int8_t &var) const
{
    if (!json_is_string(v))
        return bad(where, "expected a channel name such as \"c\", \"c[2]\", \"c[$i]\" or \"c[$0]\"");
    const std::string s = json_string_value(v);
    const auto br = s.find('[');
    const std::string name = s.substr(0, br);
    auto it = chan_.find(name);
    if (it == chan_.end())
        return bad(where, "unknown channel '" + name + "'");
    const ChannelRef &c = it->second;
    arg = c.first;
    flags = 0;
    var = -1;
    if (br == std::string::npos)
        return {};
    if (s.back() != ']')
        return bad(where, "malformed channel reference '" + s + "'");
    const std::string idx = s.substr(br + 1, s.size() - br - 2);
    std::uint64_t highest = 0;
    if (idx == "$i") {
        flags = OP_BASE;
        highest = instances - 1;
    } else if (idx.size() > 1 && idx[0] == '$') {
        char *end = nullptr;
        const long k = std::strtol(idx.c_str() + 1, &end, 10);
        if (*end || k < 0 || static_cast<std::size_t>(k) >= loop_counts_.size())
            return bad(where, "'" + idx + "' names no enclosing loop ($0 is the outermost, $" +
                                  std::to_string(loop_counts_.size()) + " would be too deep)");
        if (loop_counts_[static_cast<std::size_t>(k)] == 0)
            return bad(where, "'" + idx + "' is the counter of a loop without end");
        var = static_cast<std::int8_t>(k);
        highest = loop_counts_[static_cast<std::size_t>(k)] - 1;
    } else {
        const auto n = scx::parse_int(idx, 0, std::numeric_limits<long long>::max());
        if (!n)
            return bad(where, "malformed channel index '" + idx + "' (a number, $i or $0, $1, ...)");
        arg += static_cast<std::int32_t>(*n);
        highest = static_cast<std::uint64_t>(*n);
        if (highest >= c.count)
            return bad(where, "channel '" + s + "' does not exist ('" + name + "' has " + std::to_string(c.count) + ")");
        return {};
    }
    if (highest >= c.count)
        return bad(where, "'" + s + "' can reach index " + std::to_string(highest) + " but '" + name + "' has " +
                              std::to_string(c.count) + " channel(s)");
    return {};
}

Result<void> Loader::program(const json_t *arr, const std::string &where, ProgramBuilder &p, std::uint64_t instances)
{
    if (!json_is_array(arr))
        return bad(where, "a program is an array of ops");
    for (std::size_t i = 0; i < json_array_size(arr); i++)
        if (auto r = op(json_array_get(arr, i), where + "[" + std::to_string(i) + "]", p, instances); !r)
            return r;
    return {};
}

Result<void> Loader::op(const json_t *o, const std::string &where, ProgramBuilder &p, std::uint64_t instances)
{
    if (!json_is_object(o))
        return bad(where, std::string("an op is an object such as {\"run\": \"1ms\"} (ops: ") + OPS + ")");
    // Exactly one op key; then only that op's modifiers.
    const std::vector<std::string> *keys = nullptr;
    for (const auto &k : OP_KEYS) {
        if (!json_object_get(o, k[0].c_str()))
            continue;
        if (keys)
            return bad(where, "one op per object: found '" + (*keys)[0] + "' and '" + k[0] + "'");
        keys = &k;
    }
    if (!keys) {
        std::vector<std::string> ops, modifiers;
        for (const auto &k : OP_KEYS) {
            ops.push_back(k[0]);
            modifiers.insert(modifiers.end(), k.begin() + 1, k.end());
        }
        std::string key;
        const char *k;
        const json_t *v;
        json_object_foreach(const_cast<json_t *>(o), k, v)
        {
            (void)v;
            if (key.empty() || std::find(modifiers.begin(), modifiers.end(), key) != modifiers.end())
                key = k;
        }
        return bad(where, "unknown op '" + key + "'" + hint(key, ops, std::string("ops: ") + OPS));
    }
    if (auto r = known_keys(o, where, *keys, "a '" + (*keys)[0] + "' op"); !r)
        return r;
    auto item_flag = flag(o, "item", where);
    if (!item_flag)
        return std::move(item_flag).error();
    const bool item = *item_flag;
    auto cost = [&](std::uint64_t def) -> Result<std::uint64_t> {
        const json_t *c = json_object_get(o, "cost");
        return c ? duration_value(c, where + ".cost") : Result<std::uint64_t>(def);
    };
    if (const json_t *v = json_object_get(o, "run")) {
        auto d = distribution(v, where + ".run");
        if (!d)
            return std::move(d).error();
        p.run(*d, item ? OP_ITEM : 0);
    } else if (const json_t *s = json_object_get(o, "sleep")) {
        auto d = distribution(s, where + ".sleep");
        if (!d)
            return std::move(d).error();
        p.sleep(*d);
    } else if (const json_t *c = json_object_get(o, "send") ? json_object_get(o, "send") : json_object_get(o, "recv")) {
        const bool is_send = json_object_get(o, "send") != nullptr;
        std::int32_t arg = 0;
        std::uint8_t flags = 0;
        std::int8_t var = -1;
        if (auto r = channel_ref(c, where + (is_send ? ".send" : ".recv"), instances, arg, flags, var); !r)
            return r;
        auto k = cost(DEFAULT_IPC_NS);
        if (!k)
            return std::move(k).error();
        if (item)
            flags |= OP_ITEM;
        if (is_send)
            p.send(arg, flags, var, *k);
        else
            p.recv(arg, flags, var, *k);
    } else if (const json_t *l = json_object_get(o, "loop")) {
        std::uint64_t n = 0;
        if (json_is_string(l) && std::string(json_string_value(l)) == "forever") {
            p.forever();
        } else {
            auto r = count_value(l, where + ".loop", 0, 1ULL << 32);
            if (!r)
                return std::move(r).error();
            n = *r;
            p.loop(n);
            if (n == 0)
                n = 1; // (a loop of zero iterations still needs a valid counter range)
        }
        if (p.depth() > MAX_LOOP_DEPTH)
            return bad(where, "loops nested deeper than " + std::to_string(MAX_LOOP_DEPTH));
        loop_counts_.push_back(n);
        auto r = program(json_object_get(o, "do"), where + ".do", p, instances);
        loop_counts_.pop_back();
        if (!r)
            return r;
        p.end();
    } else if (const json_t *sp = json_object_get(o, "spawn")) {
        const char *name = json_string_value(sp);
        auto it = name ? spawn_group_.find(name) : spawn_group_.end();
        if (it == spawn_group_.end())
            return bad(where, "\"spawn\" names a task declared with \"start\": \"spawn\"");
        auto k = cost(50 * NSEC_PER_USEC);
        if (!k)
            return std::move(k).error();
        p.spawn(it->second, *k);
    } else if (const json_t *w = json_object_get(o, "wait")) {
        if (!json_is_string(w) || std::string(json_string_value(w)) != "children")
            return bad(where, "\"wait\" takes \"children\" (and optionally \"below\": N)");
        if (const json_t *below = json_object_get(o, "below")) {
            auto r = count_value(below, where + ".below", 1, 1000000);
            if (!r)
                return std::move(r).error();
            p.wait_below(static_cast<std::int32_t>(*r));
        } else {
            p.wait_children();
        }
    } else if (const json_t *g = json_object_get(o, "wait_gate") ? json_object_get(o, "wait_gate")
                                                                   : json_object_get(o, "open_gate")) {
        const char *name = json_string_value(g);
        auto it = name ? gate_.find(name) : gate_.end();
        if (it == gate_.end())
            return bad(where, "unknown gate (declare it in \"gates\")");
        if (json_object_get(o, "wait_gate"))
            p.gate_wait(it->second);
        else
            p.gate_open(it->second);
    } else if (const json_t *mk = json_object_get(o, "mark")) {
        const char *what = json_string_value(mk);
        if (what && std::string(what) == "start")
            p.mark_start();
        else if (what && std::string(what) == "stop")
            p.mark_stop();
        else
            return bad(where, "\"mark\" takes \"start\" or \"stop\"");
    } else if (const json_t *e = json_object_get(o, "exit")) {
        if (!json_is_true(e))
            return bad(where + ".exit", "expected true");
        p.exit_op();
    } else {
        const char *key = json_object_iter_key(json_object_iter(const_cast<json_t *>(o)));
        return bad(where, "unknown op '" + std::string(key ? key : "") + "' (ops: " + OPS + ")");
    }
    return {};
}

Result<Model> Loader::load(const json_t *doc)
{
    if (auto r = json::check_schema(doc, "scxkit.workload", 1, src_); !r)
        return std::move(r).error();
    if (auto r = known_keys(doc, "", TOP_KEYS, "a workload"); !r)
        return std::move(r).error();
    const char *name = json::get_string(doc, "name");
    m_.name = name && *name ? name : basename_of(src_);
    if (const char *unit = json::get_string(doc, "throughput_unit"))
        m_.throughput_unit = unit;
    if (const json_t *d = json_object_get(doc, "duration")) {
        auto r = duration_value(d, "duration");
        if (!r)
            return std::move(r).error();
        m_.duration_ns = *r;
        m_.params.emplace_back("duration", format_duration(*r));
    }
    m_.params.emplace_back("file", src_);
    if (auto r = channels(json_object_get(doc, "channels")); !r)
        return std::move(r).error();
    if (const json_t *g = json_object_get(doc, "gates")) {
        if (!json_is_array(g))
            return bad("gates", "expected an array of names");
        for (std::size_t i = 0; i < json_array_size(g); i++) {
            const char *gn = json_string_value(json_array_get(g, i));
            if (!gn)
                return bad("gates[" + std::to_string(i) + "]", "expected a name");
            gate_[gn] = static_cast<std::int32_t>(m_.gates++);
        }
    }
    const json_t *tasks = json_object_get(doc, "tasks");
    if (!json_is_array(tasks) || json_array_size(tasks) == 0)
        return bad("tasks", "a workload needs a non-empty \"tasks\" array");

    // First pass: names and spawn groups, so that programs may spawn any task.
    for (std::size_t i = 0; i < json_array_size(tasks); i++) {
        const json_t *t = json_array_get(tasks, i);
        const char *tn = json::get_string(t, "name");
        const std::string where = "tasks[" + std::to_string(i) + "]";
        if (auto r = json_is_object(t) ? known_keys(t, where, TASK_KEYS, "a task") : Result<void>(); !r)
            return std::move(r).error();
        if (!tn || !*tn)
            return bad(where, "a task needs a \"name\"");
        const char *start = json::get_string(t, "start");
        if (start && std::string(start) == "spawn") {
            if (spawn_group_.count(tn))
                return bad(where, "task '" + std::string(tn) + "' is declared twice");
            spawn_group_[tn] = static_cast<std::int32_t>(m_.groups.size());
            m_.groups.emplace_back();
        }
    }

    std::uint32_t tgid = 0;
    for (std::size_t i = 0; i < json_array_size(tasks); i++) {
        const json_t *t = json_array_get(tasks, i);
        const std::string where = "tasks[" + std::to_string(i) + "]";
        const std::string tn = json::get_string(t, "name");
        std::uint64_t count = 1;
        if (const json_t *c = json_object_get(t, "count")) {
            auto r = count_value(c, where + ".count", 1, 1000000);
            if (!r)
                return std::move(r).error();
            count = *r;
        }
        std::uint64_t weight = WEIGHT_DEFAULT, load_weight = 0;
        if (const json_t *n = json_object_get(t, "nice")) {
            if (!json_is_integer(n) || json_integer_value(n) < -20 || json_integer_value(n) > 19)
                return bad(where + ".nice", "expected an integer from -20 to 19");
            weight = nice_to_weight(static_cast<int>(json_integer_value(n)));
            load_weight = nice_to_load_weight(static_cast<int>(json_integer_value(n)));
        }
        if (const json_t *w = json_object_get(t, "weight")) {
            auto r = count_value(w, where + ".weight", 1, 10000);
            if (!r)
                return std::move(r).error();
            weight = *r;
            load_weight = 0;
        }
        std::uint32_t affinity = 0;
        if (const json_t *c = json_object_get(t, "cpus")) {
            auto r = cpus(c, where + ".cpus");
            if (!r)
                return std::move(r).error();
            m_.affinities.push_back(std::move(*r));
            affinity = static_cast<std::uint32_t>(m_.affinities.size() - 1);
        }
        std::uint64_t start = 0;
        bool spawned = false;
        if (const json_t *s = json_object_get(t, "start")) {
            if (json_is_string(s) && std::string(json_string_value(s)) == "spawn") {
                spawned = true;
            } else {
                auto r = duration_value(s, where + ".start");
                if (!r)
                    return std::move(r).error();
                start = *r;
                if (start == NEVER)
                    start--;
            }
        }
        auto threads_flag = flag(t, "threads", where);
        if (!threads_flag)
            return std::move(threads_flag).error();
        auto daemon_flag = flag(t, "daemon", where);
        if (!daemon_flag)
            return std::move(daemon_flag).error();
        const bool threads = *threads_flag, daemon = *daemon_flag;
        ProgramBuilder p;
        if (auto r = program(json_object_get(t, "program"), where + ".program", p, count); !r)
            return std::move(r).error();
        m_.programs.push_back(p.finish());
        const auto prog = static_cast<std::uint32_t>(m_.programs.size() - 1);
        const std::uint32_t shared_tgid = tgid;
        for (std::uint64_t k = 0; k < count; k++) {
            TaskModel tm;
            tm.comm = tn.substr(0, 15);
            tm.program = prog;
            tm.base = static_cast<std::int32_t>(k);
            tm.weight = weight;
            tm.load_weight = load_weight;
            tm.affinity = affinity;
            tm.tgid = threads ? shared_tgid : tgid++;
            tm.start_ns = spawned ? NEVER : start;
            tm.daemon = daemon;
            if (spawned)
                m_.groups[static_cast<std::size_t>(spawn_group_[tn])].tasks.push_back(
                    static_cast<std::uint32_t>(m_.tasks.size()));
            m_.tasks.push_back(tm);
        }
        if (threads)
            tgid++;
    }
    return std::move(m_);
}

} // namespace

Result<Model> build_from_json(std::string_view text, const std::string &source, const Machine &m)
{
    auto doc = json::parse(text, source);
    if (!doc)
        return std::move(doc).error();
    Loader loader(source, m);
    return loader.load(doc->get());
}

} // namespace scx::sim::detail
