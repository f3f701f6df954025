// SPDX-License-Identifier: MIT
//
// vm/image.hpp - the guest's whole userland, as an initramfs: static
// busybox, scxkit's programs and the shared libraries they need (as ldd
// resolves them, so installed tools and a build tree both work), and an
// /init that mounts what sched_ext needs and starts the agent (or, for the
// test suite, its scenarios). Built once per content: the file name is the
// hash of everything in it, so a change of the tools makes a new image and
// an unchanged one is reused.

#ifndef SCX_VM_IMAGE_HPP
#define SCX_VM_IMAGE_HPP

#include <string>
#include <utility>
#include <vector>

#include <scx/result.hpp>

namespace scx::vm {

struct ImageSpec {
    // scxkit programs to put in /scx/bin (absolute paths).
    std::vector<std::string> programs;
    // More files or directories: host path -> guest path (the test suite's
    // scenarios and policies).
    std::vector<std::pair<std::string, std::string>> extra;
    std::string busybox = "/bin/busybox"; // a static one ($SCX_VM_BUSYBOX)
};

// The programs of this scxkit the guest needs (scx-run, scx-messaging,
// scx-vm, and the native workloads), found as the tools find each other.
// Exit::unavailable naming one that cannot be found.
Result<std::vector<std::string>> guest_programs();

// The image for `spec`, built unless the cache has it: its path. Errors:
// Exit::unavailable (no static busybox, ldd missing), Exit::io.
Result<std::string> guest_image(const ImageSpec &spec);

} // namespace scx::vm

#endif // SCX_VM_IMAGE_HPP
