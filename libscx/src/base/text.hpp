// SPDX-License-Identifier: MIT
//
// Checks on text that comes from outside the program: UTF-8 validity (a
// Latin-1 byte must never vanish on its way into a JSON document), control
// characters (a CR or LF in a value sent in an HTTP header would inject a
// header), and the known word closest to a misspelt one, for "did you mean".

#ifndef SCX_TEXT_HPP
#define SCX_TEXT_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <scx/result.hpp>

namespace scx {

// Where the first invalid UTF-8 sequence of a text starts: its byte offset,
// line (counted from first_line) and column (1-based, in characters), and
// the byte found there.
struct Utf8Problem {
    std::size_t offset = 0;
    long line = 1, column = 1;
    unsigned char byte = 0;
};

// Nothing when `text` is valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
std::optional<Utf8Problem> find_invalid_utf8(std::string_view text, long first_line = 1);

// The error for text that is not UTF-8, Exit::data:
// "SOURCE:LINE:COLUMN: not valid UTF-8 (byte 0xe9 at offset N): convert ...".
// The offset is left out when `with_offset` is false (a line of a stream).
Error utf8_error(const std::string &source, const Utf8Problem &p, bool with_offset = true);

// find_invalid_utf8() as a check, naming `source` in the error.
Result<void> check_utf8(std::string_view text, const std::string &source);

// A whole file ("-" = standard input, named "<stdin>") that must be UTF-8.
Result<std::string> read_text_file(const std::string &path);

// `text` with every byte that is not part of valid UTF-8 replaced by
// U+FFFD, so that it stays visible where it cannot be carried as it is.
std::string replace_invalid_utf8(std::string_view text);

// The offset of the first ASCII control character (0x00-0x1f, 0x7f), or
// nothing.
std::optional<std::size_t> find_control_char(std::string_view text);
// "a carriage return (0x0d)", "a line feed (0x0a)", "a tab (0x09)", "byte 0x1b".
std::string control_char_name(unsigned char c);

// Edit distance with adjacent transpositions (optimal string alignment):
// "cout" -> "count" is 1, "sned" -> "send" is 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The word of `known` closest to `word` when it is close enough to be a
// misspelling (at most 2 edits, and fewer edits than `word` has
// characters); "" otherwise.
std::string closest_word(std::string_view word, const std::vector<std::string> &known);

} // namespace scx

#endif // SCX_TEXT_HPP
