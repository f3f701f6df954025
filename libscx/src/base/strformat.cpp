// SPDX-License-Identifier: MIT
#include "base/strformat.hpp"

#include <cstdarg>
#include <cstdio>

namespace scx {

std::string strformat(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char buf[256];
    const int n = std::vsnprintf(buf, sizeof buf, format, ap);
    va_end(ap);
    if (n < 0)
        return {};
    if (static_cast<size_t>(n) < sizeof buf)
        return std::string(buf, static_cast<size_t>(n));
    std::string out(static_cast<size_t>(n) + 1, '\0');
    va_start(ap, format);
    std::vsnprintf(out.data(), out.size(), format, ap);
    va_end(ap);
    out.resize(static_cast<size_t>(n));
    return out;
}

std::string seconds_text(double seconds) { return strformat("%.4g s", seconds); }

std::string join(const std::vector<std::string> &words)
{
    std::string s;
    for (const auto &w : words) {
        if (!s.empty())
            s += ' ';
        s += w;
    }
    return s;
}

} // namespace scx
