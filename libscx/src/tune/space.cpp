// SPDX-License-Identifier: MIT
// The space scx-tune searches: a policy's declared parameters, less the ones
// fixed, and a quasi-random sample of it.
#include "tune/tune.hpp"

#include "base/halton.hpp"
#include "base/stats.hpp"
#include "base/strformat.hpp"
#include "policy/params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

namespace scx::tune {

namespace {

constexpr double LOG_SPAN = 100; // max / min from which a range is searched on a log scale
constexpr double ZERO_LOG_SPAN = 1e4; // an integer range from 0: on a log scale over its top four decades

// A value for u in [0, 1) on d's scale, of d's type.
double place(const Dimension &d, double u)
{
    const Param &p = d.param;
    if (p.type == "bool")
        return u < 0.5 ? 0 : 1;
    double v = d.scale == Scale::log ? std::exp(std::log(d.low) + u * (std::log(p.max) - std::log(d.low)))
                                     : d.low + u * (p.max - d.low);
    if (p.type == "int")
        v = std::round(v);
    else if (v != 0) // four significant digits: values a person can read and type
        v = std::stod(strformat("%.4g", v));
    return std::clamp(v, p.min, p.max);
}

} // namespace

const char *scale_name(Scale s) { return s == Scale::log ? "log" : "linear"; }

std::size_t Space::free() const
{
    return static_cast<std::size_t>(std::count_if(dims.begin(), dims.end(), [](const Dimension &d) { return !d.fixed; }));
}

std::string value_text(const Param &p, double v) { return param_value_text(p.type, v); }

Result<double> parse_value(const Param &p, const std::string &text) { return param_value(p, text); }

Result<Space> make_space(const std::vector<Param> &params, const std::vector<std::string> &only,
                         const std::vector<std::string> &fix)
{
    if (params.empty())
        return Error(Exit::data, "the policy declares no parameters: there is nothing to tune");
    Space space;
    for (const Param &p : params) {
        Dimension d;
        d.param = p;
        if (p.type != "int" && p.type != "real" && p.type != "bool")
            return Error(Exit::data, "parameter " + p.name + " has the unknown type '" + p.type + "'");
        if (!(p.min <= p.def && p.def <= p.max))
            return Error(Exit::data, "parameter " + p.name + ": its default is outside its range");
        d.low = p.min;
        if (p.type != "bool" && p.min > 0 && p.max >= LOG_SPAN * p.min) {
            d.scale = Scale::log;
        } else if (p.type == "int" && p.min == 0 && p.max >= ZERO_LOG_SPAN) {
            d.scale = Scale::log;
            d.low = p.max / ZERO_LOG_SPAN;
        }
        space.dims.push_back(std::move(d));
    }
    auto find = [&](const std::string &name) -> Dimension * {
        for (Dimension &d : space.dims)
            if (d.param.name == name)
                return &d;
        return nullptr;
    };
    auto names = [&] {
        std::string s;
        for (const Dimension &d : space.dims)
            s += (s.empty() ? "" : ", ") + d.param.name;
        return s;
    };
    if (!only.empty()) {
        std::set<std::string> wanted;
        for (const std::string &n : only) {
            if (!find(n))
                return Error(Exit::data, "--only: the policy has no parameter '" + n + "' (it has: " + names() + ")");
            if (!wanted.insert(n).second)
                return Error(Exit::data, "--only: " + n + " is named twice");
        }
        for (Dimension &d : space.dims)
            if (!wanted.count(d.param.name))
                d.fixed = d.param.def;
    }
    std::set<std::string> fixed;
    for (const std::string &f : fix) {
        const auto eq = f.find('=');
        if (eq == std::string::npos || eq == 0)
            return Error(Exit::data, "--fix '" + f + "': expected NAME=VALUE");
        const std::string name = f.substr(0, eq);
        Dimension *d = find(name);
        if (!d)
            return Error(Exit::data, "--fix: the policy has no parameter '" + name + "' (it has: " + names() + ")");
        if (!fixed.insert(name).second)
            return Error(Exit::data, "--fix: " + name + " is fixed twice");
        auto v = parse_value(d->param, f.substr(eq + 1));
        if (!v)
            return Error(Exit::data, "--fix: " + v.error().message);
        d->fixed = *v;
        d->fixed_by_user = true;
    }
    for (Dimension &d : space.dims)
        if (!d.fixed && d.param.min == d.param.max)
            d.fixed = d.param.def;
    if (space.free() == 0)
        return Error(Exit::data, "every parameter is fixed: there is nothing to tune");
    return space;
}

std::vector<std::pair<std::string, std::string>> settings(const Space &space, const Point &x)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < space.dims.size(); i++)
        out.emplace_back(space.dims[i].param.name, value_text(space.dims[i].param, x[i]));
    return out;
}

Point default_point(const Space &space)
{
    Point x;
    for (const Dimension &d : space.dims)
        x.push_back(d.fixed ? *d.fixed : d.param.def);
    return x;
}

std::vector<Point> sample(const Space &space, std::size_t n, std::uint64_t seed)
{
    std::vector<Point> points;
    if (n == 0)
        return points;
    points.push_back(default_point(space));
    // Cranley-Patterson rotation: one random shift per dimension, so that
    // another seed gives another, equally even, sample.
    stats::Rng rng(seed);
    std::vector<double> shift;
    for (std::size_t i = 0; i < space.dims.size(); i++)
        shift.push_back(static_cast<double>(rng.next() >> 11) * 0x1.0p-53);
    std::set<Point> seen{points.front()};
    // Integer and boolean dimensions can repeat points: look further, within
    // reason (a small space has fewer distinct points than asked for).
    const std::uint64_t limit = 64 * static_cast<std::uint64_t>(n) + 64;
    for (std::uint64_t i = 1; points.size() < n && i <= limit; i++) {
        Point x = default_point(space);
        std::size_t k = 0;
        for (std::size_t d = 0; d < space.dims.size(); d++) {
            if (space.dims[d].fixed)
                continue;
            double u = radical_inverse(i, halton_base(k++)) + shift[d];
            u -= std::floor(u);
            x[d] = place(space.dims[d], u);
        }
        if (seen.insert(x).second)
            points.push_back(std::move(x));
    }
    return points;
}

} // namespace scx::tune
