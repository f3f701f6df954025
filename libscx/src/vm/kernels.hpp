// SPDX-License-Identifier: MIT
//
// vm/kernels.hpp - sched_ext kernels for the VM: Debian's, fetched and
// cached, or a kernel image of one's own.
//
// Debian's trixie-backports suite carries kernels built with
// CONFIG_SCHED_CLASS_EXT and BTF. They are fetched with a private apt state
// (sources list, lists, archives; the system's own apt state is never
// touched) from the mirror the host already uses, unpacked with dpkg-deb,
// checked, and cached by version under cache_dir()/kernels/VERSION.

#ifndef SCX_VM_KERNELS_HPP
#define SCX_VM_KERNELS_HPP

#include <string>
#include <vector>

#include <scx/result.hpp>

namespace scx::vm {

struct Kernel {
    std::string version; // "7.3.4+deb13-amd64", or the file name of one's own
    std::string vmlinuz; // the image QEMU boots
    std::string config;  // its configuration
};

// $SCX_VM_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/scxkit/vm.
std::string cache_dir();

// A kernel by what the user said: "newest" (what the suite's
// linux-image-amd64 depends on today), an ABI ("7.3.4+deb13-amd64",
// "7.3.4+deb13"), an upstream version ("7.3.4": the newest packaged ABI of
// it), a package name, or the path of a kernel image of one's own (with its
// configuration beside it: IMAGE.config, or config or .config in its
// directory). Fetched when not cached. Errors: Exit::unavailable (no
// network, no such package, apt missing), Exit::no_input (no such file),
// Exit::data (not a kernel image; built without sched_ext or BTF).
Result<Kernel> find_kernel(const std::string &spec);

// What can be booted: the kernels in the cache, and the versions the archive
// offers (empty, with `offline` set, when it cannot be reached).
struct KernelList {
    std::vector<std::string> cached, available;
    bool offline = false;
};
Result<KernelList> list_kernels();
// One line per kernel: "VERSION<tab>cached" or "VERSION<tab>available".
std::string kernel_list_text(const KernelList &l);

// A kernel configuration that has CONFIG_SCHED_CLASS_EXT=y and
// CONFIG_DEBUG_INFO_BTF=y; Exit::data naming what is missing in `what`.
Result<void> check_config(const std::string &config_path, const std::string &what);

} // namespace scx::vm

#endif // SCX_VM_KERNELS_HPP
