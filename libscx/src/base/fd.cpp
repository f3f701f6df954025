// SPDX-License-Identifier: MIT
#include "base/fd.hpp"

#include <cerrno>
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

Result<Pipe> make_pipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return errno_error(Exit::software, "cannot create a pipe", errno);
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

} // namespace scx
