// SPDX-License-Identifier: MIT
// A policy's parameters as text: NAME=VALUE, values checked against a
// declaration, resolved against all of them (policy/params.hpp). No
// loading here: the tools and the simulator-free parts of the library
// (scx-bench's subjects) use it too.
#include "policy/params.hpp"

#include "base/parse.hpp"
#include "base/strformat.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace scx {

namespace {

// Integers beyond this lose precision as a double (the report's values).
constexpr double EXACT_INT = 9007199254740992.0; // 2^53

Error bad_value(const ParamSpec &spec, std::string_view text, const std::string &why)
{
    return Error(Exit::data, spec.name + "=" + std::string(text) + ": " + why);
}

// Whether `s` is written as the decimal numbers the tools read: starting
// with a digit, a sign or a point, without spaces, and not hexadecimal
// (strtod alone would take " 5", "0x10" and "0x1p4").
bool decimal_text(const std::string &s)
{
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+' || s[0] == '.'))
        return false;
    for (char c : s)
        if (c == 'x' || c == 'X' || std::isspace(static_cast<unsigned char>(c)))
            return false;
    return true;
}

// A whole-text decimal integer (strtoll's syntax, or strtoull's for large
// non-negative values). `inexact` is set for one beyond 2^53, which the
// parameter's value (a double) would round.
std::optional<double> parse_integer(const std::string &s, bool &inexact)
{
    char *end = nullptr;
    errno = 0;
    inexact = false;
    if (s.find('-') == std::string::npos) {
        const unsigned long long u = std::strtoull(s.c_str(), &end, 10);
        if (errno || end == s.c_str() || *end != '\0')
            return std::nullopt;
        inexact = static_cast<double>(u) > EXACT_INT || u > static_cast<unsigned long long>(EXACT_INT);
        return static_cast<double>(u);
    }
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno || end == s.c_str() || *end != '\0')
        return std::nullopt;
    inexact = v < -static_cast<long long>(EXACT_INT);
    return static_cast<double>(v);
}

Error inexact_value(const ParamSpec &spec, std::string_view text)
{
    return bad_value(spec, text, "beyond 2^53 (9007199254740992), where a parameter's integer is no longer exact");
}

} // namespace

Result<std::pair<std::string, std::string>> parse_param_assignment(std::string_view text)
{
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return Error(Exit::usage,
                     "invalid parameter '" + std::string(text) + "' (expected NAME=VALUE, e.g. slice_ns=2ms)");
    return std::pair<std::string, std::string>{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

Result<ParamAssignments> parse_param_list(std::string_view text)
{
    ParamAssignments out;
    for (auto piece : split(text, ',')) {
        auto a = parse_param_assignment(piece);
        if (!a)
            return std::move(a).error();
        out.push_back(std::move(*a));
    }
    return out;
}

std::string param_value_text(const std::string &type, double value)
{
    if (type == "bool")
        return value != 0 ? "true" : "false";
    if (type == "int")
        return strformat("%.0f", value);
    // The shortest text that reads back as the same number.
    for (int digits = 6; digits < 17; digits++) {
        std::string t = strformat("%.*g", digits, value);
        if (std::strtod(t.c_str(), nullptr) == value)
            return t;
    }
    return strformat("%.17g", value);
}

std::string param_range_text(const ParamSpec &spec)
{
    std::string s = "[" + param_value_text(spec.type == "bool" ? "int" : spec.type, spec.min) + ", " +
                    param_value_text(spec.type == "bool" ? "int" : spec.type, spec.max) + "]";
    if (!spec.unit.empty())
        s += " " + spec.unit;
    return s;
}

Result<double> param_value(const ParamSpec &spec, std::string_view text)
{
    const std::string s(text);
    double v = 0;
    if (spec.type == "bool") {
        if (s == "true" || s == "1" || s == "yes")
            return 1.0;
        if (s == "false" || s == "0" || s == "no")
            return 0.0;
        return bad_value(spec, text, "not a boolean (true, false, 1, 0, yes, no)");
    }
    bool inexact = false;
    if (spec.unit == "ns" && spec.type == "int") {
        const auto ns = decimal_text(s) ? parse_duration_ns(s, 1, EXACT_INT) : std::nullopt;
        if (!ns) {
            // A negative count of nanoseconds is still a number.
            auto i = decimal_text(s) ? parse_integer(s, inexact) : std::nullopt;
            if (!i)
                return bad_value(spec, text, "not a duration (examples: 5000000, 2ms, 500us)");
            if (inexact)
                return inexact_value(spec, text);
            v = *i;
        } else {
            v = static_cast<double>(*ns);
        }
    } else if (spec.type == "int") {
        if (!decimal_text(s))
            return bad_value(spec, text, "not an integer");
        auto i = parse_integer(s, inexact);
        if (inexact)
            return inexact_value(spec, text);
        if (!i) {
            char *end = nullptr;
            const double d = std::strtod(s.c_str(), &end);
            if (end != s.c_str() && *end == '\0' && std::isfinite(d) && d == std::floor(d) &&
                std::fabs(d) <= EXACT_INT)
                i = d; // 1e6
            else
                return bad_value(spec, text, "not an integer");
        }
        v = *i;
    } else {
        char *end = nullptr;
        errno = 0;
        v = std::strtod(s.c_str(), &end);
        if (!decimal_text(s) || errno || end == s.c_str() || *end != '\0' || !std::isfinite(v))
            return bad_value(spec, text, "not a number");
    }
    if (v < spec.min || v > spec.max)
        return bad_value(spec, text, "out of range " + param_range_text(spec));
    return v;
}

Result<std::vector<ParamSetting>> resolve_params(const std::vector<ParamSpec> &specs, const ParamAssignments &given,
                                                 const std::string &who)
{
    std::vector<ParamSetting> out;
    out.reserve(specs.size());
    for (const auto &s : specs)
        out.push_back({s, s.def});
    for (const auto &[name, text] : given) {
        ParamSetting *target = nullptr;
        for (auto &o : out)
            if (o.spec.name == name)
                target = &o;
        if (!target) {
            std::string known;
            for (const auto &s : specs)
                known += (known.empty() ? "" : ", ") + s.name;
            return Error(Exit::data, who + ": no parameter '" + name + "' (" +
                                         (known.empty() ? "it declares none" : "its parameters: " + known) + ")");
        }
        auto v = param_value(target->spec, text);
        if (!v)
            return std::move(std::move(v).error()).wrap(who);
        target->value = *v;
    }
    return out;
}

Result<void> check_params_wanted(const RunRequest &req)
{
    if (req.params.empty() || req.scheduler == RunRequest::Scheduler::policy)
        return {};
    const char *what = req.scheduler == RunRequest::Scheduler::builtin ? "the built-in scheduler ('default')"
                                                                       : "the BPF-only scheduler";
    return Error(Exit::usage, std::string(what) + " has no parameters: --param is for a policy shared object");
}

} // namespace scx
