// SPDX-License-Identifier: MIT
//
// The built form of a workload: programs (a small bytecode), tasks,
// channels, gates and spawn groups. Workload builders (built-ins and JSON
// files) produce it; the engine runs it. Nothing here changes during a run.
#pragma once

#include "sim/params.hpp"
#include "sim/sim.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace scx::sim::detail {

inline constexpr std::uint64_t NEVER = std::numeric_limits<std::uint64_t>::max();

// Task programs. Every op has an instantaneous effect when the task reaches
// it and, for some, a CPU cost paid afterwards (the task keeps its CPU while
// it pays). An op that cannot proceed (channel full or empty, child alive,
// gate closed) blocks the task; when woken the task retries the same op.
enum class OpCode : std::uint8_t {
    run,           // use the CPU for a duration
    sleep,         // leave the CPU for a duration
    send,          // put one message into channel `arg` (blocks when full); cost a
    recv,          // take one message from channel `arg` (blocks when empty); cost a
    loop,          // repeat the ops up to the matching end_loop `arg` times (or forever)
    end_loop,      // arg: index of the loop op
    spawn,         // start the next task of spawn group `arg`; cost a
    join,          // wait until task #var-index of spawn group `arg` exited
    wait_children, // wait until every task this one spawned exited
    wait_below,    // wait until fewer than `arg` spawned tasks are alive
    gate_wait,     // wait until gate `arg` is open
    gate_open,     // open gate `arg`, waking every task waiting for it (a system call)
    mark_start,    // the measured interval starts now (makespan)
    mark_stop,     // the measured interval ends now
    exit,          // the task exits
};

enum class Dist : std::uint8_t {
    fixed,       // a
    uniform,     // uniformly in [a, b]
    exponential, // exponential with mean a
};

enum : std::uint8_t {
    OP_BASE = 1,      // add the task's base to the object index
    OP_ITEM = 2,      // completing this op is one unit of work (throughput)
    OP_FOREVER = 4,   // loop: no end
    OP_NOJITTER = 8,  // cost is exact (no machine jitter)
};

struct Op {
    OpCode code = OpCode::exit;
    Dist dist = Dist::fixed;
    std::int8_t var = -1;   // add the counter of enclosing loop #var (0 = outermost) to the object index
    std::uint8_t flags = 0;
    std::int32_t arg = 0;
    std::uint64_t a = 0, b = 0;
};

// How many loops may be nested in one program.
inline constexpr int MAX_LOOP_DEPTH = 6;

// A channel's buffer (see Channel in engine.hpp for the wake-up rules).
struct ChannelModel {
    std::string name;
    std::uint32_t capacity = 1;   // messages (paged: per_page * max_pages)
    std::uint32_t wake_level = 0; // counted + wake_all: writers are woken when the fill drops to this
    bool wake_all = false;        // wake every waiter (socket) or one that passes the turn on
    bool socket = false;          // an AF_UNIX socket: its calls cost Machine::socket_pct more
    std::uint16_t per_page = 0;   // paged (pipe): messages per page; 0 = counted
    std::uint16_t max_pages = 0;  // paged: pages in the buffer
};

// The buffers of the kernel's IPC channels, for messages of `size` bytes.
//  - pipe: 16 pages of 4096 bytes (the default 64 KiB pipe); a page holds
//    floor(4096 / size) messages (100 bytes: 40, so 640 in all).
//  - socket (AF_UNIX stream, one socket shared by every writer): each message
//    is an skb charged about 640 + size rounded up to 64 bytes of truesize
//    (768 for 100 bytes) against the default 212992-byte send buffer; a
//    writer may send while less than the buffer is charged (278 messages of
//    100 bytes) and blocked writers are woken when the charge falls to a
//    quarter of the buffer (69 messages). Measured on Linux 6.x: exactly 278
//    and 69 for 100-byte messages, 640 and one page for the pipe.
ChannelModel pipe_channel(std::string name, std::uint32_t size, std::uint32_t buffer = 65536);
ChannelModel socket_channel(std::string name, std::uint32_t size, std::uint32_t sndbuf = 212992);
// A bounded queue of `capacity` messages (one waiter woken at a time).
ChannelModel queue_channel(std::string name, std::uint32_t capacity);

struct TaskModel {
    std::string comm;
    std::uint32_t program = 0;
    std::int32_t base = 0;                // added to object indexes of OP_BASE ops
    std::uint64_t weight = WEIGHT_DEFAULT;
    std::uint64_t load_weight = 0;        // the kernel's load weight (nice 0 = 1024); 0 = derived from weight
    std::uint32_t affinity = 0;           // index into Model::affinities (0 = every CPU)
    std::uint32_t tgid = 0;               // process: tasks with the same tgid share an address space
    std::uint64_t start_ns = 0;           // when it starts; NEVER = when spawned
    bool daemon = false;                  // the run does not wait for it to exit
};

struct SpawnGroup {
    std::vector<std::uint32_t> tasks;     // task indexes, in spawn order
};

struct Model {
    std::string name;
    std::vector<std::pair<std::string, std::string>> params;
    std::string throughput_unit = "items/s";
    std::vector<std::vector<Op>> programs;
    std::vector<TaskModel> tasks;
    std::vector<ChannelModel> channels;
    std::vector<SpawnGroup> groups;
    std::uint32_t gates = 0;
    std::vector<std::vector<int>> affinities{{}}; // [0] = all CPUs
    std::uint64_t duration_ns = 0; // 0 = until every non-daemon task exited
    int cpus = 1;                  // the machine it was built for
};

// Check a model's programs and references; Exit::data naming what is wrong.
Result<void> validate(const Model &m);

// Linux nice value -> sched_ext weight (1..10000, 100 = nice 0), as the kernel
// converts it (sched_prio_to_weight scaled to the cgroup weight range).
std::uint64_t nice_to_weight(int nice);
// Linux nice value -> the fair class's load weight (sched_prio_to_weight[],
// nice 0 = 1024), and a sched_ext weight back to a load weight as the kernel
// converts it (sched_weight_from_cgroup(): round(weight * 1024 / 100)).
std::uint64_t nice_to_load_weight(int nice);
std::uint64_t weight_to_load_weight(std::uint64_t weight);



} // namespace scx::sim::detail
