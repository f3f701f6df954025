// SPDX-License-Identifier: MIT
#include "llm/replay.hpp"

#include "base/fs.hpp"
#include "base/sha256.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <dirent.h>
#include <sys/stat.h>
#include <vector>

namespace scx::llm {

namespace {

Result<std::vector<std::string>> list_transcripts(const std::string &source)
{
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0)
        return errno_error(Exit::no_input, "replay source " + source, errno);
    if (!S_ISDIR(st.st_mode))
        return std::vector<std::string>{source};
    DIR *d = ::opendir(source.c_str());
    if (!d)
        return errno_error(Exit::no_input, "replay source " + source, errno);
    std::vector<std::string> files;
    while (auto *e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0 && name[0] != '.')
            files.push_back(source + "/" + name);
    }
    ::closedir(d);
    std::sort(files.begin(), files.end());
    if (files.empty())
        return Error(Exit::no_input, "replay source " + source + " holds no transcript (*.json)");
    return files;
}

std::size_t read_cursor(const std::string &state)
{
    if (state.empty())
        return 0;
    auto text = read_file(state);
    if (!text)
        return 0;
    return static_cast<std::size_t>(std::strtoull(text->c_str(), nullptr, 10));
}

} // namespace

std::string replay_state_path(const std::string &source, const std::string &state_dir)
{
    char real[PATH_MAX];
    const std::string key = ::realpath(source.c_str(), real) ? real : source;
    return state_dir + "/" + sha256_hex(key).substr(0, 32) + ".cursor";
}

Result<ReplayHit> replay_answer(const std::string &source, const Conversation &conv, const std::string &state_dir)
{
    auto files = list_transcripts(source);
    if (!files)
        return std::move(files).error();
    const std::string state = state_dir.empty() || files->size() == 1 ? "" : replay_state_path(source, state_dir);
    const std::size_t cursor = read_cursor(state);
    const std::string want = conversation_hash(conv);

    std::vector<RecordedCall> calls;
    for (const auto &f : *files) {
        auto doc = json::parse_file(f);
        if (!doc)
            return std::move(doc).error();
        auto call = read_transcript(doc->get(), f);
        if (!call)
            return std::move(call).error();
        calls.push_back(std::move(*call));
    }
    // By hash: at or after the cursor first, then anywhere.
    std::size_t pick = calls.size();
    for (std::size_t pass = 0; pass < 2 && pick == calls.size(); pass++)
        for (std::size_t i = pass == 0 ? cursor : 0; i < calls.size(); i++)
            if (calls[i].request_hash == want) {
                pick = i;
                break;
            }
    std::string match = "hash";
    if (pick == calls.size()) {
        if (files->size() == 1) {
            pick = 0;
        } else if (cursor >= calls.size()) {
            return Error(Exit::unavailable, "replay: all " + std::to_string(calls.size()) + " recorded answers in " +
                                                source + " have been served and none matches this request (remove " +
                                                state + " to start over)");
        } else {
            pick = cursor;
        }
        match = "sequence";
    }
    if (!state.empty()) {
        if (auto r = make_dirs(state_dir); !r)
            return std::move(r).error();
        if (auto r = write_file_atomic(state, std::to_string(pick + 1) + "\n"); !r)
            return std::move(r).error();
    }
    ReplayHit hit;
    hit.call = std::move(calls[pick]);
    hit.match = match;
    hit.index = pick + 1;
    hit.count = calls.size();
    return hit;
}

Result<Reply> replay_call(const std::string &source, const Conversation &conv, const std::string &state_dir,
                          CallRecord &rec, ReplayHit &hit)
{
    auto found = replay_answer(source, conv, state_dir);
    if (!found)
        return std::move(found).error();
    hit = std::move(*found);
    rec.started_at = utc_timestamp();
    rec.provider = hit.call.provider;
    rec.model = hit.call.model;
    rec.conversation = conv;
    rec.request_hash = conversation_hash(conv);
    rec.request_body = json::object();
    rec.replayed_from = hit.call.path;
    rec.replay_match = hit.match;
    rec.attempts.push_back({});
    rec.reply = hit.call.reply;
    return hit.call.reply;
}

} // namespace scx::llm
