// SPDX-License-Identifier: MIT
//
// <scx/fs.hpp> - file helpers: whole-file reads, atomic writes, XDG paths.
//
// Every scxkit output file is written next to its destination under a
// temporary name and renamed into place, so a failure never leaves a
// half-written or clobbered file behind.

#ifndef SCX_FS_HPP
#define SCX_FS_HPP

#include <csignal>
#include <string>
#include <string_view>

#include <scx/result.hpp>

namespace scx {

// Read a whole file; "-" reads standard input. Exit::no_input when missing.
// A read (or the open of a FIFO) that a signal interrupts is retried unless
// *cancel has become non-zero: then Exit::interrupted (for a tool whose
// SIGINT handler, installed without SA_RESTART, raises the flag while it
// waits for a pipe or a terminal).
Result<std::string> read_file(const std::string &path, const volatile std::sig_atomic_t *cancel = nullptr);

// Write `data` to `path` atomically (temp file in the same directory, fsync,
// rename). "-" writes to standard output. Exit::io on failure.
Result<void> write_file_atomic(const std::string &path, std::string_view data, unsigned mode = 0644);

// The temporary name PendingFile uses for `dst` in process `pid` (so that a
// supervisor can remove what a killed child left behind).
std::string pending_path(const std::string &dst, int pid);

// A temporary path next to `dst` that rename() can move onto `dst`; the file
// is removed by the destructor unless commit() succeeded.
class PendingFile {
public:
    explicit PendingFile(const std::string &dst);
    ~PendingFile();
    PendingFile(const PendingFile &) = delete;
    PendingFile &operator=(const PendingFile &) = delete;

    const std::string &path() const { return tmp_; }
    // Check that the destination directory is writable (creates the temp
    // name) and that the destination is not a directory.
    Result<void> prepare();
    Result<void> commit(unsigned mode);

private:
    std::string dst_, tmp_;
    bool committed_ = false;
};

// mkdir -p
Result<void> make_dirs(const std::string &path, unsigned mode = 0755);

// A private temporary directory removed (recursively) by the destructor.
class TempDir {
public:
    TempDir() = default;
    ~TempDir();
    TempDir(TempDir &&o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
    TempDir &operator=(TempDir &&) = delete;
    // In `base`, or in $TMPDIR (else /tmp) when `base` is empty.
    static Result<TempDir> create(const std::string &prefix = "scxkit", const std::string &base = "");
    const std::string &path() const { return path_; }

private:
    std::string path_;
};

// $XDG_CACHE_HOME/scxkit or ~/.cache/scxkit (not created).
std::string cache_dir();
// $XDG_CONFIG_HOME/scxkit or ~/.config/scxkit.
std::string config_dir();

// Exit::io "cannot write <what>: Bad file descriptor" when `fd` is closed
// or open for reading only (checked before work whose output goes there).
Result<void> check_writable_fd(int fd, const std::string &what);

// All of `data` to `fd`, through short writes and EINTR; false with errno
// set on an error. For pipes and sockets as much as for files.
bool write_full(int fd, std::string_view data);
// Exactly `n` bytes from `fd`, through short reads and EINTR; false on an
// error (errno set) or at end of file (errno 0).
bool read_full(int fd, void *buf, std::size_t n);

// The first line of a file without its newline; "" when it cannot be read
// (for sysfs and procfs attributes).
std::string read_first_line(const std::string &path);

bool file_exists(const std::string &path);
std::string dirname_of(const std::string &path);
std::string basename_of(const std::string &path);
// Canonical absolute path (symlinks resolved); `path` itself when it cannot be resolved.
std::string absolute_path(const std::string &path);
// Absolute path of the running executable ("" if unknown).
std::string self_exe();

} // namespace scx

#endif // SCX_FS_HPP
