// SPDX-License-Identifier: MIT
#include "loop/extract.hpp"

#include "loop/build.hpp"

#include <cctype>
#include <vector>

namespace scx {

namespace {

struct Block {
    std::string lang; // lower-cased first word of the info string
    std::string code;
};

std::vector<std::string_view> split_lines(std::string_view s)
{
    std::vector<std::string_view> lines;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t end = s.find('\n', pos);
        if (end == std::string_view::npos) {
            if (pos < s.size())
                lines.push_back(s.substr(pos));
            break;
        }
        lines.push_back(s.substr(pos, end - pos));
        pos = end + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Normalise line ends and drop <think>...</think> reasoning sections (an
// unclosed one runs to the end of the reply).
std::string clean(std::string_view reply)
{
    std::string s;
    s.reserve(reply.size());
    for (size_t i = 0; i < reply.size(); i++) {
        if (reply[i] == '\r' && (i + 1 == reply.size() || reply[i + 1] == '\n'))
            continue;
        s += reply[i] == '\r' ? '\n' : reply[i];
    }
    size_t open;
    while ((open = s.find("<think>")) != std::string::npos) {
        const size_t close = s.find("</think>", open);
        s.erase(open, close == std::string::npos ? std::string::npos : close + 8 - open);
    }
    return s;
}

// A fence line: optional indentation, then 3+ backticks or tildes.
bool fence_open(std::string_view line, char &ch, size_t &len, std::string &lang)
{
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t'))
        t.remove_prefix(1);
    if (t.size() < 3 || (t[0] != '`' && t[0] != '~'))
        return false;
    ch = t[0];
    len = 0;
    while (len < t.size() && t[len] == ch)
        len++;
    if (len < 3)
        return false;
    std::string_view info = trim(t.substr(len));
    if (ch == '`' && info.find('`') != std::string_view::npos)
        return false; // inline code, not a fence
    const size_t sp = info.find_first_of(" \t{");
    lang.clear();
    for (char c : info.substr(0, sp))
        lang += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return true;
}

bool fence_close(std::string_view line, char ch, size_t len)
{
    std::string_view t = trim(line);
    if (t.size() < len)
        return false;
    for (char c : t)
        if (c != ch)
            return false;
    return true;
}

bool cxx_lang(const std::string &lang)
{
    static const char *const tags[] = {"", "cpp", "c++", "cc", "cxx", "hpp", "hxx", "hh", "h", "c", "cplusplus"};
    for (const char *t : tags)
        if (lang == t)
            return true;
    return false;
}

// Text outside the fences: from the first #include/#pragma line (and the
// comment lines right above it) to the line of the registration.
std::string unfenced(const std::vector<std::string_view> &lines)
{
    size_t start = lines.size();
    for (size_t i = 0; i < lines.size(); i++) {
        const std::string_view t = trim(lines[i]);
        if (t.rfind("#include", 0) == 0 || t.rfind("#pragma", 0) == 0 || t.rfind("# include", 0) == 0) {
            start = i;
            break;
        }
    }
    if (start == lines.size())
        return {};
    while (start > 0) {
        const std::string_view t = trim(lines[start - 1]);
        if (t.rfind("//", 0) == 0 || t.rfind("/*", 0) == 0 || t.rfind("*", 0) == 0)
            start--;
        else
            break;
    }
    std::string code;
    std::string best;
    for (size_t i = start; i < lines.size(); i++) {
        code.append(lines[i]);
        code += '\n';
        if (lines[i].find("SCX_POLICY") != std::string_view::npos && registers_policy(code))
            best = code;
    }
    return best;
}

std::string finish(std::string code)
{
    while (!code.empty() && (code.back() == '\n' || code.back() == ' ' || code.back() == '\t'))
        code.pop_back();
    size_t lead = 0;
    while (lead < code.size() && code[lead] == '\n')
        lead++;
    code.erase(0, lead);
    return code + "\n";
}

} // namespace

Result<Extracted> extract_policy(std::string_view reply)
{
    const std::string text = clean(reply);
    const auto lines = split_lines(text);

    std::vector<Block> blocks;
    std::vector<std::string_view> outside;
    bool in = false;
    char ch = 0;
    size_t len = 0;
    Block cur;
    for (const auto &line : lines) {
        if (!in) {
            std::string lang;
            if (fence_open(line, ch, len, lang)) {
                in = true;
                cur = Block{lang, {}};
            } else {
                outside.push_back(line);
            }
        } else if (fence_close(line, ch, len)) {
            blocks.push_back(std::move(cur));
            in = false;
        } else {
            cur.code.append(line);
            cur.code += '\n';
        }
    }
    if (in)
        blocks.push_back(std::move(cur)); // unclosed: the reply ended inside it

    const int n = static_cast<int>(blocks.size());
    for (int pass = 0; pass < 2; pass++) {
        for (int i = n - 1; i >= 0; i--) {
            if (pass == 0 && !cxx_lang(blocks[i].lang))
                continue;
            if (registers_policy(blocks[i].code))
                return Extracted{finish(blocks[i].code), "fence", i + 1, n};
        }
    }
    if (std::string code = unfenced(outside); !code.empty())
        return Extracted{finish(code), "unfenced", 0, n};

    if (trim(text).empty())
        return Error(Exit::data, "the reply is empty");
    if (n > 0)
        return Error(Exit::data, "no plausible policy in the reply: " + std::to_string(n) + " code block" +
                                     (n == 1 ? "" : "s") + ", none registers a policy with SCX_POLICY(...)");
    return Error(Exit::data, "no plausible policy in the reply: no code block, and no C++ source registering a "
                             "policy with SCX_POLICY(...)");
}

} // namespace scx
