// SPDX-License-Identifier: MIT
//
// run/options.hpp - the backends' options, in one table: scx-run builds its
// command line from it, scx-bench passes --run-arg through it, and
// make_backend() reads option strings with it. Each option says which
// backends take it.

#ifndef SCX_RUN_OPTIONS_HPP
#define SCX_RUN_OPTIONS_HPP

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <scx/run.hpp>

#include "kernel/host.hpp"
#include "policy/check.hpp"
#include "sim/backend.hpp"
#include "vm/backend.hpp"

namespace scx {

inline constexpr unsigned ON_CHECK = 1U << static_cast<unsigned>(BackendKind::check);
inline constexpr unsigned ON_SIM = 1U << static_cast<unsigned>(BackendKind::sim);
inline constexpr unsigned ON_KERNEL = 1U << static_cast<unsigned>(BackendKind::kernel);
inline constexpr unsigned ON_VM = 1U << static_cast<unsigned>(BackendKind::vm);
// Kernel options reach scx-run inside the VM as they are.
inline constexpr unsigned ON_GUEST = ON_KERNEL | ON_VM;
inline constexpr unsigned ON_ALL = ON_CHECK | ON_SIM | ON_KERNEL | ON_VM;

struct BackendOption {
    const char *name; // without the dashes
    const char *arg;  // the value's name in help ("N", "DURATION"); nullptr for a flag
    unsigned backends;
    const char *help; // one or more lines, each at most 54 columns
};
const std::vector<BackendOption> &backend_options();

// Every backend's settings with their defaults (the simulator's CPUs: this
// machine's).
struct BackendSettings {
    CheckSettings check;
    sim::SimSettings sim;
    kernel::KernelSettings kernel;
    vm::VmSettings vm;
    std::vector<std::string> machine; // --machine lists, applied last (after --slice)
    std::vector<std::string> eevdf;   // --eevdf lists
};
BackendSettings default_settings();

// Set option `name` (without dashes; `value` nullptr for a flag) for
// `kind`. Exit::usage for an option that backend does not take or a bad
// value.
Result<void> set_backend_option(BackendSettings &s, BackendKind kind, std::string_view name, const char *value);
// "--name=value" / "--name value" pieces, as given to --run-arg.
Result<void> set_backend_options(BackendSettings &s, BackendKind kind, const std::vector<std::string> &args);

Result<std::unique_ptr<Backend>> make_backend(BackendKind kind, BackendSettings s);

// The help lines of the options `kind` takes (scx-run --help), but those
// every backend of `omit` takes too (listed elsewhere).
std::string backend_help(BackendKind kind, unsigned omit = 0);

} // namespace scx

#endif // SCX_RUN_OPTIONS_HPP
