// SPDX-License-Identifier: MIT
// A policy with a parameter of every kind, for the parameter tests: each
// value shows in its decisions (slice_ns as the slice, the others packed
// into vtime), and init() records whether the values were set before it.
// Built as params.so, and with -DBAD_PARAMS=N as bad_params_N.so, whose
// declarations are wrong in a way the runtime must refuse: 1 an invalid
// name, 2 a name declared twice, 3 a default outside its range, 4 an empty
// range. With -DLOCAL_PARAM=1 (local_params.so) its constructor declares a
// Param as a local, which must not stay a parameter. With -DBIG_PARAMS=1 (big_params.so) it also declares 64-bit
// parameters beyond 2^53 (a double's exact integers), whose defaults the
// runtime must leave exact; vtime is then exact + 1 if mask is not all ones.
#include <scx/policy.hpp>

#include <cstdint>

namespace {

struct Params : scx::Policy {
    scx::Param<std::uint64_t> slice_ns{"slice_ns", 5 * scx::NSEC_PER_MSEC,
                                       {100 * scx::NSEC_PER_USEC, 100 * scx::NSEC_PER_MSEC}, "ns",
                                       "time slice of every task"};
    scx::Param<std::int32_t> offset{"offset", -3, {-100, 100}, "", "added to every vtime (signed)"};
    scx::Param<double> ratio{"ratio", 0.25, {0.0, 1.0}, "", "a real number"};
    scx::Param<bool> enabled{"enabled", false, "a switch"};
    scx::Param<std::uint8_t> small{"small", 7, {1, 200}, "tasks", "an 8-bit count"};
#if BAD_PARAMS == 1
    scx::Param<int> bad{"Bad-Name", 1, {0, 2}, "", "not a valid name"};
#elif BAD_PARAMS == 2
    scx::Param<int> again{"ratio", 1, {0, 2}, "", "a name already taken"};
#elif BAD_PARAMS == 3
    scx::Param<int> outside{"outside", 5, {0, 2}, "", "default outside the range"};
#elif BAD_PARAMS == 4
    scx::Param<double> empty{"empty", 1.0, {2.0, 0.5}, "", "min above max"};
#endif
#if BIG_PARAMS
    scx::Param<std::uint64_t> mask{"mask", ~0ULL, {0, ~0ULL}, "", "every bit set (a 64-bit default)"};
    scx::Param<std::uint64_t> exact{"exact", (1ULL << 60) + 1, {0, 1ULL << 62}, "", "a default beyond 2^53"};
#endif

    std::uint64_t slice_at_init = 0;

#if LOCAL_PARAM
    // A Param that is not a member: it joins the list while the constructor
    // runs and must leave it when it goes out of scope.
    Params()
    {
        scx::Param<int> local{"local", 1, {0, 2}, "", "a constructor's local"};
        slice_at_init = static_cast<std::uint64_t>(local.get());
    }
#endif

    void init(scx::Context &) override { slice_at_init = slice_ns; }

    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            d.slice_ns = slice_at_init == slice_ns ? slice_ns.get() : 1; // 1: changed after init()
            // vtime: 1000 + offset, ratio in thousandths * 10^4, enabled * 10^8, small * 10^9
            d.vtime = static_cast<std::uint64_t>(1000 + offset) +
                      static_cast<std::uint64_t>(ratio * 1000.0 + 0.5) * 10'000ULL + (enabled ? 100'000'000ULL : 0) +
                      small * 1'000'000'000ULL;
#if BIG_PARAMS
            d.vtime = exact.get() + (mask.get() == ~0ULL ? 0 : 1);
#endif
            ctx.dispatch(d);
        }
    }
};

} // namespace

SCX_POLICY(Params, "params")
