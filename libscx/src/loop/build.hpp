// SPDX-License-Identifier: MIT
//
// <scx/build.hpp> - compile a policy source into a policy shared object.
//
// The compiler and flags are the ones libscx was configured with (recorded
// at configure time; also in libscx.pc). Builds are cached by content hash:
// an unchanged source with an unchanged toolchain and header is copied from
// the cache instead of compiled. The output file is replaced atomically, so a
// failed build never leaves a partial or stale shared object behind.

#ifndef SCX_BUILD_HPP
#define SCX_BUILD_HPP

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

struct BuildRequest {
    std::string source;                 // path, or "-" for standard input
    std::string output;                 // shared object to write
    std::vector<std::string> extra_flags; // e.g. -DNAME=VALUE
    bool use_cache = true;
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
};

// Build. Returns an Error for problems that stop the build before the
// compiler runs (output is the source: usage; missing source: no_input;
// empty source or no SCX_POLICY: data; unwritable output: io; compiler
// missing: unavailable); compile errors are a successful call with
// report.ok == false. When a source that was read cannot be built, an older
// ELF object at the output path is removed (never any other file).
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
