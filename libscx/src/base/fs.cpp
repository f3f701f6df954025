// SPDX-License-Identifier: MIT
#include "base/fs.hpp"

#include "base/fd.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

namespace scx {

namespace {

Result<void> write_all(int fd, std::string_view data, const std::string &what)
{
    if (!write_full(fd, data))
        return errno_error(Exit::io, what, errno);
    return {};
}

std::string env_or_home(const char *var, const char *home_sub)
{
    const char *x = std::getenv(var);
    if (x && *x == '/')
        return std::string(x) + "/scxkit";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/" + home_sub + "/scxkit";
}

} // namespace

Result<std::string> read_file(const std::string &path, const volatile std::sig_atomic_t *cancel)
{
    auto interrupted = [&] {
        return Error(Exit::interrupted,
                     "interrupted while reading " + (path == "-" ? std::string("standard input") : path));
    };
    UniqueFd owned;
    while (path != "-" && !owned) {
        owned.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (owned || errno == EINTR) {
            if (!owned && cancel && *cancel)
                return interrupted();
            continue;
        }
        return errno_error(errno == ENOENT || errno == EACCES || errno == ENOTDIR ? Exit::no_input : Exit::io,
                           "cannot open " + path, errno);
    }
    const int fd = path == "-" ? STDIN_FILENO : owned.get();
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
        return Error(Exit::no_input, "cannot read " + path + ": is a directory");
    std::string out;
    char buf[65536];
    for (;;) {
        if (cancel && *cancel)
            return interrupted();
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                if (cancel && *cancel)
                    return interrupted();
                continue;
            }
            return errno_error(Exit::io, "cannot read " + path, errno);
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

std::string pending_path(const std::string &dst, int pid)
{
    return dirname_of(dst) + "/." + basename_of(dst) + ".tmp-" + std::to_string(pid);
}

PendingFile::PendingFile(const std::string &dst) : dst_(dst)
{
    tmp_ = pending_path(dst, static_cast<int>(::getpid()));
}

PendingFile::~PendingFile()
{
    if (!committed_)
        ::unlink(tmp_.c_str());
}

Result<void> PendingFile::prepare()
{
    // rename() would fail on a directory, after the work is done.
    struct stat st {};
    if ((::stat(dst_.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) || (!dst_.empty() && dst_.back() == '/'))
        return errno_error(Exit::io, "cannot write " + dst_, EISDIR);
    const UniqueFd fd(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd)
        return errno_error(Exit::io, "cannot write " + dst_, errno);
    return {};
}

Result<void> PendingFile::commit(unsigned mode)
{
    if (::chmod(tmp_.c_str(), mode) != 0)
        return errno_error(Exit::io, "cannot write " + dst_, errno);
    if (::rename(tmp_.c_str(), dst_.c_str()) != 0)
        return errno_error(Exit::io, "cannot write " + dst_, errno);
    committed_ = true;
    return {};
}

Result<void> write_file_atomic(const std::string &path, std::string_view data, unsigned mode)
{
    if (path == "-")
        return write_all(STDOUT_FILENO, data, "cannot write standard output");
    PendingFile pending(path);
    UniqueFd fd(::open(pending.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd)
        return errno_error(Exit::io, "cannot write " + path, errno);
    auto r = write_all(fd.get(), data, "cannot write " + path);
    if (r && ::fsync(fd.get()) != 0 && errno != EINVAL)
        r = errno_error(Exit::io, "cannot write " + path, errno);
    if (auto c = fd.close("cannot write " + path); !c && r)
        r = std::move(c);
    if (!r)
        return r;
    return pending.commit(mode);
}

Result<void> make_dirs(const std::string &path, unsigned mode)
{
    if (path.empty())
        return {};
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        cur = path.substr(0, pos);
        if (cur.empty())
            continue;
        if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
            return errno_error(Exit::io, "cannot create directory " + cur, errno);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return Error(Exit::io, "cannot create directory " + path + ": not a directory");
    return {};
}

Result<TempDir> TempDir::create(const std::string &prefix, const std::string &base)
{
    const char *env = std::getenv("TMPDIR");
    const std::string dir = !base.empty() ? base : env && *env ? env : "/tmp";
    std::string tmpl = dir + "/" + prefix + ".XXXXXX";
    if (!::mkdtemp(tmpl.data()))
        return errno_error(Exit::io, "cannot create a temporary directory", errno);
    TempDir d;
    d.path_ = tmpl;
    return d;
}

TempDir::~TempDir()
{
    if (path_.empty())
        return;
    ::nftw(
        path_.c_str(),
        [](const char *p, const struct stat *, int, struct FTW *) { return ::remove(p); }, 16,
        FTW_DEPTH | FTW_PHYS);
}

std::string cache_dir() { return env_or_home("XDG_CACHE_HOME", ".cache"); }
std::string config_dir() { return env_or_home("XDG_CONFIG_HOME", ".config"); }

std::string read_first_line(const std::string &path)
{
    auto text = read_file(path);
    if (!text)
        return {};
    std::string s = std::move(*text);
    if (const auto nl = s.find('\n'); nl != std::string::npos)
        s.erase(nl);
    return s;
}

Result<void> check_writable_fd(int fd, const std::string &what)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
        return errno_error(Exit::io, "cannot write " + what, EBADF);
    return {};
}

bool write_full(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool read_full(int fd, void *buf, std::size_t n)
{
    auto *p = static_cast<char *>(buf);
    while (n > 0) {
        const ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = 0;
            return false;
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

bool file_exists(const std::string &path) { return ::access(path.c_str(), F_OK) == 0; }

std::string dirname_of(const std::string &path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

std::string basename_of(const std::string &path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string absolute_path(const std::string &path)
{
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

std::string self_exe()
{
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    return std::string(buf, static_cast<size_t>(n));
}

} // namespace scx
