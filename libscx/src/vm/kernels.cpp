// SPDX-License-Identifier: MIT
#include "vm/kernels.hpp"

#include "base/fd.hpp"
#include "base/fs.hpp"
#include "base/process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sstream>

namespace scx::vm {

namespace {

constexpr const char *SUITE = "trixie-backports";
constexpr const char *KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
constexpr long long APT_TIMEOUT_NS = 300'000'000'000LL;

std::string suite()
{
    const char *s = std::getenv("SCX_VM_SUITE");
    return s && *s ? s : SUITE;
}

bool is_dir(const std::string &p)
{
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// "linux-image-7.3.4+deb13-amd64" / "7.3.4+deb13" -> "7.3.4+deb13-amd64".
std::string normalize(std::string v)
{
    for (const char *prefix : {"linux-image-", "linux-binary-"})
        if (v.rfind(prefix, 0) == 0)
            v.erase(0, std::strlen(prefix));
    if (v.find("+deb") != std::string::npos && !v.ends_with("-amd64"))
        v += "-amd64";
    return v;
}

std::string kernel_dir(const std::string &version) { return cache_dir() + "/kernels/" + version; }

bool cached(const std::string &version)
{
    const std::string d = kernel_dir(version);
    return file_exists(d + "/vmlinuz") && file_exists(d + "/config");
}

Kernel cached_kernel(const std::string &version)
{
    const std::string d = kernel_dir(version);
    return Kernel{version, d + "/vmlinuz", d + "/config"};
}

// A bzImage has "HdrS" at offset 0x202 (the x86 boot protocol).
bool is_bzimage(const std::string &path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    char magic[4] = {};
    return fd && ::pread(fd.get(), magic, sizeof magic, 0x202) == 4 && std::memcmp(magic, "HdrS", 4) == 0;
}

Result<Kernel> own_kernel(const std::string &path)
{
    if (!file_exists(path))
        return Error(Exit::no_input, "no such kernel image: " + path);
    if (!is_bzimage(path))
        return Error(Exit::data, path + " is not an x86 kernel image (bzImage/vmlinuz)");
    const std::string dir = dirname_of(path), base = basename_of(path);
    std::vector<std::string> candidates = {path + ".config", dir + "/config", dir + "/.config"};
    if (base.rfind("vmlinuz-", 0) == 0)
        candidates.push_back(dir + "/config-" + base.substr(8));
    for (const std::string &c : candidates)
        if (file_exists(c)) {
            if (auto ok = check_config(c, path); !ok)
                return ok.error();
            return Kernel{base, path, c};
        }
    return Error(Exit::data, "no configuration found for " + path + " (looked for " + base + ".config, config and "
                             ".config beside it): it is needed to check CONFIG_SCHED_CLASS_EXT and BTF");
}

// apt with a private state: its own sources list, lists and archives.
class PrivateApt {
public:
    static Result<PrivateApt> open()
    {
        PrivateApt a;
        a.dir_ = cache_dir() + "/apt";
        for (const char *sub : {"/lists/partial", "/archives/partial", "/cache"})
            if (auto r = make_dirs(a.dir_ + sub); !r)
                return r.error();
        if (!file_exists(KEYRING))
            return Error(Exit::unavailable, std::string(KEYRING) + " is missing (install debian-archive-keyring)");
        auto targets = run_process({"apt-get", "indextargets", "--format", "$(REPO_URI) $(RELEASE)"});
        if (!targets)
            return Error(Exit::unavailable, "apt-get is needed to fetch Debian's sched_ext kernels: " +
                                                targets.error().message);
        // The first archive that is not a security one: the host's mirror.
        std::istringstream in(targets->out);
        std::string uri, release, mirror;
        while (in >> uri >> release)
            if (uri.find("security") == std::string::npos && release.find("security") == std::string::npos) {
                mirror = uri;
                break;
            }
        if (mirror.empty())
            return Error(Exit::unavailable, "cannot find a Debian mirror in apt's configuration (apt-get indextargets)");
        if (auto r = write_file_atomic(a.dir_ + "/sources.list", "deb [signed-by=" + std::string(KEYRING) + "] " +
                                                                     mirror + " " + suite() + " main\n");
            !r)
            return r.error();
        return a;
    }

    std::vector<std::string> args(const std::string &tool) const
    {
        return {tool,
                "-o", "Dir::Etc::SourceList=" + dir_ + "/sources.list",
                "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", "Dir::State::Lists=" + dir_ + "/lists",
                "-o", "Dir::Cache=" + dir_ + "/cache",
                "-o", "Dir::Cache::Archives=" + dir_ + "/archives",
                "-o", "Dir::State::Status=/dev/null",
                "-o", "APT::Architecture=amd64",
                "-o", "Debug::NoLocking=1"};
    }

    // Run an apt tool with this state; in `cwd` when given (downloads).
    Result<std::string> run(const std::string &tool, const std::vector<std::string> &extra,
                            const std::string &cwd = "") const
    {
        std::vector<std::string> full = args(tool);
        full.insert(full.end(), extra.begin(), extra.end());
        if (!cwd.empty())
            full.insert(full.begin(), {"sh", "-c", "cd \"$0\" && exec \"$@\"", cwd});
        ProcessOptions po;
        po.timeout_ns = APT_TIMEOUT_NS;
        po.own_group = true;
        auto r = run_process(full, po);
        if (!r)
            return std::move(r).error();
        if (r->timed_out)
            return Error(Exit::unavailable, tool + " took too long (no network?)");
        if (r->exit_code != 0)
            return Error(Exit::unavailable, tool + " " + (extra.empty() ? "" : extra.front()) + " failed: " +
                                                last_words(r->err));
        return std::move(r->out);
    }

    // The index, refreshed at most once an hour.
    Result<void> update() const
    {
        struct stat st {};
        bool fresh = false;
        if (DIR *d = ::opendir((dir_ + "/lists").c_str())) {
            while (const dirent *e = ::readdir(d)) {
                const std::string n = e->d_name;
                if (n.ends_with("_Packages") && ::stat((dir_ + "/lists/" + n).c_str(), &st) == 0 &&
                    std::time(nullptr) - st.st_mtime < 3600)
                    fresh = true;
            }
            ::closedir(d);
        }
        if (fresh)
            return {};
        auto r = run("apt-get", {"-qq", "update"});
        if (!r)
            return Error(Exit::unavailable, "cannot read the " + suite() + " index: " + r.error().message);
        return {};
    }

private:
    std::string dir_;
    static std::string last_words(const std::string &text)
    {
        std::string t = text;
        while (!t.empty() && (t.back() == '\n' || t.back() == ' '))
            t.pop_back();
        const auto nl = t.rfind('\n');
        return nl == std::string::npos ? t : t.substr(nl + 1);
    }
};

// The ABIs packaged as linux-image-<version>*-amd64, newest last.
std::vector<std::string> packaged(const PrivateApt &apt, const std::string &prefix)
{
    std::vector<std::string> out;
    auto names = apt.run("apt-cache", {"pkgnames", "linux-image-" + prefix});
    if (!names)
        return out;
    std::istringstream in(*names);
    std::string n;
    while (in >> n)
        if (n.ends_with("-amd64") && n.find("+deb") != std::string::npos && n.find("-rt-") == std::string::npos &&
            n.find("-cloud-") == std::string::npos && n.find("-dbg") == std::string::npos)
            out.push_back(n.substr(std::strlen("linux-image-")));
    std::sort(out.begin(), out.end(), [](const std::string &a, const std::string &b) {
        return ::strverscmp(a.c_str(), b.c_str()) < 0;
    });
    return out;
}

Result<std::string> resolve_version(const PrivateApt &apt, const std::string &want)
{
    if (want == "newest") {
        auto deps = apt.run("apt-cache", {"depends", "linux-image-amd64"});
        if (!deps)
            return std::move(deps).error();
        std::istringstream in(*deps);
        std::string line;
        while (std::getline(in, line)) {
            const auto at = line.find("Depends: linux-image-");
            if (at != std::string::npos && line.ends_with("-amd64"))
                return line.substr(at + std::strlen("Depends: linux-image-"));
        }
        return Error(Exit::unavailable, "cannot resolve linux-image-amd64 in " + suite());
    }
    const std::string v = normalize(want);
    if (v.find("+deb") != std::string::npos)
        return v;
    const auto all = packaged(apt, v + "+");
    if (all.empty())
        return Error(Exit::unavailable, "no linux-image-" + v + "*-amd64 in " + suite());
    return all.back();
}

Result<Kernel> fetch(const std::string &want)
{
    // One fetch at a time; the others then find it cached.
    if (auto r = make_dirs(cache_dir()); !r)
        return r.error();
    const UniqueFd lock(::open((cache_dir() + "/fetch.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!lock || ::flock(lock.get(), LOCK_EX) != 0)
        return errno_error(Exit::io, "cannot lock " + cache_dir() + "/fetch.lock", errno);
    if (want != "newest" && cached(normalize(want)))
        return cached_kernel(normalize(want));

    auto apt = PrivateApt::open();
    if (!apt)
        return std::move(apt).error();
    if (auto r = apt->update(); !r)
        return r.error();
    auto version = resolve_version(*apt, want);
    if (!version)
        return std::move(version).error();
    if (cached(*version))
        return cached_kernel(*version);

    // Newer kernels split the image into linux-binary (vmlinuz) and
    // linux-base (config); older ones ship both in linux-image.
    const std::string image = "linux-image-" + *version;
    auto deps = apt->run("apt-cache", {"depends", image});
    if (!deps)
        return Error(Exit::unavailable, "package " + image + " is not in " + suite());
    std::vector<std::string> pkgs;
    if (deps->find("linux-binary-" + *version) != std::string::npos) {
        pkgs.push_back("linux-binary-" + *version);
        if (auto base = apt->run("apt-cache", {"show", "linux-base-" + *version});
            base && base->find("Package:") != std::string::npos)
            pkgs.push_back("linux-base-" + *version);
    } else {
        pkgs.push_back(image);
    }
    auto work = TempDir::create("fetch", cache_dir());
    if (!work)
        return std::move(work).error();
    std::vector<std::string> dl = {"-qq", "download"};
    dl.insert(dl.end(), pkgs.begin(), pkgs.end());
    if (auto r = apt->run("apt-get", dl, work->path()); !r)
        return std::move(r).error();
    const std::string root = work->path() + "/root";
    if (DIR *d = ::opendir(work->path().c_str())) {
        std::vector<std::string> debs;
        while (const dirent *e = ::readdir(d))
            if (std::string(e->d_name).ends_with(".deb"))
                debs.push_back(work->path() + "/" + e->d_name);
        ::closedir(d);
        for (const std::string &deb : debs) {
            auto x = run_process({"dpkg-deb", "-x", deb, root});
            if (!x || x->exit_code != 0)
                return Error(Exit::unavailable, "dpkg-deb -x " + deb + " failed");
        }
    }
    // The image and its configuration, wherever the packages put them.
    auto found = run_process({"find", root, "-type", "f", "(", "-path", "*/boot/vmlinuz-*", "-o", "-path",
                              "*/modules/*/vmlinuz", "-o", "-path", "*/boot/config-*", "-o", "-path",
                              "*/modules/*/config", ")"});
    std::string vmlinuz, config;
    if (found) {
        std::istringstream in(found->out);
        std::string p;
        while (std::getline(in, p))
            (basename_of(p).rfind("config", 0) == 0 ? config : vmlinuz) = p;
    }
    if (vmlinuz.empty())
        return Error(Exit::unavailable, "no vmlinuz in " + pkgs.front());
    if (config.empty())
        return Error(Exit::unavailable, "no kernel configuration in the packages of " + *version +
                                            " (sched_ext and BTF cannot be checked)");
    if (auto ok = check_config(config, *version); !ok)
        return ok.error();
    const std::string out = work->path() + "/out";
    if (auto r = make_dirs(out); !r)
        return r.error();
    for (const auto &[from, to] : {std::pair{vmlinuz, out + "/vmlinuz"}, std::pair{config, out + "/config"}})
        if (::rename(from.c_str(), to.c_str()) != 0)
            return errno_error(Exit::io, "cannot move " + from, errno);
    if (auto r = make_dirs(cache_dir() + "/kernels"); !r)
        return r.error();
    const std::string dir = kernel_dir(*version);
    if (::rename(out.c_str(), dir.c_str()) != 0)
        return errno_error(Exit::io, "cannot write " + dir, errno);
    return cached_kernel(*version);
}

} // namespace

std::string cache_dir()
{
    if (const char *c = std::getenv("SCX_VM_CACHE"); c && *c)
        return c;
    return scx::cache_dir() + "/vm";
}

Result<void> check_config(const std::string &config_path, const std::string &what)
{
    auto text = read_file(config_path);
    if (!text)
        return text.error();
    auto has = [&](const char *line) {
        const std::string l = std::string(line) + "\n";
        return text->find(l) != std::string::npos;
    };
    if (!has("CONFIG_SCHED_CLASS_EXT=y"))
        return Error(Exit::data, what + " is built without CONFIG_SCHED_CLASS_EXT (" + config_path +
                                     "): sched_ext is needed");
    if (!has("CONFIG_DEBUG_INFO_BTF=y"))
        return Error(Exit::data, what + " is built without CONFIG_DEBUG_INFO_BTF (" + config_path +
                                     "): BTF is needed to load the BPF scheduler");
    return {};
}

Result<Kernel> find_kernel(const std::string &spec)
{
    const std::string want = spec.empty() ? "newest" : spec;
    if (want.find('/') != std::string::npos || (file_exists(want) && !is_dir(want)))
        return own_kernel(want);
    if (want != "newest" && cached(normalize(want)))
        return cached_kernel(normalize(want));
    return fetch(want);
}

std::string kernel_list_text(const KernelList &l)
{
    std::string out;
    for (const std::string &k : l.cached)
        out += k + "\tcached\n";
    for (const std::string &k : l.available)
        if (std::find(l.cached.begin(), l.cached.end(), k) == l.cached.end())
            out += k + "\tavailable\n";
    return out;
}

Result<KernelList> list_kernels()
{
    KernelList l;
    if (DIR *d = ::opendir((cache_dir() + "/kernels").c_str())) {
        while (const dirent *e = ::readdir(d))
            if (e->d_name[0] != '.' && cached(e->d_name))
                l.cached.push_back(e->d_name);
        ::closedir(d);
    }
    std::sort(l.cached.begin(), l.cached.end(),
              [](const std::string &a, const std::string &b) { return ::strverscmp(a.c_str(), b.c_str()) < 0; });
    auto apt = PrivateApt::open();
    if (!apt || !apt->update()) {
        l.offline = true;
        return l;
    }
    // Debian's sched_ext kernels: 6.16 and later.
    for (const std::string &v : packaged(*apt, ""))
        if (::strverscmp(v.c_str(), "6.16") >= 0)
            l.available.push_back(v);
    return l;
}

} // namespace scx::vm
