// SPDX-License-Identifier: MIT
#include "base/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scx::svg {

std::string esc(const std::string &s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&apos;"; break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n')
                o += c;
        }
    }
    return o;
}

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

double nice_step(double span, int target)
{
    const double raw = span / target;
    const double mag = std::pow(10, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * mag)
            return m * mag;
    return 10 * mag;
}

std::string begin(double width, double height, const std::string &title)
{
    std::string o;
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    o += "<title>" + esc(title) + "</title>\n";
    o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    o += "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" + esc(title) + "</text>\n";
    return o;
}

void drawable_range(double &lo, double &hi)
{
    if (!std::isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {
        const double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.05 : 1;
        lo -= pad;
        hi += pad;
    }
}

} // namespace scx::svg
