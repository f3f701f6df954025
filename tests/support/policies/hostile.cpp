// A policy that tries what the sandbox forbids, chosen at build time.
// What: HOSTILE_OPEN opens a file for reading, HOSTILE_WRITE creates a file
// (HOSTILE_WRITTEN), HOSTILE_FORK creates a process, HOSTILE_EXEC runs a
// program, HOSTILE_SOCKET opens a socket, HOSTILE_SECCOMP stacks a seccomp
// filter of its own that makes every later seccomp() a no-op returning 0
// (so that the host's stricter filter would silently not install). Where: in the first schedule()
// (the default), in init() (HOSTILE_IN_INIT) or in a global constructor
// that runs inside dlopen() (HOSTILE_IN_CTOR). Each must be denied and
// reported; nothing may be created.
#include <scx/policy.hpp>

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>

#define HOSTILE_WRITTEN "/tmp/scx-hostile-written"

namespace {

void misbehave()
{
#if defined(HOSTILE_OPEN)
    int fd = ::open("/etc/passwd", O_RDONLY);
    if (fd >= 0)
        ::close(fd);
#elif defined(HOSTILE_WRITE)
    int fd = ::open(HOSTILE_WRITTEN, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd >= 0)
        ::close(fd);
#elif defined(HOSTILE_FORK)
    pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
#elif defined(HOSTILE_EXEC)
    char *const argv[] = {const_cast<char *>("/bin/sh"), const_cast<char *>("-c"),
                          const_cast<char *>("touch " HOSTILE_WRITTEN), nullptr};
    ::execv("/bin/sh", argv);
#elif defined(HOSTILE_SOCKET)
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0)
        ::close(fd);
#elif defined(HOSTILE_SECCOMP)
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
    ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
#endif
}

#if defined(HOSTILE_IN_CTOR)
__attribute__((constructor)) void at_load() { misbehave(); }
#endif

} // namespace

struct Hostile : scx::Policy {
    unsigned calls = 0;
    // Every task through schedule(), none served on idle CPUs directly:
    // the misbehaviour shows at once, even on an idle machine.
    void init(scx::Context &ctx) override
    {
        ctx.set_idle_bypass(false);
#if defined(HOSTILE_IN_INIT)
        misbehave();
#endif
    }
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue())
            ctx.dispatch(scx::Dispatch(*t));
#if !defined(HOSTILE_IN_INIT) && !defined(HOSTILE_IN_CTOR)
        if (++calls == 1)
            misbehave();
#endif
    }
};
SCX_POLICY(Hostile, "hostile")
