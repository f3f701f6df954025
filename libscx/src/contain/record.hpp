// SPDX-License-Identifier: MIT
//
// contain/record.hpp - how a contained child reports to its parent.
//
// One fixed record in shared memory (MAP_SHARED, mapped before the fork),
// for every backend: the simulator's child and the kernel's worker write
// it, their parent reads it. No text is serialised and parsed back. The
// child runs policy code, so the parent trusts nothing in it: every string
// is read up to its bound, every kind checked against the taxonomy.

#ifndef SCX_CONTAIN_RECORD_HPP
#define SCX_CONTAIN_RECORD_HPP

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <scx/policy.hpp>
#include <scx/result.hpp>
#include <scx/run.hpp>

namespace scx {

// Progress, written on the child's hot path (the simulator bumps it every
// few thousand events): the parent kills a child whose beats stop moving
// for longer than the policy timeout.
struct ChildWatch {
    std::atomic<std::uint64_t> beats{0};    // bumped whenever the child makes progress
    std::atomic<std::uint32_t> phase{0};    // what the child is doing (contain::Phase)
    std::atomic<std::uint64_t> sim_time{0}; // where it is (simulated ns, for messages)
    char label[128] = {};                   // the policy's name once loaded

    void beat() { beats.fetch_add(1, std::memory_order_relaxed); }
    void set_label(const std::string &s);
};

namespace contain {

// What the child is doing, for "crashed in schedule()".
enum class Phase : std::uint32_t { engine = 0, init = 1, schedule = 2, exit = 3, setup = 4, loading = 5 };
// "init()", "schedule()", "exit()", "the simulator", "setting up", "loading"
const char *phase_name(std::uint32_t phase);

enum class State : std::uint32_t {
    starting, // not yet running policy code
    ready,    // the policy is loaded and initialised (the kernel worker waits for attach)
    finished, // the run ended and the record holds its outcome
    failed,   // the run could not happen (error_exit, message): a file that is not a policy, ...
};

inline constexpr int MAX_METRICS = 64;
inline constexpr int MAX_PARAMS = 32;

struct Record {
    ChildWatch watch;
    std::atomic<std::uint32_t> state{0};
    // The SIGSYS handler's block (contain/sandbox.hpp): denied calls.
    std::uint64_t denied = 0;    // count
    std::int32_t denied_nr = -1; // the first one's number
    std::int32_t error_exit = 0; // State::failed: the scx::Exit of the error
    std::uint8_t kind = 0;       // State::finished: the ExitKind
    std::int64_t code = 0;
    char reason[256] = {};
    char message[2048] = {};
    std::int32_t stalled_pid = 0; // RunExit's stalled task (a simulator stall)
    char stalled_comm[16] = {};
    std::uint64_t stalled_wait_ns = 0;
    std::uint8_t has_counters = 0;
    Counters counters;
    std::uint32_t nr_metrics = 0;
    struct Metric {
        char name[48];
        double value;
        std::uint8_t integer;
    } metrics[MAX_METRICS] = {};
    // The policy's parameters and their values once set (before init()).
    std::uint32_t nr_params = 0;
    struct Param {
        char name[48];
        char unit[16];
        char description[256];
        std::uint8_t type; // 1 int, 2 real, 3 bool
        double def, min, max, value;
    } params[MAX_PARAMS] = {};
    // Backend-defined figures (simulator: events, simulated ns, wall and
    // CPU ns; kernel: schedule() calls, faults, ...), updated as it runs.
    std::atomic<std::uint64_t> values[16] = {};
};

// The child's side.
void fail(Record &r, const Error &e);                 // State::failed
void finish(Record &r, const RunExit &e);             // State::finished with this exit
void set_counters(Record &r, const Counters &c);
void set_metrics(Record &r, const std::vector<RunMetric> &m);
void set_params(Record &r, const std::vector<ParamSetting> &p);

// The parent's side, bounded and checked.
std::string text(const char *field, std::size_t size);
std::string policy_name(const Record &r);
std::optional<RunExit> read_exit(const Record &r);    // nullopt unless finished with a known kind
Error read_error(const Record &r);                    // the State::failed error
std::vector<RunMetric> read_metrics(const Record &r);
std::optional<Counters> read_counters(const Record &r);
// The parameters the child recorded; entries that are not well formed
// (no name, an unknown type, a value that is not a finite number) are left out.
std::vector<ParamSetting> read_params(const Record &r);

// A Record in memory shared with the children forked after it exists.
class SharedRecord {
public:
    static Result<SharedRecord> create();
    SharedRecord(SharedRecord &&o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    SharedRecord &operator=(SharedRecord &&) = delete;
    SharedRecord(const SharedRecord &) = delete;
    ~SharedRecord();
    Record &operator*() const { return *r_; }
    Record *operator->() const { return r_; }
    // Back to a fresh record (the kernel host reuses it across restarts).
    void reset();

private:
    SharedRecord() = default;
    Record *r_ = nullptr;
};

} // namespace contain
} // namespace scx

#endif // SCX_CONTAIN_RECORD_HPP
