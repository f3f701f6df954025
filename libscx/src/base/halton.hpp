// SPDX-License-Identifier: MIT
//
// base/halton.hpp - the Halton sequence: points spread evenly over the unit
// cube without a grid (scx-tune's sample, the calibration's starts).

#ifndef SCX_BASE_HALTON_HPP
#define SCX_BASE_HALTON_HPP

#include <cstddef>
#include <cstdint>

namespace scx {

// The radical inverse of i in base b: the i-th point of van der Corput's
// sequence, the one-dimensional Halton sequence.
inline double radical_inverse(std::uint64_t i, unsigned b)
{
    double inv = 1.0 / b, f = inv, r = 0;
    while (i > 0) {
        r += f * static_cast<double>(i % b);
        i /= b;
        f *= inv;
    }
    return r;
}

// The k-th prime (k from 0; the bases of the Halton sequence's dimensions),
// for k below 32; past that the list starts again.
inline unsigned halton_base(std::size_t k)
{
    static const unsigned primes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
                                      73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131};
    return primes[k % (sizeof primes / sizeof primes[0])];
}

} // namespace scx

#endif // SCX_BASE_HALTON_HPP
