// SPDX-License-Identifier: MIT
//
// base/svg.hpp - the small pieces every SVG plot of scxkit shares (scx-bench's
// box plot, scx-tune's trials): XML escaping, coordinates, tick steps.

#ifndef SCX_SVG_HPP
#define SCX_SVG_HPP

#include <string>

namespace scx::svg {

// Text for XML 1.0 content and attributes: markup characters escaped,
// control characters (not allowed) dropped.
std::string esc(const std::string &s);
// A coordinate with two decimals.
std::string num(double v);
// A tick step of 1, 2 or 5 times a power of ten giving about `target`
// ticks over `span`.
double nice_step(double span, int target);

// The opening of a white `width` x `height` document titled `title` (its
// <title> and a bold heading at the top left); close it with "</svg>\n".
std::string begin(double width, double height, const std::string &title);

// An axis range that can be drawn: [0, 1] for no data (lo not finite), a
// point or a nearly empty range widened by 5 % of its value on each side.
void drawable_range(double &lo, double &hi);

// A linear map of [lo, hi] onto [x0, x1].
struct Scale {
    double lo, hi, x0, x1;
    double operator()(double v) const { return x0 + (v - lo) / (hi - lo) * (x1 - x0); }
};

} // namespace scx::svg

#endif // SCX_SVG_HPP
