// SPDX-License-Identifier: MIT
//
// <scx/build.hpp> - compile a policy source into a policy shared object.
//
// The compiler and flags are the ones libscx was configured with (recorded
// at configure time; also in libscx.pc). Builds are cached by content hash:
// an unchanged source with an unchanged toolchain and header is copied from
// the cache instead of compiled. The output file is replaced atomically, so a
// failed build never leaves a partial or stale shared object behind.
//
// The compiler is contained: it runs in a process group of its own, with
// its temporary files ($TMPDIR) in the build's temporary directory, under a
// wall-clock limit and a memory limit (RLIMIT_AS of each of its processes;
// RLIMIT_CPU as a backstop should scx-build itself be killed). Past a limit,
// or when the caller's cancel flag is raised, the whole group is stopped
// (SIGTERM, then SIGKILL) and the temporary directory removed.

#ifndef SCX_BUILD_HPP
#define SCX_BUILD_HPP

#include <csignal>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loop/diagnostics.hpp"
#include "base/json.hpp"
#include <scx/result.hpp>

namespace scx {

struct BuildConfig {
    std::vector<std::string> cxx;   // compiler command, e.g. {"c++"}
    std::vector<std::string> flags; // flags for a policy shared object
    DiagFormat diag_format = DiagFormat::gcc_json;
    std::string include_dir;        // directory holding scx/policy.hpp
    std::string cache_dir;          // "" = no cache
};

// The configuration recorded at configure time ($SCX_CXX and $SCX_CXXFLAGS
// may replace the compiler and add flags).
BuildConfig default_build_config();

// The reference policies compile in about a second within 128 MiB of
// address space; the defaults leave wide room and still stop a runaway compile
// (#include "/dev/zero", endless template instantiation) within seconds.
inline constexpr std::uint64_t DEFAULT_COMPILE_TIMEOUT_NS = 120'000'000'000ULL; // 2 minutes
inline constexpr std::uint64_t DEFAULT_COMPILE_MEMORY = 2ULL << 30;             // 2 GiB

struct BuildRequest {
    std::string source;                 // path, or "-" for standard input
    std::string output;                 // shared object to write
    std::vector<std::string> extra_flags; // e.g. -DNAME=VALUE
    bool use_cache = true;
    // Wall-clock limit of the compiler; 0: none.
    std::uint64_t compile_timeout_ns = DEFAULT_COMPILE_TIMEOUT_NS;
    // Address space of each process of the compiler (RLIMIT_AS); 0: none.
    std::uint64_t compile_memory = DEFAULT_COMPILE_MEMORY;
    // When it becomes non-zero (a SIGINT or SIGTERM handler), the compiler's
    // group is stopped and the build ends with Exit::interrupted.
    const volatile std::sig_atomic_t *cancel = nullptr;
};

struct BuildReport {
    bool ok = false;
    bool cached = false;
    bool removed_stale = false; // a failed build removed an older shared object at `output`
    std::string source;   // as given ("-" for stdin)
    std::string output;
    std::string policy;   // name given to SCX_POLICY, "" if not found
    std::string compiler; // compiler command as one string
    std::vector<std::string> command;
    std::string hash;     // cache key (sha256)
    double seconds = 0.0;
    std::vector<Diagnostic> diagnostics;
    // Why the compiler was stopped or failed for want of a resource, "" if
    // it was not ("the compiler was stopped after 120 s (--compile-timeout)",
    // "the compiler ran out of memory at its limit of 2 GiB
    // (--compile-memory)"); the same text is also the message of the last
    // diagnostic, an error without a location.
    std::string stopped;
};

// Build. Returns an Error for problems that stop the build before the
// compiler runs (output is the source: usage; missing source: no_input;
// empty source or no SCX_POLICY: data; unwritable output: io; compiler
// missing: unavailable) and when *req.cancel was raised (interrupted:
// nothing written, nothing removed); compile errors, and a compiler stopped
// at a limit, are a successful call with report.ok == false. When a source
// that was read cannot be built, an older ELF object at the output path is
// removed (never any other file).
Result<BuildReport> build_policy(const BuildRequest &req, const BuildConfig &cfg);

// True if the source (comments and string literals ignored) uses SCX_POLICY(.
bool registers_policy(std::string_view source);
// The "name" in SCX_POLICY(Class, "name"), or "".
std::string policy_name_in(std::string_view source);

// scxkit.build/1 documents.
json::Value build_report_json(const BuildReport &r);
json::Value build_error_json(const BuildRequest &req, const Error &e);

} // namespace scx

#endif // SCX_BUILD_HPP
