// SPDX-License-Identifier: MIT
#include "program.hpp"

namespace scx::sim::detail {

void ProgramBuilder::push(OpCode code, std::int32_t arg, std::uint64_t a, std::uint64_t b, Dist dist, std::uint8_t flags,
                          std::int8_t var)
{
    Op op;
    op.code = code;
    op.arg = arg;
    op.a = a;
    op.b = b;
    op.dist = dist;
    op.flags = flags;
    op.var = var;
    ops_.push_back(op);
}

void ProgramBuilder::run(Duration d, std::uint8_t flags) { push(OpCode::run, 0, d.a, d.b, d.dist, flags); }
void ProgramBuilder::sleep(Duration d) { push(OpCode::sleep, 0, d.a, d.b, d.dist); }

void ProgramBuilder::send(std::int32_t channel, std::uint8_t flags, std::int8_t var, std::uint64_t cost_ns)
{
    push(OpCode::send, channel, cost_ns, cost_ns, Dist::fixed, flags, var);
}

void ProgramBuilder::recv(std::int32_t channel, std::uint8_t flags, std::int8_t var, std::uint64_t cost_ns)
{
    push(OpCode::recv, channel, cost_ns, cost_ns, Dist::fixed, flags, var);
}

void ProgramBuilder::loop(std::uint64_t count)
{
    open_.push_back(ops_.size());
    push(OpCode::loop, 0, count);
}

void ProgramBuilder::forever()
{
    open_.push_back(ops_.size());
    push(OpCode::loop, 0, 0, 0, Dist::fixed, OP_FOREVER);
}

void ProgramBuilder::end()
{
    const std::size_t begin = open_.back();
    open_.pop_back();
    ops_[begin].arg = static_cast<std::int32_t>(ops_.size());
    push(OpCode::end_loop, static_cast<std::int32_t>(begin));
}

void ProgramBuilder::spawn(std::int32_t group, std::uint64_t cost_ns)
{
    push(OpCode::spawn, group, cost_ns, cost_ns, Dist::fixed, OP_NOJITTER);
}

void ProgramBuilder::join(std::int32_t group, std::int8_t var) { push(OpCode::join, group, 0, 0, Dist::fixed, 0, var); }
void ProgramBuilder::wait_children() { push(OpCode::wait_children); }
void ProgramBuilder::wait_below(std::int32_t limit) { push(OpCode::wait_below, limit); }
void ProgramBuilder::gate_wait(std::int32_t gate) { push(OpCode::gate_wait, gate); }
void ProgramBuilder::gate_open(std::int32_t gate) { push(OpCode::gate_open, gate); }
void ProgramBuilder::mark_start() { push(OpCode::mark_start); }
void ProgramBuilder::mark_stop() { push(OpCode::mark_stop); }
void ProgramBuilder::exit_op() { push(OpCode::exit); }

void ProgramBuilder::item()
{
    if (!ops_.empty())
        ops_.back().flags |= OP_ITEM;
}

std::vector<Op> ProgramBuilder::finish(bool item_on_exit)
{
    while (!open_.empty())
        end();
    push(OpCode::exit, 0, 0, 0, Dist::fixed, item_on_exit ? OP_ITEM : 0);
    return std::move(ops_);
}

} // namespace scx::sim::detail
