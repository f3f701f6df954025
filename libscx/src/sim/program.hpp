// SPDX-License-Identifier: MIT
//
// ProgramBuilder writes task programs (see OpCode in model.hpp) for the
// built-in workloads and the JSON workload loader:
//
//     ProgramBuilder p;
//     p.loop(loops);
//     p.loop(fds);
//     p.send(first_channel, OP_BASE, /*var=*/1, send_ns);
//     p.end();
//     p.end();
//     model.programs.push_back(p.finish());
#pragma once

#include <cstdint>
#include <vector>

#include "model.hpp"

namespace scx::sim::detail {

struct Duration {
    Dist dist = Dist::fixed;
    std::uint64_t a = 0, b = 0;
    static Duration fixed(std::uint64_t ns) { return {Dist::fixed, ns, ns}; }
    static Duration uniform(std::uint64_t lo, std::uint64_t hi) { return {Dist::uniform, lo, hi}; }
    static Duration exponential(std::uint64_t mean) { return {Dist::exponential, mean, mean}; }
};

class ProgramBuilder {
public:
    void run(Duration d, std::uint8_t flags = 0);
    void sleep(Duration d);
    void send(std::int32_t channel, std::uint8_t flags, std::int8_t var, std::uint64_t cost_ns);
    void recv(std::int32_t channel, std::uint8_t flags, std::int8_t var, std::uint64_t cost_ns);
    void loop(std::uint64_t count);   // close with end()
    void forever();                   // close with end()
    void end();
    void spawn(std::int32_t group, std::uint64_t cost_ns);
    void join(std::int32_t group, std::int8_t var);
    void wait_children();
    void wait_below(std::int32_t limit);
    void gate_wait(std::int32_t gate);
    void gate_open(std::int32_t gate);
    void mark_start();
    void mark_stop();
    void exit_op(); // an explicit exit in the middle of a program
    // Mark the last op as one unit of work.
    void item();
    int depth() const { return static_cast<int>(open_.size()); }
    // Append exit and return the program.
    std::vector<Op> finish(bool item_on_exit = false);

private:
    void push(OpCode code, std::int32_t arg = 0, std::uint64_t a = 0, std::uint64_t b = 0, Dist dist = Dist::fixed,
              std::uint8_t flags = 0, std::int8_t var = -1);
    std::vector<Op> ops_;
    std::vector<std::size_t> open_;
};

} // namespace scx::sim::detail
