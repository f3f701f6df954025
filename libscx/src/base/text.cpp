// SPDX-License-Identifier: MIT
#include "base/text.hpp"

#include "base/fs.hpp"

#include <algorithm>
#include <cstdio>

namespace scx {

namespace {

// Length of the valid UTF-8 sequence at the start of `s`, 0 if there is none.
std::size_t sequence_length(std::string_view s)
{
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf; // the range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; // no overlong forms
        hi = c == 0xed ? 0x9f : 0xbf; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < n || b(1) < lo || b(1) > hi)
        return 0;
    for (std::size_t i = 2; i < n; i++)
        if ((b(i) & 0xc0) != 0x80)
            return 0;
    return n;
}

} // namespace

std::optional<Utf8Problem> find_invalid_utf8(std::string_view text, long first_line)
{
    Utf8Problem p;
    p.line = first_line;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequence_length(text.substr(i));
        if (n == 0) {
            p.offset = i;
            p.byte = static_cast<unsigned char>(text[i]);
            return p;
        }
        if (text[i] == '\n') {
            p.line++;
            p.column = 1;
        } else {
            p.column++;
        }
        i += n;
    }
    return std::nullopt;
}

Error utf8_error(const std::string &source, const Utf8Problem &p, bool with_offset)
{
    char what[64];
    if (with_offset)
        std::snprintf(what, sizeof what, "byte 0x%02x at offset %zu", p.byte, p.offset);
    else
        std::snprintf(what, sizeof what, "byte 0x%02x", p.byte);
    return Error(Exit::data, source + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                                 ": not valid UTF-8 (" + what +
                                 "): convert the text to UTF-8, e.g. with iconv -f LATIN1 -t UTF-8");
}

Result<void> check_utf8(std::string_view text, const std::string &source)
{
    if (auto p = find_invalid_utf8(text))
        return utf8_error(source, *p);
    return {};
}

Result<std::string> read_text_file(const std::string &path)
{
    auto text = read_file(path);
    if (!text)
        return text;
    if (auto r = check_utf8(*text, path == "-" ? "<stdin>" : path); !r)
        return std::move(r).error();
    return text;
}

std::string replace_invalid_utf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequence_length(text.substr(i));
        if (n == 0) {
            out += "\xef\xbf\xbd"; // U+FFFD REPLACEMENT CHARACTER
            i++;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::optional<std::size_t> find_control_char(std::string_view text)
{
    for (std::size_t i = 0; i < text.size(); i++) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f)
            return i;
    }
    return std::nullopt;
}

std::string control_char_name(unsigned char c)
{
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", c);
    switch (c) {
    case '\r': return std::string("a carriage return (") + hex + ")";
    case '\n': return std::string("a line feed (") + hex + ")";
    case '\t': return std::string("a tab (") + hex + ")";
    case '\0': return std::string("a NUL byte (") + hex + ")";
    default: return std::string("byte ") + hex;
    }
}

std::size_t edit_distance(std::string_view a, std::string_view b)
{
    // Three rows of the dynamic programme: i-2, i-1 and i.
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); j++)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); i++) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); j++) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closest_word(std::string_view word, const std::vector<std::string> &known)
{
    std::string best;
    std::size_t best_d = 3; // more than 2 edits is not a misspelling
    for (const std::string &k : known) {
        const std::size_t d = edit_distance(word, k);
        if (d < best_d && d < word.size()) {
            best = k;
            best_d = d;
        }
    }
    return best;
}

} // namespace scx
