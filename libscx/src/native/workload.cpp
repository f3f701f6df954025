// SPDX-License-Identifier: MIT
// Native workloads: the scxkit programs that run the simulator's built-in
// workloads on a real kernel, found and invoked with the same parameters.
#include "native/workload.hpp"

#include "base/fs.hpp"
#include "base/json.hpp"
#include "native/spec.hpp"

#include <cctype>
#include <cstdlib>
#include <unistd.h>

namespace scx::native {

std::string find_tool(const std::string &name)
{
    std::string var;
    for (char c : name)
        var += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char *env = std::getenv(var.c_str()); env && *env)
        return env;
    const std::string self = self_exe();
    if (!self.empty()) {
        const std::string sibling = dirname_of(self) + "/" + name;
        if (::access(sibling.c_str(), X_OK) == 0)
            return sibling;
    }
    return name;
}

Result<std::string> native_workload_program(const std::string &spec)
{
    const std::string name = spec_name(spec);
    if (name == "messaging")
        return std::string("scx-messaging");
    for (const std::string &n : workload_names())
        if (name == n)
            return std::string("scx-workload");
    std::string list = "messaging";
    for (const std::string &n : workload_names())
        list += ", " + n;
    return Error(Exit::usage, "unknown native workload '" + name + "' (on the kernel: " + list +
                                  "; other workloads run as a command after --)");
}

Result<std::vector<std::string>> native_workload_command(const std::string &spec)
{
    auto program = native_workload_program(spec);
    if (!program)
        return std::move(program).error();
    if (*program == "scx-messaging")
        return native_workload_command(spec, find_tool(*program));
    // Read here as scx-workload will: a bad spec is refused before a run.
    if (auto w = parse_workload(spec, usable_cpus()); !w)
        return std::move(w).error();
    return std::vector<std::string>{find_tool(*program), "--json", spec};
}

Result<std::vector<std::string>> native_workload_command(const std::string &spec, const std::string &program)
{
    const auto colon = spec.find(':');
    const std::string name = spec.substr(0, colon);
    if (name != "messaging")
        return Error(Exit::usage, "unknown native workload '" + name + "' (on the kernel: messaging; other workloads "
                                  "run as a command after --)");
    std::vector<std::string> argv = {program, "--json"};
    std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string item = rest.substr(0, comma);
        rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
        const auto eq = item.find('=');
        const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
        const bool number = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        const bool flag_on = value == "1" || value == "yes" || value == "true" || value == "on";
        const bool flag_off = value == "0" || value == "no" || value == "false" || value == "off";
        if ((key == "groups" || key == "loops") && number) {
            argv.push_back(key == "groups" ? "-g" : "-l");
            argv.push_back(value);
        } else if ((key == "thread" || key == "pipe") && (flag_on || flag_off)) {
            if (flag_on)
                argv.push_back(key == "thread" ? "-t" : "-p");
        } else if (key == "groups" || key == "loops" || key == "thread" || key == "pipe") {
            return Error(Exit::usage, "bad value '" + value + "' for messaging parameter " + key +
                                          (number || key == "groups" || key == "loops" ? " (a number)" : " (1 or 0)"));
        } else {
            return Error(Exit::usage, "unknown messaging parameter '" + key +
                                          "' on the kernel (groups, loops, thread, pipe)");
        }
    }
    return argv;
}

Result<double> native_workload_time(const std::string &output)
{
    auto doc = json::parse(output, "scx-messaging output");
    if (!doc)
        return std::move(doc).error();
    if (auto ok = json::check_schema(doc->get(), "scxkit.messaging", 1, "scx-messaging output"); !ok)
        return std::move(ok).error();
    const json_t *first = json_array_get(json_object_get(doc->get(), "duration_s"), 0);
    if (!json_is_number(first))
        return Error(Exit::data, "scx-messaging output has no duration_s");
    return json_number_value(first);
}

namespace {

Result<std::vector<RunMetric>> messaging_metrics(const std::string &output)
{
    auto t = native_workload_time(output);
    if (!t)
        return std::move(t).error();
    auto doc = json::parse(output, "scx-messaging output");
    const double messages = json::get_number(doc->get(), "messages");
    std::vector<RunMetric> m{
        {"messaging_s", *t, false},
        {"makespan_s", *t, false},
        {"throughput", *t > 0 ? messages / *t : 0.0, false},
        {"work_items", messages, true},
    };
    // The first run's context switches (older scx-messaging output has none).
    const json_t *vol = json_array_get(json_object_get(doc->get(), "voluntary_switches"), 0);
    const json_t *invol = json_array_get(json_object_get(doc->get(), "involuntary_switches"), 0);
    if (json_is_integer(vol) && json_is_integer(invol)) {
        const auto v = static_cast<double>(json_integer_value(vol)), i = static_cast<double>(json_integer_value(invol));
        m.push_back({"context_switches", v + i, true});
        m.push_back({"voluntary_switches", v, true});
        m.push_back({"involuntary_switches", i, true});
    }
    // The first run's CPU time of its tasks (older output has none).
    const json_t *cpu = json_array_get(json_object_get(doc->get(), "cpu_s"), 0);
    if (json_is_number(cpu))
        m.push_back({"makespan_cpu_s", json_number_value(cpu), false});
    return m;
}

} // namespace

Result<std::vector<RunMetric>> native_workload_metrics(const std::string &spec, const std::string &output)
{
    auto program = native_workload_program(spec);
    if (!program)
        return std::move(program).error();
    if (*program == "scx-messaging")
        return messaging_metrics(output);
    auto doc = json::parse(output, "scx-workload output");
    if (!doc)
        return std::move(doc).error();
    if (auto ok = json::check_schema(doc->get(), "scxkit.native", 1, "scx-workload output"); !ok)
        return std::move(ok).error();
    const std::string name = spec_name(spec);
    const char *ran = json::get_string(json_object_get(doc->get(), "workload"), "name");
    if (!ran || name != ran)
        return Error(Exit::data, "scx-workload output is for workload '" + std::string(ran ? ran : "?") + "', not '" +
                                     name + "'");
    const json_t *metrics = json_object_get(doc->get(), "metrics");
    if (!json_is_object(metrics) || json_object_size(metrics) == 0)
        return Error(Exit::data, "scx-workload output has no metrics");
    std::vector<RunMetric> out;
    const char *key;
    const json_t *value;
    json_object_foreach(const_cast<json_t *>(metrics), key, value) {
        if (!json_is_number(value))
            return Error(Exit::data, std::string("scx-workload output: metric ") + key + " is not a number");
        out.push_back(RunMetric{key, json_number_value(value), json_is_integer(value)});
    }
    return out;
}

} // namespace scx::native
