// SPDX-License-Identifier: MIT
//
// <scx/sha256.hpp> - SHA-256 for content hashes (build cache keys, prompt
// metadata). Not for anything security-relevant beyond integrity.

#ifndef SCX_SHA256_HPP
#define SCX_SHA256_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace scx {

class Sha256 {
public:
    Sha256();
    Sha256 &update(std::string_view data);
    // Feed a length-prefixed field, so that ("ab","c") and ("a","bc") differ.
    Sha256 &field(std::string_view data);
    std::array<std::uint8_t, 32> digest();
    std::string hex(); // lower-case, 64 characters

private:
    void block(const std::uint8_t *p);
    std::uint32_t h_[8];
    std::uint8_t buf_[64];
    std::uint64_t len_ = 0;
    std::size_t fill_ = 0;
};

std::string sha256_hex(std::string_view data);

} // namespace scx

#endif // SCX_SHA256_HPP
