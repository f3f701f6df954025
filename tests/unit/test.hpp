// SPDX-License-Identifier: MIT
// Common includes for the cmocka unit tests. cmocka reports a failed
// assertion with longjmp(), which skips C++ destructors: keep test bodies
// simple and put owning objects in fixtures or at file scope.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <setjmp.h>

extern "C" {
#include <cmocka.h>
}

#include <string>

// Path of a file produced by the build (passed by Meson in the environment).
inline std::string env_path(const char *var)
{
    const char *v = std::getenv(var);
    return v ? v : "";
}

#define assert_str_equal(a, b) assert_string_equal(std::string(a).c_str(), std::string(b).c_str())

// cmocka 1.1's assert_float_equal compares floats; this compares doubles.
#define assert_close(a, b, eps)                                                                                 \
    do {                                                                                                        \
        const double scx_a_ = (a), scx_b_ = (b), scx_e_ = (eps);                                                \
        if (!(scx_a_ == scx_b_ || __builtin_fabs(scx_a_ - scx_b_) <= scx_e_)) {                                 \
            print_error("%s = %.17g, expected %.17g (tolerance %g)\n", #a, scx_a_, scx_b_, scx_e_);             \
            fail();                                                                                             \
        }                                                                                                       \
    } while (0)
