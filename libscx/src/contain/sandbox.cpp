// SPDX-License-Identifier: MIT
#include "contain/sandbox.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <malloc.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <ucontext.h>
#include <linux/seccomp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

namespace scx::sandbox {

namespace {

constexpr std::size_t STACK_PREFAULT = 256 * 1024;

bool all_digits(const std::string &s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

__attribute__((noinline)) void touch_stack()
{
    volatile char buf[STACK_PREFAULT];
    for (std::size_t i = 0; i < sizeof buf; i += 4096)
        buf[i] = 0;
}

// "CapEff:\t0000000000000000" -> the value.
std::uint64_t effective_caps()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("CapEff:", 0) == 0)
            return std::strtoull(line.c_str() + 7, nullptr, 16);
    return 0;
}

contain::Record *record;

void on_sigsys(int, siginfo_t *info, void *)
{
    // Count and name the denied call, then end the process: policy code
    // never gets to try another way. Async-signal-safe only.
    if (record) {
        if (__atomic_fetch_add(&record->denied, 1, __ATOMIC_ACQ_REL) == 0)
            __atomic_store_n(&record->denied_nr, info->si_syscall, __ATOMIC_RELEASE);
    }
    ::_exit(DENIED_EXIT);
}

} // namespace

Result<User> resolve_user(const std::string &spec)
{
    User u;
    if (spec.empty() || spec == "nobody") {
        if (const passwd *pw = ::getpwnam("nobody")) {
            u.uid = pw->pw_uid;
            u.gid = pw->pw_gid;
        }
        return u;
    }
    const auto colon = spec.find(':');
    const std::string uid_part = spec.substr(0, colon);
    if (all_digits(uid_part)) {
        u.uid = static_cast<uid_t>(std::strtoul(uid_part.c_str(), nullptr, 10));
        u.gid = u.uid;
        if (colon != std::string::npos) {
            const std::string gid_part = spec.substr(colon + 1);
            if (!all_digits(gid_part))
                return Error(Exit::usage, "bad --user value '" + spec + "' (expected NAME, UID or UID:GID)");
            u.gid = static_cast<gid_t>(std::strtoul(gid_part.c_str(), nullptr, 10));
        } else if (const passwd *pw = ::getpwuid(u.uid)) {
            u.gid = pw->pw_gid;
        }
        const passwd *pw = ::getpwuid(u.uid);
        u.name = pw ? pw->pw_name : uid_part;
    } else {
        const passwd *pw = ::getpwnam(spec.c_str());
        if (!pw)
            return Error(Exit::usage, "unknown user '" + spec + "' (--user)");
        u.uid = pw->pw_uid;
        u.gid = pw->pw_gid;
        u.name = spec;
    }
    if (u.uid == 0 || u.gid == 0)
        return Error(Exit::usage, "--user must name an unprivileged account, not root: policy code never runs as root");
    return u;
}

Result<StagedPolicy> stage_policy(const std::string &policy_path, const User &user)
{
    auto data = read_file(policy_path);
    if (!data)
        return data.error(); // "cannot open PATH: reason"
    auto dir = TempDir::create("scx-run", "/tmp");
    if (!dir)
        return dir.error();
    StagedPolicy st{std::move(*dir), ""};
    st.path = st.dir.path() + "/policy.so";
    if (auto r = write_file_atomic(st.path, *data, 0400); !r)
        return r.error();
    if (::chown(st.path.c_str(), user.uid, user.gid) < 0 || ::chown(st.dir.path().c_str(), user.uid, user.gid) < 0 ||
        ::chmod(st.dir.path().c_str(), 0500) < 0)
        return errno_error(Exit::io, "cannot hand the policy copy in " + st.dir.path() + " to " + user.name, errno);
    return st;
}

Result<void> lock_memory()
{
    struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
    if (::setrlimit(RLIMIT_MEMLOCK, &unlimited) < 0)
        return errno_error(Exit::no_perm, "raising RLIMIT_MEMLOCK", errno);
    touch_stack();
    if (::mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
        return errno_error(Exit::no_perm, "locking memory (mlockall)", errno);
    return {};
}

Result<void> drop_privileges(const User &user)
{
    // Empty the bounding set while CAP_SETPCAP is still ours, so nothing can
    // ever regain a capability, then give up the ids.
    for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            return errno_error(Exit::no_perm, "dropping capability " + std::to_string(cap), errno);
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return errno_error(Exit::no_perm, "clearing ambient capabilities", errno);
    if (::setgroups(0, nullptr) < 0)
        return errno_error(Exit::no_perm, "setgroups", errno);
    if (::setresgid(user.gid, user.gid, user.gid) < 0)
        return errno_error(Exit::no_perm, "setresgid(" + std::to_string(user.gid) + ")", errno);
    if (::setresuid(user.uid, user.uid, user.uid) < 0)
        return errno_error(Exit::no_perm, "setresuid(" + std::to_string(user.uid) + ")", errno);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return errno_error(Exit::software, "PR_SET_NO_NEW_PRIVS", errno);
    // Check rather than trust.
    if (::setresuid(0, 0, 0) == 0 || ::getuid() == 0 || ::geteuid() == 0)
        return Error(Exit::software, "privileges could not be dropped (uid 0 is still reachable)");
    if (effective_caps() != 0)
        return Error(Exit::software, "capabilities remain after dropping privileges");
    return {};
}

Result<std::size_t> prefault_heap(std::size_t bytes)
{
    // One arena, grown in large steps, never trimmed, no mmap'd chunks: what
    // is touched here stays mapped (and locked, after lock_memory()).
    ::mallopt(M_ARENA_MAX, 1);
    ::mallopt(M_MMAP_MAX, 0);
    ::mallopt(M_TRIM_THRESHOLD, -1);
    ::mallopt(M_TOP_PAD, static_cast<int>(std::min<std::size_t>(bytes, 64 << 20)));
    if (bytes == 0)
        return std::size_t{0};
    void *p = std::malloc(bytes);
    if (!p)
        return Error(Exit::software, "cannot reserve " + std::to_string(bytes >> 20) + " MiB for the policy's heap");
    std::memset(p, 0, bytes);
    std::free(p);
    return bytes;
}

Result<void> install_seccomp(contain::Record *r, Stage stage)
{
    // The SIGSYS handler is installed once, before the first filter; both
    // filters then refuse to change it (a policy that replaced it could
    // hide its violations, though never make a denied call succeed).
    record = r;
    static bool handler_installed = false;
    if (!handler_installed) {
        struct sigaction sa {};
        sa.sa_sigaction = on_sigsys;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        if (::sigaction(SIGSYS, &sa, nullptr) < 0)
            return errno_error(Exit::software, "installing the SIGSYS handler", errno);
        handler_installed = true;
    }
    if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
        return Error(Exit::software, "seccomp filters need no_new_privs (drop_privileges() first)");

    std::unique_ptr<void, void (*)(scmp_filter_ctx)> ctx(seccomp_init(SCMP_ACT_TRAP), seccomp_release);
    if (!ctx)
        return Error(Exit::software, "seccomp_init failed");
    // no_new_privs is set already: loading the filter needs no prctl().
    int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
    auto allow = [&](int nr) {
        if (rc == 0)
            rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0);
    };
    auto allow_if = [&](int nr, scmp_arg_cmp cmp) {
        if (rc == 0)
            rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 1, cmp);
    };
    // Descriptors already open, polling the ring buffer.
    for (int nr : {SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev), SCMP_SYS(pread64),
                   SCMP_SYS(pwrite64), SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(lseek), SCMP_SYS(epoll_wait),
                   SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_pwait2), SCMP_SYS(poll), SCMP_SYS(ppoll)})
        allow(nr);
    allow_if(SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_EQ, TCGETS));
    // Memory.
    for (int nr : {SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(mlock),
                   SCMP_SYS(munlock)})
        allow(nr);
    // Time, synchronisation, scheduling of itself, identity, randomness.
    for (int nr : {SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
                   SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(futex), SCMP_SYS(sched_yield),
                   SCMP_SYS(sched_getaffinity), SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getuid),
                   SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(getppid),
                   SCMP_SYS(getrandom), SCMP_SYS(getrusage), SCMP_SYS(uname), SCMP_SYS(rseq),
                   SCMP_SYS(set_robust_list), SCMP_SYS(restart_syscall)})
        allow(nr);
    // Signals to itself only (abort(), raise()), never a new SIGSYS
    // handler, and leaving.
    for (int nr : {SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(sigaltstack), SCMP_SYS(exit),
                   SCMP_SYS(exit_group)})
        allow(nr);
    allow_if(SCMP_SYS(rt_sigaction), SCMP_A0(SCMP_CMP_NE, SIGSYS));
    allow_if(SCMP_SYS(prctl), SCMP_A0(SCMP_CMP_EQ, PR_GET_NO_NEW_PRIVS));
    allow_if(SCMP_SYS(kill), SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(::getpid())));
    allow_if(SCMP_SYS(tgkill), SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(::getpid())));

    if (stage == Stage::loading) {
        // What the dynamic loader needs for the policy and the libraries it
        // pulls in: open for reading only, map (code too), protect, stat.
        constexpr scmp_datum_t WRITE_FLAGS = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | __O_TMPFILE;
        allow_if(SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0));
        allow_if(SCMP_SYS(open), SCMP_A1(SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0));
        for (int nr : {SCMP_SYS(mmap), SCMP_SYS(mprotect), SCMP_SYS(newfstatat), SCMP_SYS(statx),
                       SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(readlink),
                       SCMP_SYS(readlinkat), SCMP_SYS(getcwd), SCMP_SYS(fcntl)})
            allow(nr);
        // The next, stricter filter (seccomp_filter_count() then checks
        // that the policy's code stacked none of its own).
        allow_if(SCMP_SYS(seccomp), SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER));
    } else {
        // Running: anonymous memory only, never executable (no descriptor
        // can be mapped: fd must be -1), no new code.
        allow_if(SCMP_SYS(newfstatat), SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
        if (rc == 0)
            rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(mmap), 2,
                                  SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
                                  SCMP_A4(SCMP_CMP_MASKED_EQ, 0xffffffffU, 0xffffffffU));
        allow_if(SCMP_SYS(mprotect), SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    }
    if (rc != 0)
        return Error(Exit::software, std::string("building the seccomp filter: ") + std::strerror(-rc));
    if ((rc = seccomp_load(ctx.get())) != 0)
        return Error(Exit::software, std::string("loading the seccomp filter: ") + std::strerror(-rc));
    return {};
}

int seccomp_filter_count()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Seccomp_filters:", 0) == 0)
            return std::atoi(line.c_str() + std::strlen("Seccomp_filters:"));
    return -1;
}

std::string syscall_name(int nr)
{
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    std::string s = name ? name : "syscall " + std::to_string(nr);
    std::free(name);
    return s;
}

} // namespace scx::sandbox
