// SPDX-License-Identifier: MIT
#include "loop/build.hpp"

#include "base/fs.hpp"
#include "base/parse.hpp"
#include "base/paths.hpp"
#include <scx/policy.hpp>
#include "base/process.hpp"
#include "base/sha256.hpp"
#include "base/fd.hpp"
#include "base/strformat.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.hpp"

namespace scx {

namespace {

constexpr std::size_t CACHE_MAX_ENTRIES = 256;

// Replace comments and string/char literals by spaces, keeping line breaks.
std::string strip_comments_and_strings(std::string_view s)
{
    std::string out(s);
    enum { code, line_comment, block_comment, str, chr } st = code;
    for (size_t i = 0; i < out.size(); i++) {
        const char c = out[i];
        const char n = i + 1 < out.size() ? out[i + 1] : '\0';
        switch (st) {
        case code:
            if (c == '/' && n == '/') st = line_comment, out[i] = ' ';
            else if (c == '/' && n == '*') st = block_comment, out[i] = ' ', out[++i] = ' ';
            else if (c == '"') st = str;
            else if (c == '\'') st = chr;
            break;
        case line_comment:
            if (c == '\n') st = code;
            else out[i] = ' ';
            break;
        case block_comment:
            if (c == '*' && n == '/') st = code, out[i] = ' ', out[++i] = ' ';
            else if (c != '\n') out[i] = ' ';
            break;
        case str:
        case chr:
            if (c == '\\' && n != '\0' && n != '\n') out[i] = ' ', out[++i] = ' ';
            else if ((st == str && c == '"') || (st == chr && c == '\'')) st = code;
            else if (c != '\n') out[i] = ' ';
            break;
        }
    }
    return out;
}

size_t find_registration(const std::string &code)
{
    size_t pos = 0;
    while ((pos = code.find("SCX_POLICY", pos)) != std::string::npos) {
        const bool word_start = pos == 0 || !(std::isalnum(static_cast<unsigned char>(code[pos - 1])) ||
                                              code[pos - 1] == '_');
        size_t p = pos + 10;
        while (p < code.size() && (code[p] == ' ' || code[p] == '\t' || code[p] == '\n'))
            p++;
        if (word_start && p < code.size() && code[p] == '(') {
            // Skip the macro's own #define lines.
            const size_t bol = code.rfind('\n', pos);
            const std::string_view head(code.data() + (bol == std::string::npos ? 0 : bol + 1),
                                        pos - (bol == std::string::npos ? 0 : bol + 1));
            if (head.find("#") == std::string_view::npos)
                return pos;
        }
        pos += 10;
    }
    return std::string::npos;
}

// Identity of the compiler binary without running it: path, size, mtime.
std::string compiler_identity(const std::string &cmd)
{
    std::string path = cmd;
    if (cmd.find('/') == std::string::npos) {
        const char *env_path = std::getenv("PATH");
        std::string p = env_path ? env_path : "/usr/bin:/bin";
        size_t start = 0;
        while (start <= p.size()) {
            size_t end = p.find(':', start);
            if (end == std::string::npos)
                end = p.size();
            std::string cand = p.substr(start, end - start) + "/" + cmd;
            if (::access(cand.c_str(), X_OK) == 0) {
                path = cand;
                break;
            }
            start = end + 1;
        }
    }
    char real[4096];
    if (::realpath(path.c_str(), real))
        path = real;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return path;
    return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtime);
}

void prune_cache(const std::string &dir)
{
    DIR *d = ::opendir(dir.c_str());
    if (!d)
        return;
    std::vector<std::pair<time_t, std::string>> entries;
    while (auto *e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.size() < 4 || name.compare(name.size() - 3, 3, ".so") != 0)
            continue;
        struct stat st {};
        if (::stat((dir + "/" + name).c_str(), &st) == 0)
            entries.emplace_back(st.st_mtime, name.substr(0, name.size() - 3));
    }
    ::closedir(d);
    if (entries.size() <= CACHE_MAX_ENTRIES)
        return;
    std::sort(entries.begin(), entries.end());
    for (size_t i = 0; i + CACHE_MAX_ENTRIES < entries.size(); i++) {
        ::unlink((dir + "/" + entries[i].second + ".so").c_str());
        ::unlink((dir + "/" + entries[i].second + ".json").c_str());
    }
}

// Remove a shared object left at the output path by an earlier build, so
// that it cannot pass for the build of a source that failed. Only a regular
// file that is an ELF object is removed: anything else is the user's data.
bool remove_stale(const std::string &output)
{
    struct stat st {};
    if (::lstat(output.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    char magic[4] = {};
    const UniqueFd fd(::open(output.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return false;
    const ssize_t n = ::read(fd.get(), magic, sizeof magic);
    if (n != 4 || std::memcmp(magic, "\x7f" "ELF", 4) != 0)
        return false;
    return ::unlink(output.c_str()) == 0;
}

std::string stale_note(const std::string &output, bool removed)
{
    return removed ? "; the older " + output + " was removed" : "";
}

// The output must not be the source (nor any hard link to it).
bool same_file(const std::string &a, const std::string &b)
{
    struct stat sa {}, sb {};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

std::string display_name(const std::string &source) { return source == "-" ? "<stdin>" : source; }

bool cancelled(const BuildRequest &req) { return req.cancel && *req.cancel; }

Error interrupted(const BuildRequest &req, bool compiler_stopped = false)
{
    return Error(Exit::interrupted, std::string(compiler_stopped ? "interrupted: the compiler was stopped" : "interrupted") +
                                         "; " + req.output + " was not written");
}

// "2 GiB", "512 MiB", "1.5 GiB".
std::string size_text(std::uint64_t bytes)
{
    constexpr double MiB = 1024.0 * 1024.0;
    const double mib = static_cast<double>(bytes) / MiB;
    return mib >= 1024 ? strformat("%.4g GiB", mib / 1024) : strformat("%.4g MiB", mib);
}

// The compiler: a process group of its own (stopped whole, and bound to
// scx-build's life), its temporary files in `tmpdir`, its limits.
ProcessOptions compiler_options(const BuildRequest &req, const std::string &tmpdir)
{
    ProcessOptions o;
    o.own_group = true;
    o.timeout_ns = static_cast<long long>(req.compile_timeout_ns);
    o.cancel = req.cancel;
    o.limits.address_space = req.compile_memory;
    o.limits.no_core = true;
    // A backstop for when scx-build is killed and cannot stop the group: no
    // process of the compiler uses more CPU time than the wall-clock limit
    // (plus the grace of the stop), so this never fires first.
    if (req.compile_timeout_ns)
        o.limits.cpu_s = (req.compile_timeout_ns + 999'999'999ULL) / 1'000'000'000ULL + 2;
    o.env = {"TMPDIR=" + tmpdir};
    return o;
}

// The line in which a compiler (GCC: cc1plus, as, ld; Clang) says that an
// allocation failed, "" if none does. Lines that quote the source are
// skipped: the structured diagnostics ('[' or '{' first) and located ones
// ("file:12:...").
std::string out_of_memory_line(std::string_view err)
{
    static const char *const markers[] = {"out of memory", "memory exhausted", "std::bad_alloc"};
    for (const std::string_view line : split(err, '\n')) {
        const size_t colon = line.find(':');
        if (line.empty() || line[0] == '[' || line[0] == '{' ||
            (colon != std::string_view::npos && colon + 1 < line.size() &&
             std::isdigit(static_cast<unsigned char>(line[colon + 1]))))
            continue;
        for (const char *m : markers)
            if (line.find(m) != std::string_view::npos)
                return replace_invalid_utf8(line.substr(0, 500));
    }
    return {};
}

} // namespace

bool registers_policy(std::string_view source)
{
    return find_registration(strip_comments_and_strings(source)) != std::string::npos;
}

std::string policy_name_in(std::string_view source)
{
    const std::string code = strip_comments_and_strings(source);
    const size_t pos = find_registration(code);
    if (pos == std::string::npos)
        return {};
    // The name is the first string literal after the comma, read from the
    // original text (literals were blanked in `code`).
    const size_t comma = code.find(',', pos);
    const size_t close = code.find(')', pos);
    if (comma == std::string::npos || (close != std::string::npos && close < comma))
        return {};
    const size_t q1 = source.find('"', comma);
    const size_t q2 = q1 == std::string_view::npos ? q1 : source.find('"', q1 + 1);
    if (q2 == std::string_view::npos || (close != std::string::npos && q1 > close))
        return {};
    return std::string(source.substr(q1 + 1, q2 - q1 - 1));
}

BuildConfig default_build_config()
{
    BuildConfig cfg;
    const char *cxx = std::getenv("SCX_CXX");
    cfg.cxx = split_words(cxx && *cxx ? cxx : SCX_POLICY_CXX);
    cfg.flags = split_words(SCX_POLICY_CXXFLAGS);
    if (const char *extra = std::getenv("SCX_CXXFLAGS"))
        for (auto &f : split_words(extra))
            cfg.flags.push_back(std::move(f));
    const std::string fmt = SCX_POLICY_DIAG_FORMAT;
    cfg.diag_format = fmt == "sarif" ? DiagFormat::sarif : fmt == "gcc-json" ? DiagFormat::gcc_json : DiagFormat::text;
    if (cxx && *cxx) {
        // A replaced compiler: pick the diagnostics format by its name.
        const std::string name = basename_of(cfg.cxx.back());
        cfg.diag_format = name.find("clang") != std::string::npos ? DiagFormat::sarif : DiagFormat::gcc_json;
    }
    cfg.include_dir = include_dir();
    cfg.cache_dir = cache_dir() + "/build";
    return cfg;
}

Result<BuildReport> build_policy(const BuildRequest &req, const BuildConfig &cfg)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };

    if (req.source != "-" && same_file(req.source, req.output))
        return Error(Exit::usage, "the output " + req.output + " is the source itself; choose another -o");
    auto text = read_file(req.source, req.cancel);
    if (!text)
        return std::move(text).error();
    if (cancelled(req))
        return interrupted(req);
    const std::string &source = *text;
    const std::string shown = display_name(req.source);
    // From here on, a source that cannot be built must not leave an older
    // shared object at the output path where it could pass for its build.
    if (source.find_first_not_of(" \t\r\n") == std::string::npos) {
        const bool removed = remove_stale(req.output);
        return Error(Exit::data, shown + " is empty: expected a C++ policy source" + stale_note(req.output, removed));
    }
    if (!registers_policy(source)) {
        const bool removed = remove_stale(req.output);
        return Error(Exit::data, shown + " registers no policy: add SCX_POLICY(ClassName, \"name\") after the "
                                         "policy class (see scx-policy(7))" +
                                         stale_note(req.output, removed));
    }
    if (cfg.cxx.empty())
        return Error(Exit::unavailable, "no C++ compiler configured");

    PendingFile pending(req.output);
    if (auto r = pending.prepare(); !r)
        return std::move(r).error();

    BuildReport rep;
    rep.source = req.source;
    rep.output = req.output;
    rep.policy = policy_name_in(source);
    rep.compiler = join(cfg.cxx);

    Sha256 h;
    h.field(SCX_VERSION).field(std::to_string(POLICY_ABI)).field(compiler_identity(cfg.cxx.back()));
    for (const auto &v : {cfg.cxx, cfg.flags, req.extra_flags})
        for (const auto &w : v)
            h.field(w);
    auto header = read_file(cfg.include_dir + "/scx/policy.hpp");
    if (!header)
        return Error(Exit::software, "cannot find the policy header: " + header.error().message);
    h.field(*header).field(source);
    rep.hash = h.hex();

    const bool caching = req.use_cache && !cfg.cache_dir.empty();
    const std::string cached_so = cfg.cache_dir + "/" + rep.hash + ".so";
    const std::string cached_json = cfg.cache_dir + "/" + rep.hash + ".json";
    if (caching && file_exists(cached_so)) {
        auto data = read_file(cached_so);
        if (data) {
            if (auto w = write_file_atomic(pending.path(), *data, 0755); !w)
                return std::move(w).error();
            if (auto c = pending.commit(0755); !c)
                return std::move(c).error();
            ::utimes(cached_so.c_str(), nullptr); // keep recently used entries
            if (auto doc = json::parse_file(cached_json); doc) {
                rep.diagnostics = diagnostics_from_json(json_object_get(doc->get(), "diagnostics"));
                attach_source(rep.diagnostics, "@SOURCE@", shown, source);
            }
            rep.ok = true;
            rep.cached = true;
            rep.seconds = elapsed();
            return rep;
        }
    }

    if (cancelled(req))
        return interrupted(req);
    auto tmp = TempDir::create("scx-build");
    if (!tmp)
        return std::move(tmp).error();
    // The stem names the compiler's files and comes back in its messages,
    // which are made UTF-8: keep it UTF-8 so that it can be recognised.
    std::string stem = req.source == "-" ? "stdin" : replace_invalid_utf8(basename_of(req.source));
    if (const auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0)
        stem.erase(dot);
    const std::string tmp_src = tmp->path() + "/" + stem + ".cpp";
    const std::string tmp_out = tmp->path() + "/" + stem + ".so";
    if (auto w = write_file_atomic(tmp_src, source); !w)
        return std::move(w).error();

    rep.command = cfg.cxx;
    for (const auto &f : cfg.flags)
        rep.command.push_back(f);
    for (const auto &f : req.extra_flags)
        rep.command.push_back(f);
    rep.command.push_back("-I" + cfg.include_dir);
    rep.command.push_back("-o");
    rep.command.push_back(tmp_out);
    rep.command.push_back(tmp_src);

    auto proc = run_process(rep.command, compiler_options(req, tmp->path()));
    if (!proc)
        return std::move(proc).error().wrap("compiler");
    if (proc->cancelled)
        return interrupted(req, true);
    if (proc->timed_out) {
        rep.stopped = "the compiler was stopped after " + seconds_text(static_cast<double>(req.compile_timeout_ns) / 1e9) +
                      " (--compile-timeout)";
    } else if (proc->exit_code != 0) {
        if (const std::string oom = out_of_memory_line(proc->err); !oom.empty())
            rep.stopped = (req.compile_memory ? "the compiler ran out of memory at its limit of " +
                                                    size_text(req.compile_memory) + " (--compile-memory)"
                                              : std::string("the compiler ran out of memory")) +
                          ": " + oom;
    }
    if (proc->term_signal && rep.stopped.empty())
        return Error(Exit::software, "the compiler was killed by signal " + std::to_string(proc->term_signal));
    auto diags = parse_diagnostics(proc->err, cfg.diag_format);
    if (!diags)
        return std::move(diags).error();
    rep.diagnostics = std::move(*diags);
    attach_source(rep.diagnostics, tmp_src, shown, source);
    rep.ok = proc->exit_code == 0 && rep.stopped.empty();
    if (!rep.stopped.empty()) {
        Diagnostic d;
        d.severity = "error";
        d.message = rep.stopped;
        rep.diagnostics.push_back(std::move(d));
    } else if (!rep.ok && count_severity(rep.diagnostics, "error") == 0) {
        Diagnostic d;
        d.severity = "error";
        d.message = "the compiler failed (exit status " + std::to_string(proc->exit_code) + ")" +
                    (proc->err.empty() ? std::string() : ": " + proc->err.substr(0, 2000));
        rep.diagnostics.push_back(std::move(d));
    }
    // Hide the temporary directory from the recorded command.
    rep.command[rep.command.size() - 2] = req.output;
    rep.command.back() = shown;

    if (!rep.ok)
        rep.removed_stale = remove_stale(req.output);
    if (rep.ok) {
        auto data = read_file(tmp_out);
        if (!data)
            return std::move(data).error();
        if (cancelled(req))
            return interrupted(req);
        if (auto w = write_file_atomic(pending.path(), *data, 0755); !w)
            return std::move(w).error();
        if (auto c = pending.commit(0755); !c)
            return std::move(c).error();
        if (caching && make_dirs(cfg.cache_dir)) {
            // Store diagnostics with a placeholder for the source name so a
            // hit under another file name reports its own name.
            auto stored = rep.diagnostics;
            for (auto &d : stored)
                if (d.file == shown)
                    d.file = "@SOURCE@";
            auto doc = json::object();
            json::set(doc.get(), "diagnostics", diagnostics_to_json(stored));
            if (write_file_atomic(cached_json, json::dump(doc.get())) && write_file_atomic(cached_so, *data, 0755))
                prune_cache(cfg.cache_dir);
        }
    }
    rep.seconds = elapsed();
    return rep;
}

json::Value build_report_json(const BuildReport &r)
{
    auto o = json::object();
    json::set(o.get(), "schema", json::schema_id("scxkit.build", 1));
    json::set(o.get(), "ok", r.ok);
    json::set(o.get(), "source", r.source);
    if (r.ok)
        json::set(o.get(), "output", r.output);
    else
        json::set_null(o.get(), "output");
    json::set(o.get(), "policy", r.policy);
    json::set(o.get(), "compiler", r.compiler);
    auto cmd = json::array();
    for (const auto &w : r.command)
        json::append(cmd.get(), json::string(w));
    json::set(o.get(), "command", cmd);
    json::set(o.get(), "cached", r.cached);
    json::set(o.get(), "removed_stale", r.removed_stale);
    json::set(o.get(), "hash", r.hash);
    json::set(o.get(), "duration_s", r.seconds);
    json::set(o.get(), "errors", count_severity(r.diagnostics, "error"));
    json::set(o.get(), "warnings", count_severity(r.diagnostics, "warning"));
    json::set(o.get(), "diagnostics", diagnostics_to_json(r.diagnostics));
    return o;
}

json::Value build_error_json(const BuildRequest &req, const Error &e)
{
    auto o = json::object();
    json::set(o.get(), "schema", json::schema_id("scxkit.build", 1));
    json::set(o.get(), "ok", false);
    json::set(o.get(), "source", req.source);
    json::set_null(o.get(), "output");
    auto err = json::object();
    json::set(err.get(), "code", exit_name(e.exit));
    json::set(err.get(), "exit_status", static_cast<int>(e.exit));
    json::set(err.get(), "message", e.message);
    json::set(o.get(), "error", err);
    json::set(o.get(), "errors", 1);
    json::set(o.get(), "warnings", 0);
    json::set(o.get(), "diagnostics", json::array());
    return o;
}

} // namespace scx
