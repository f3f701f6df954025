// SPDX-License-Identifier: MIT
//
// <scx/loader.hpp> - load a policy shared object and call it safely.
//
// LoadedPolicy owns the dlopen() handle and the policy instance. Its call
// wrappers turn a C++ exception escaping the policy into an Error, so that a
// buggy policy is reported instead of tearing the host down.

#ifndef SCX_LOADER_HPP
#define SCX_LOADER_HPP

#include <memory>
#include <string>

#include <scx/policy.hpp>
#include <scx/result.hpp>

namespace scx {

class LoadedPolicy {
public:
    // dlopen() `path` with immediate binding, check the entry point and the
    // ABI, and create the policy instance. Errors: Exit::no_input (missing or
    // unreadable file), Exit::data (not a policy, wrong ABI, undefined
    // symbols, constructor threw).
    static Result<LoadedPolicy> open(const std::string &path);
    // The same for a copy of the policy at `path`, named `name` in messages
    // (the kernel backend's worker loads a staged copy of the user's file).
    static Result<LoadedPolicy> open_as(const std::string &path, const std::string &name);

    LoadedPolicy(LoadedPolicy &&o) noexcept;
    LoadedPolicy &operator=(LoadedPolicy &&o) noexcept;
    LoadedPolicy(const LoadedPolicy &) = delete;
    LoadedPolicy &operator=(const LoadedPolicy &) = delete;
    ~LoadedPolicy();

    const std::string &name() const { return name_; }
    const std::string &path() const { return path_; }
    Policy &policy() { return *policy_; }
    // The parameters the policy declares (scx::Param members), a list.
    const ParamInfo *params() const;

    // The hooks, with exceptions caught (Exit::failure, "policy threw ...").
    Result<void> init(Context &ctx);
    Result<void> schedule(Context &ctx);
    Result<void> exit(Context &ctx);

private:
    LoadedPolicy() = default;
    static Result<LoadedPolicy> load(const std::string &path, int fd, const std::string &dl_path);
    void reset();

    void *handle_ = nullptr;
    const PolicyInfo *info_ = nullptr;
    Policy *policy_ = nullptr;
    std::string name_, path_;
};

} // namespace scx

#endif // SCX_LOADER_HPP
