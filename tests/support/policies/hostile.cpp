// The hostile-policy corpus: a policy that does what policy code must not,
// chosen at build time, for every backend's containment tests
// (tests/cli/hostile_corpus.sh, tests/vm/scenarios/hostile.sh).
// What the sandbox forbids: HOSTILE_OPEN opens a file for reading,
// HOSTILE_WRITE creates a file (HOSTILE_WRITTEN), HOSTILE_FORK creates a
// process, HOSTILE_EXEC runs a program, HOSTILE_SYSTEM runs a shell command
// that would leave a process behind, HOSTILE_SOCKET opens a socket,
// HOSTILE_KILL_PARENT sends SIGKILL to its parent, HOSTILE_SECCOMP stacks a
// seccomp filter of its own that makes every later seccomp() a no-op
// returning 0 (so that the host's stricter filter would silently not
// install). What the host must survive: HOSTILE_CRASH dereferences a null
// pointer, HOSTILE_LOOP never returns, HOSTILE_EXIT ends its process,
// HOSTILE_ALLOC allocates far past any memory limit. HOSTILE_UNKNOWN_PID
// dispatches pids that do not exist before the real task (each refused with
// -EINVAL, the run goes on). Where: in the first schedule() (the default),
// in init() (HOSTILE_IN_INIT), in a global constructor that runs inside
// dlopen() (HOSTILE_IN_CTOR), or in the policy's constructor, computing a
// parameter's default (HOSTILE_IN_PARAM). Each must be stopped and reported; nothing
// may be created, nothing may outlive the run.
#include <scx/policy.hpp>

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <vector>

#define HOSTILE_WRITTEN "/tmp/scx-hostile-written"
// A process that would outlive the run, easy to look for.
#define HOSTILE_SURVIVOR "sleep 31337"

namespace {

int *volatile nowhere = nullptr;
volatile unsigned long spins = 0;

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
#elif defined(HOSTILE_SYSTEM)
    (void)std::system(HOSTILE_SURVIVOR " &");
#elif defined(HOSTILE_KILL_PARENT)
    ::kill(::getppid(), SIGKILL);
#elif defined(HOSTILE_CRASH)
    *nowhere = 1;
#elif defined(HOSTILE_LOOP)
    for (;;)
        spins = spins + 1;
#elif defined(HOSTILE_EXIT)
    std::exit(0);
#elif defined(HOSTILE_ALLOC)
    std::vector<char> big(16ULL << 30, 1);
    spins = static_cast<unsigned long>(big[4096]);
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

#if defined(HOSTILE_IN_PARAM)
int misbehaving_default()
{
    misbehave();
    return 1;
}
#endif

} // namespace

struct Hostile : scx::Policy {
    unsigned calls = 0;
#if defined(HOSTILE_IN_PARAM)
    scx::Param<int> level{"level", misbehaving_default(), {0, 10}, "", "a default from a forbidden call"};
#endif
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
        while (auto t = ctx.dequeue()) {
#if defined(HOSTILE_UNKNOWN_PID)
            for (std::int32_t pid : {0, 999999, -7})
                if (pid != t->pid) {
                    scx::Dispatch bogus(*t);
                    bogus.pid = pid;
                    (void)ctx.dispatch(bogus);
                }
#endif
            ctx.dispatch(scx::Dispatch(*t));
        }
#if !defined(HOSTILE_IN_INIT) && !defined(HOSTILE_IN_CTOR) && !defined(HOSTILE_IN_PARAM)
        if (++calls == 1)
            misbehave();
#endif
    }
};
SCX_POLICY(Hostile, "hostile")
