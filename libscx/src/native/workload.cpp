// SPDX-License-Identifier: MIT
// Native workloads: the scxkit programs that run the simulator's built-in
// workloads on a real kernel, found and invoked with the same parameters.
#include "native/workload.hpp"

#include "base/fs.hpp"
#include "base/json.hpp"

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

} // namespace scx::native
