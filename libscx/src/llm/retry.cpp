// SPDX-License-Identifier: MIT
#include "llm/retry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>

namespace scx::llm {

double backoff_delay(const RetryPolicy &p, int attempt, double u)
{
    const double ceiling = std::min(p.max_delay_s, p.base_delay_s * std::ldexp(1.0, std::clamp(attempt, 0, 30)));
    u = std::clamp(u, 0.0, 1.0);
    return ceiling / 2 + u * ceiling / 2;
}

double retry_after_seconds(const Headers &h, double now)
{
    const std::string ms = header_value(h, "retry-after-ms");
    if (!ms.empty()) {
        char *end = nullptr;
        const double v = std::strtod(ms.c_str(), &end);
        if (end != ms.c_str() && *end == '\0' && v >= 0 && std::isfinite(v))
            return v / 1000.0;
    }
    const std::string ra = header_value(h, "retry-after");
    if (ra.empty())
        return -1;
    char *end = nullptr;
    const double v = std::strtod(ra.c_str(), &end);
    if (end != ra.c_str() && *end == '\0' && v >= 0 && std::isfinite(v))
        return v;
    // HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT".
    struct tm tm {};
    const char *rest = ::strptime(ra.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!rest || *rest != '\0')
        return -1;
    const double when = static_cast<double>(::timegm(&tm));
    return std::max(0.0, when - now);
}

bool retryable_status(long status)
{
    return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

} // namespace scx::llm
