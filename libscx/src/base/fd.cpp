// SPDX-License-Identifier: MIT
#include "base/fd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace scx {

void UniqueFd::reset(int fd) noexcept
{
    if (fd_ >= 0 && fd_ != fd)
        ::close(fd_);
    fd_ = fd;
}

Result<void> UniqueFd::close(const std::string &what)
{
    const int fd = release();
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR)
        return errno_error(Exit::io, what, errno);
    return {};
}

Result<void> close_all_but(std::vector<int> keep)
{
    keep.insert(keep.end(), {0, 1, 2});
    std::sort(keep.begin(), keep.end());
    unsigned int from = 0;
    for (int fd : keep) {
        if (fd < 0)
            continue;
        const auto ufd = static_cast<unsigned int>(fd);
        if (ufd > from && ::close_range(from, ufd - 1, 0) < 0)
            return errno_error(Exit::software, "closing descriptors", errno);
        from = std::max(from, ufd + 1);
    }
    if (::close_range(from, ~0U, 0) < 0)
        return errno_error(Exit::software, "closing descriptors", errno);
    return {};
}

std::vector<int> open_fds()
{
    std::vector<int> out;
    if (DIR *d = ::opendir("/proc/self/fd")) {
        const int own = ::dirfd(d);
        while (const dirent *e = ::readdir(d)) {
            char *end = nullptr;
            const long fd = std::strtol(e->d_name, &end, 10);
            if (*end == '\0' && end != e->d_name && fd != own)
                out.push_back(static_cast<int>(fd));
        }
        ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<Pipe> make_pipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return errno_error(Exit::software, "cannot create a pipe", errno);
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

} // namespace scx
