// SPDX-License-Identifier: MIT
#include "policy/params.hpp"

#include "base/parse.hpp"
#include "base/strformat.hpp"
#include "contain/record.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace scx {

namespace {

bool valid_name(std::string_view n)
{
    if (n.empty() || n.size() > PARAM_NAME_MAX || n[0] < 'a' || n[0] > 'z')
        return false;
    for (char c : n)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

const char *type_of(std::uint32_t kind)
{
    switch (kind) {
    case PARAM_INT:
    case PARAM_UINT:
        return "int";
    case PARAM_REAL:
        return "real";
    case PARAM_BOOL:
        return "bool";
    }
    return nullptr;
}

bool valid_size(std::uint32_t kind, std::uint32_t size)
{
    switch (kind) {
    case PARAM_INT:
    case PARAM_UINT:
        return size == 1 || size == 2 || size == 4 || size == 8;
    case PARAM_REAL:
        return size == 4 || size == 8;
    case PARAM_BOOL:
        return size == sizeof(bool);
    }
    return false;
}

// Whether the C++ type holds `v`: integers in [-2^(bits-1), 2^(bits-1))
// or [0, 2^bits) (bounds exact as doubles, the upper one excluded), reals
// up to the type's largest finite value.
bool fits(std::uint32_t kind, std::uint32_t size, double v)
{
    const int bits = static_cast<int>(8 * size);
    switch (kind) {
    case PARAM_INT:
        return v >= -std::ldexp(1.0, bits - 1) && v < std::ldexp(1.0, bits - 1);
    case PARAM_UINT:
        return v >= 0 && v < std::ldexp(1.0, bits);
    case PARAM_REAL: {
        const double top = size == 4 ? static_cast<double>(std::numeric_limits<float>::max())
                                     : std::numeric_limits<double>::max();
        return v >= -top && v <= top;
    }
    default:
        return v == 0 || v == 1;
    }
}

template <typename T> void store(void *where, double v)
{
    const T t = static_cast<T>(v);
    std::memcpy(where, &t, sizeof t);
}

void write_value(const ParamInfo &p, double v)
{
    switch (p.kind) {
    case PARAM_INT:
        switch (p.size) {
        case 1: store<std::int8_t>(p.value, v); break;
        case 2: store<std::int16_t>(p.value, v); break;
        case 4: store<std::int32_t>(p.value, v); break;
        default: store<std::int64_t>(p.value, v); break;
        }
        break;
    case PARAM_UINT:
        switch (p.size) {
        case 1: store<std::uint8_t>(p.value, v); break;
        case 2: store<std::uint16_t>(p.value, v); break;
        case 4: store<std::uint32_t>(p.value, v); break;
        default: store<std::uint64_t>(p.value, v); break;
        }
        break;
    case PARAM_REAL:
        if (p.size == 4)
            store<float>(p.value, v);
        else
            store<double>(p.value, v);
        break;
    case PARAM_BOOL:
        store<bool>(p.value, v != 0);
        break;
    }
}

std::string text_of(const char *s) { return s ? s : ""; }

} // namespace

Result<std::vector<ParamSpec>> param_specs(const ParamInfo *list, const std::string &who)
{
    std::vector<ParamSpec> specs;
    int n = 0;
    for (const ParamInfo *p = list; p; p = p->next) {
        if (++n > contain::MAX_PARAMS)
            return Error(Exit::data, who + " declares more than " + std::to_string(contain::MAX_PARAMS) +
                                         " parameters (or their list is broken)");
        const std::string name = text_of(p->name);
        auto bad = [&](const std::string &why) {
            return Error(Exit::data, who + ": parameter '" + name + "': " + why);
        };
        if (!valid_name(name))
            return bad("invalid name (names are [a-z][a-z0-9_]*, at most " + std::to_string(PARAM_NAME_MAX) +
                       " characters)");
        for (const auto &s : specs)
            if (s.name == name)
                return bad("declared twice (names must be unique)");
        const char *type = type_of(p->kind);
        if (!type || !valid_size(p->kind, p->size) || !p->value)
            return bad("malformed declaration (rebuild the policy against this <scx/policy.hpp>)");
        ParamSpec s;
        s.name = name;
        s.type = type;
        s.def = p->def;
        s.min = p->min;
        s.max = p->max;
        s.unit = text_of(p->unit);
        s.description = text_of(p->description);
        if (s.unit.size() > PARAM_UNIT_MAX)
            return bad("unit '" + s.unit + "' is longer than " + std::to_string(PARAM_UNIT_MAX) + " characters");
        if (!std::isfinite(s.min) || !std::isfinite(s.max) || !std::isfinite(s.def))
            return bad("range and default must be finite numbers");
        if (s.min > s.max)
            return bad("empty range " + param_range_text(s) + " (min > max)");
        if (s.def < s.min || s.def > s.max)
            return bad("default " + param_value_text(s.type, s.def) + " is outside its range " +
                       param_range_text(s));
        specs.push_back(std::move(s));
    }
    return specs;
}

Result<std::vector<ParamSetting>> apply_params(LoadedPolicy &policy, const ParamAssignments &given,
                                               const std::string &who)
{
    auto specs = param_specs(policy.params(), who);
    if (!specs)
        return std::move(specs).error();
    auto settings = resolve_params(*specs, given, who);
    if (!settings)
        return settings;
    std::size_t i = 0;
    for (const ParamInfo *p = policy.params(); p; p = p->next, i++) {
        // A default stays as the policy's constructor set it: written back
        // through a double, a 64-bit one beyond 2^53 would be rounded.
        bool set = false;
        for (const auto &[name, text] : given)
            set = set || name == p->name;
        if (!set)
            continue;
        const double v = (*settings)[i].value;
        if (!fits(p->kind, p->size, v))
            return Error(Exit::data, who + ": " + p->name + "=" + param_value_text((*settings)[i].spec.type, v) +
                                         ": does not fit the parameter's C++ type");
        write_value(*p, v);
    }
    return settings;
}

Result<std::vector<ParamSpec>> read_policy_params(const std::string &policy_path,
                                                  const contain::Confinement &confinement)
{
    auto shared = contain::SharedRecord::create();
    if (!shared)
        return std::move(shared).error();
    contain::Record &rec = **shared;
    auto end = contain::run_contained(policy_path, confinement, rec, {},
                                      [&](LoadedPolicy *) { contain::finish(rec, RunExit{}); });
    if (!end)
        return std::move(end).error();
    auto exit = contain::classify(rec, *end, policy_path, confinement);
    if (!exit)
        return std::move(exit).error();
    if (exit->kind != ExitKind::done)
        return Error(Exit::failure, exit->message.empty() ? exit->reason : exit->message);
    std::vector<ParamSpec> specs;
    for (auto &s : contain::read_params(rec))
        specs.push_back(std::move(s.spec));
    return specs;
}

} // namespace scx
