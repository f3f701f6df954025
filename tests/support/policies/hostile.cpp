// A policy that tries what the sandbox forbids, chosen at build time:
// HOSTILE_OPEN opens a file, HOSTILE_FORK creates a process, HOSTILE_EXEC
// runs a program. Each must be denied and reported.
#include <scx/policy.hpp>

#include <fcntl.h>
#include <unistd.h>

struct Hostile : scx::Policy {
    unsigned calls = 0;
    // Every task through schedule(), none served on idle CPUs directly:
    // the misbehaviour shows at once, even on an idle machine.
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue())
            ctx.dispatch(scx::Dispatch(*t));
        if (++calls != 1)
            return;
#if defined(HOSTILE_OPEN)
        int fd = ::open("/etc/passwd", O_RDONLY);
        if (fd >= 0)
            ::close(fd);
#elif defined(HOSTILE_FORK)
        pid_t pid = ::fork();
        if (pid == 0)
            ::_exit(0);
#elif defined(HOSTILE_EXEC)
        char *const argv[] = {const_cast<char *>("/bin/sh"), nullptr};
        ::execv("/bin/sh", argv);
#endif
    }
};
SCX_POLICY(Hostile, "hostile")
