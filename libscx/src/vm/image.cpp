// SPDX-License-Identifier: MIT
#include "vm/image.hpp"

#include "base/fs.hpp"
#include "base/process.hpp"
#include "base/sha256.hpp"
#include "native/workload.hpp"
#include "vm/kernels.hpp"

#include "base/fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

namespace scx::vm {

namespace {

// PID 1 of the guest. The agent (scx-vm agent) serves the host through the
// virtio-serial port named scx.agent; the test suite's images add
// /scx/run-scenarios, run instead when the kernel command line names
// scenarios. The scheduler's own output never goes to the console: a
// user-space scheduler blocked on the serial line would stall scheduling.
constexpr const char *INIT = R"SH(#!/bin/sh
export PATH=/scx/bin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
chmod 1777 /tmp
echo 1 > /proc/sys/kernel/sysrq
echo "SCX-VM: BOOTED $(uname -r) cpus=$(nproc)"
if [ -n "${scx_scenarios:-}" ] && [ -x /scx/run-scenarios ]; then
    /scx/run-scenarios
else
    port=
    for p in /sys/class/virtio-ports/*; do
        [ "$(cat "$p/name" 2>/dev/null)" = scx.agent ] && port=/dev/${p##*/}
    done
    if [ -n "$port" ]; then
        scx-vm agent "$port" 2>> /tmp/agent.log || echo "SCX-VM: AGENT FAILED $(tail -n 3 /tmp/agent.log)"
    else
        echo "SCX-VM: NO AGENT PORT"
    fi
fi
echo "SCX-VM: DONE"
poweroff -f
)SH";

constexpr const char *PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
constexpr const char *GROUP = "root:x:0:\nnogroup:x:65534:\n";

// The "newc" cpio format the kernel unpacks as an initramfs.
class Cpio {
public:
    void dir(const std::string &path) { entry(path, 040755, ""); }
    void file(const std::string &path, std::string data, unsigned mode) { entry(path, 0100000 | mode, std::move(data)); }
    void symlink(const std::string &path, const std::string &target) { entry(path, 0120777, target); }
    std::string finish()
    {
        entry("TRAILER!!!", 0, "");
        return std::move(out_);
    }

private:
    void entry(const std::string &name, unsigned mode, std::string data)
    {
        char hdr[111];
        std::snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", ino_++, mode,
                      0U, 0U, 1U, 0U, data.size(), 0U, 0U, 0U, 0U, name.size() + 1, 0U);
        out_.append(hdr, 110);
        out_ += name;
        out_ += '\0';
        pad();
        out_ += data;
        pad();
    }
    void pad()
    {
        while (out_.size() % 4)
            out_ += '\0';
    }
    std::string out_;
    unsigned ino_ = 1;
};

bool executable_file(const std::string &p)
{
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

// `name` as the tools find each other, made absolute (PATH searched).
std::string locate(const std::string &name)
{
    std::string p = native::find_tool(name);
    if (p.find('/') != std::string::npos)
        return executable_file(p) ? absolute_path(p) : "";
    const char *path = std::getenv("PATH");
    std::istringstream in(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(in, dir, ':'))
        if (executable_file(dir + "/" + name))
            return absolute_path(dir + "/" + name);
    return "";
}

// Every file below `host` (or `host` itself), with its guest path.
void collect(const std::string &host, const std::string &guest, std::map<std::string, std::string> &files)
{
    struct stat st {};
    if (::stat(host.c_str(), &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        files[guest] = host;
        return;
    }
    if (DIR *d = ::opendir(host.c_str())) {
        std::vector<std::string> names;
        while (const dirent *e = ::readdir(d))
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                names.push_back(e->d_name);
        ::closedir(d);
        for (const std::string &n : names)
            collect(host + "/" + n, guest + "/" + n, files);
    }
}

// The shared libraries `object` needs, as ldd resolves them (the dynamic
// loader included).
Result<std::set<std::string>> libraries(const std::string &object)
{
    auto r = run_process({"ldd", object});
    if (!r)
        return Error(Exit::unavailable, "ldd is needed to build the VM image: " + r.error().message);
    std::set<std::string> out;
    std::istringstream in(r->out);
    std::string line;
    while (std::getline(in, line)) {
        const auto arrow = line.find("=> /");
        if (arrow != std::string::npos) {
            std::string lib = line.substr(arrow + 3);
            out.insert(lib.substr(0, lib.find(' ')));
        } else if (line.find("ld-linux") != std::string::npos) {
            std::string lib = line.substr(line.find_first_not_of(" \t"));
            out.insert(lib.substr(0, lib.find(' ')));
        }
    }
    return out;
}

// An ELF file without its debug information, when binutils' strip is at
// hand (a build tree's -g objects are most of an image otherwise, and the
// guest kernel unpacks every byte at boot); else as it is.
Result<std::string> load(const std::string &host, const TempDir &scratch)
{
    auto data = read_file(host);
    if (!data || data->size() < 4 || data->compare(0, 4, "\x7f" "ELF") != 0)
        return data;
    const std::string out = scratch.path() + "/stripped";
    auto r = run_process({"strip", "--strip-debug", "-o", out, host});
    if (!r || r->exit_code != 0)
        return data;
    return read_file(out);
}

// Keep the newest few images: every change of the tools makes one.
void prune(const std::string &dir, std::size_t keep)
{
    std::vector<std::pair<long, std::string>> images;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d)) {
            struct stat st {};
            const std::string p = dir + "/" + e->d_name;
            if (std::string(e->d_name).ends_with(".cpio") && ::stat(p.c_str(), &st) == 0)
                images.emplace_back(st.st_mtime, p);
        }
        ::closedir(d);
    }
    std::sort(images.rbegin(), images.rend());
    for (std::size_t i = keep; i < images.size(); i++)
        ::unlink(images[i].second.c_str());
}

} // namespace

Result<std::vector<std::string>> guest_programs()
{
    std::vector<std::string> out;
    for (const char *name : {"scx-run", "scx-messaging", "scx-workload", "scx-vm"}) {
        const std::string p = locate(name);
        if (p.empty())
            return Error(Exit::unavailable, std::string("cannot find ") + name + " for the VM image (install scxkit, "
                                            "or run the tools from one build tree)");
        out.push_back(p);
    }
    return out;
}

Result<std::string> guest_image(const ImageSpec &spec)
{
    const char *bb_env = std::getenv("SCX_VM_BUSYBOX");
    const std::string busybox = bb_env && *bb_env ? bb_env : spec.busybox;
    auto bb = run_process({"file", "-L", busybox});
    if (!executable_file(busybox) || (bb && bb->out.find("statically linked") == std::string::npos))
        return Error(Exit::unavailable, "a static busybox is needed at " + busybox + " (package busybox-static)");

    // What goes in: guest path -> host file.
    std::map<std::string, std::string> files;
    files["/bin/busybox"] = busybox;
    std::set<std::string> libs;
    for (const std::string &p : spec.programs) {
        files["/scx/bin/" + basename_of(p)] = p;
        auto l = libraries(p);
        if (!l)
            return l.error();
        libs.insert(l->begin(), l->end());
    }
    for (const auto &[host, guest] : spec.extra)
        collect(host, guest, files);
    // Programs and shared objects shipped as extra files (policies, the
    // test suite's tools) need theirs too.
    for (const auto &[guest, host] : files) {
        if (guest.rfind("/lib", 0) == 0 || guest == "/bin/busybox")
            continue;
        char magic[4] = {};
        const UniqueFd fd(::open(host.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd && ::read(fd.get(), magic, 4) == 4 && std::memcmp(magic, "\x7f" "ELF", 4) == 0)
            if (auto l = libraries(host))
                libs.insert(l->begin(), l->end());
    }
    for (const std::string &lib : libs)
        files[(lib.find("ld-linux") != std::string::npos ? "/lib64/" : "/lib/x86_64-linux-gnu/") + basename_of(lib)] =
            lib;

    // The name is the hash of the sources' content; the image holds them
    // without debug information.
    Sha256 h;
    h.field(INIT).field(PASSWD).field(GROUP);
    for (const auto &[guest, host] : files) {
        auto d = read_file(host);
        if (!d)
            return d.error();
        h.field(guest).field(*d);
    }
    const std::string dir = cache_dir() + "/images";
    const std::string path = dir + "/" + h.hex().substr(0, 32) + ".cpio";
    if (file_exists(path))
        return path;
    auto scratch = TempDir::create("scx-image");
    if (!scratch)
        return scratch.error();
    std::map<std::string, std::string> data;
    for (const auto &[guest, host] : files) {
        auto d = load(host, *scratch);
        if (!d)
            return d.error();
        data[guest] = std::move(*d);
    }

    auto applets = run_process({busybox, "--list"});
    if (!applets || applets->exit_code != 0)
        return Error(Exit::unavailable, busybox + " --list failed");
    Cpio c;
    std::set<std::string> dirs;
    auto parents = [&](const std::string &p) {
        for (auto at = p.find('/', 1); at != std::string::npos; at = p.find('/', at + 1))
            if (dirs.insert(p.substr(0, at)).second)
                c.dir(p.substr(1, at - 1));
    };
    for (const char *d : {"/bin", "/sbin", "/etc", "/proc", "/sys", "/dev", "/tmp", "/run", "/root", "/scx/bin",
                          "/lib64", "/lib/x86_64-linux-gnu"}) {
        parents(std::string(d) + "/x");
    }
    for (const auto &[guest, content] : data) {
        parents(guest);
        struct stat st {};
        const bool exec = ::stat(files[guest].c_str(), &st) == 0 && (st.st_mode & 0111);
        c.file(guest.substr(1), content, exec ? 0755 : 0644);
    }
    std::istringstream in(applets->out);
    std::string applet;
    while (in >> applet)
        if (!data.count("/bin/" + applet))
            c.symlink("bin/" + applet, "busybox");
    c.file("init", INIT, 0755);
    c.file("etc/passwd", PASSWD, 0644);
    c.file("etc/group", GROUP, 0644);
    if (auto r = make_dirs(dir); !r)
        return r.error();
    if (auto r = write_file_atomic(path, c.finish(), 0644); !r)
        return r.error();
    prune(dir, 4);
    return path;
}

} // namespace scx::vm
