// SPDX-License-Identifier: MIT
//
// <scx/extract.hpp> - find the policy source in a language model's reply.
//
// Real replies wrap the code in prose and Markdown: a fence tagged cpp, c++,
// cc, cxx (or untagged), sometimes several fences (an excerpt, then the whole
// file), sometimes no fence at all, sometimes a <think> block first. The
// extractor returns the one piece of code that registers a policy with
// SCX_POLICY(...), or Exit::data when there is none.

#ifndef SCX_EXTRACT_HPP
#define SCX_EXTRACT_HPP

#include <string>
#include <string_view>

#include <scx/result.hpp>

namespace scx {

struct Extracted {
    std::string code;   // the policy source, ending with a newline
    std::string method; // "fence" or "unfenced"
    int block = 0;      // 1-based index of the chosen fence (0 for unfenced)
    int blocks = 0;     // number of fenced blocks in the reply
};

// Rules, in order: (1) the last fenced block tagged as C/C++ or untagged
// that registers a policy; (2) the last fenced block of any tag that does;
// (3) outside fences, the text from the first line that looks like C++
// (#include, #pragma, or a comment directly above it) to the line holding
// the SCX_POLICY registration. An unclosed final fence counts as a block.
// <think>...</think> sections are ignored. Exit::data when nothing
// registers a policy; the message says what the reply contained.
Result<Extracted> extract_policy(std::string_view reply);

} // namespace scx

#endif // SCX_EXTRACT_HPP
