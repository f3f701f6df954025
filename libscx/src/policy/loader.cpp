// SPDX-License-Identifier: MIT
#include <scx/loader.hpp>

#include "base/fd.hpp"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <exception>
#include <new>
#include <fcntl.h>
#include <unistd.h>

namespace scx {

namespace {

// dlopen() errors are "path: reason"; keep the reason and explain the usual one.
std::string explain_dlerror(const std::string &path, const char *raw)
{
    std::string msg = raw ? raw : "unknown dlopen error";
    if (msg.rfind(path + ": ", 0) == 0)
        msg.erase(0, path.size() + 2);
    if (msg.find("undefined symbol") != std::string::npos)
        msg += " (the policy uses a function or variable that is defined nowhere; rebuild it with scx-build, "
               "which reports such references at build time)";
    return msg;
}

template <typename F> Result<void> guarded(const std::string &name, const char *hook, F &&f)
{
    try {
        f();
    } catch (const std::bad_alloc &) {
        throw; // the process reached its memory limit: its host reports that (ExitKind::oom)
    } catch (const std::exception &e) {
        return Error(Exit::failure, "policy '" + name + "' threw an exception in " + hook + "(): " + e.what());
    } catch (...) {
        return Error(Exit::failure, "policy '" + name + "' threw a non-standard exception in " + hook + "()");
    }
    return {};
}

} // namespace

Result<LoadedPolicy> LoadedPolicy::open(const std::string &path) { return open_as(path, path); }

Result<LoadedPolicy> LoadedPolicy::open_as(const std::string &path, const std::string &name)
{
    // Check readability ourselves: dlopen's message for a missing file is
    // worse, and a path without '/' would be searched in the library path.
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return errno_error(Exit::no_input, "cannot open policy " + name, errno);
    return load(name, fd.get(), path.find('/') == std::string::npos ? "./" + path : path);
}

Result<LoadedPolicy> LoadedPolicy::load(const std::string &path, int fd, const std::string &dl_path)
{
    char magic[4] = {};
    const ssize_t n = ::pread(fd, magic, sizeof magic, 0);
    if (n != 4 || std::memcmp(magic, "\x7f" "ELF", 4) != 0)
        return Error(Exit::data, path + " is not a shared object (build the policy source with scx-build)");

    LoadedPolicy lp;
    lp.path_ = path;
    ::dlerror();
    lp.handle_ = ::dlopen(dl_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lp.handle_)
        return Error(Exit::data, "cannot load policy " + path + ": " + explain_dlerror(dl_path, ::dlerror()));

    using Entry = const PolicyInfo *(*)();
    auto entry = reinterpret_cast<Entry>(::dlsym(lp.handle_, SCX_POLICY_ENTRY_NAME));
    if (!entry)
        return Error(Exit::data, path + " is not an scxkit policy: it does not export " SCX_POLICY_ENTRY_NAME
                                        "() (register the policy class with SCX_POLICY(Class, \"name\"))");
    const PolicyInfo *info = entry();
    if (!info)
        return Error(Exit::data, path + ": " SCX_POLICY_ENTRY_NAME "() returned no policy description");
    if (info->abi != POLICY_ABI)
        return Error(Exit::data, path + " was built for policy ABI " + std::to_string(info->abi) +
                                     ", but this scxkit uses ABI " + std::to_string(POLICY_ABI) +
                                     " (rebuild it from source with scx-build)");
    if (info->size != sizeof(PolicyInfo) || info->task_size != sizeof(Task) ||
        info->dispatch_size != sizeof(Dispatch) || info->param_size != sizeof(ParamInfo))
        return Error(Exit::data, path + " was built with a different <scx/policy.hpp> (structure sizes differ; "
                                        "rebuild it from source with scx-build)");
    if (!info->create || !info->destroy || !info->params)
        return Error(Exit::data, path + ": the policy description has no create/destroy functions");
    lp.info_ = info;
    lp.name_ = info->name ? info->name : "unnamed";
    auto r = guarded(lp.name_, "the constructor", [&] { lp.policy_ = info->create(); });
    if (!r)
        return Error(Exit::data, std::move(r).error().message);
    if (!lp.policy_)
        return Error(Exit::data, path + ": the policy factory returned no instance");
    return lp;
}

const ParamInfo *LoadedPolicy::params() const
{
    return policy_ && info_ ? info_->params(policy_) : nullptr;
}

LoadedPolicy::LoadedPolicy(LoadedPolicy &&o) noexcept
    : handle_(o.handle_), info_(o.info_), policy_(o.policy_), name_(std::move(o.name_)), path_(std::move(o.path_))
{
    o.handle_ = nullptr;
    o.info_ = nullptr;
    o.policy_ = nullptr;
}

LoadedPolicy &LoadedPolicy::operator=(LoadedPolicy &&o) noexcept
{
    if (this != &o) {
        reset();
        handle_ = o.handle_;
        info_ = o.info_;
        policy_ = o.policy_;
        name_ = std::move(o.name_);
        path_ = std::move(o.path_);
        o.handle_ = nullptr;
        o.info_ = nullptr;
        o.policy_ = nullptr;
    }
    return *this;
}

LoadedPolicy::~LoadedPolicy() { reset(); }

void LoadedPolicy::reset()
{
    if (policy_ && info_) {
        try {
            info_->destroy(policy_);
        } catch (...) {
            // A throwing destructor must not take the host down.
        }
    }
    policy_ = nullptr;
    if (handle_)
        ::dlclose(handle_);
    handle_ = nullptr;
}

Result<void> LoadedPolicy::init(Context &ctx)
{
    return guarded(name_, "init", [&] { policy_->init(ctx); });
}

Result<void> LoadedPolicy::schedule(Context &ctx)
{
    return guarded(name_, "schedule", [&] { policy_->schedule(ctx); });
}

Result<void> LoadedPolicy::exit(Context &ctx)
{
    return guarded(name_, "exit", [&] { policy_->exit(ctx); });
}

} // namespace scx
