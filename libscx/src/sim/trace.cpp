// SPDX-License-Identifier: MIT
//
// Event sinks that write files: a Chrome/Perfetto trace (JSON object format,
// one track per CPU, one complete event per time a task ran) and the event
// stream as JSON Lines. Both are streamed through a buffer into a temporary
// file renamed into place at the end, so memory stays flat and a failed run
// never leaves half a file where the user asked for one.
#include "base/fs.hpp"
#include "sim/sim.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <vector>

namespace scx::sim {

const char *event_name(EventType t)
{
    switch (t) {
    case EventType::wakeup: return "wakeup";
    case EventType::enqueue: return "enqueue";
    case EventType::congestion: return "congestion";
    case EventType::bypass: return "bypass";
    case EventType::dequeue: return "dequeue";
    case EventType::dispatch: return "dispatch";
    case EventType::reject: return "reject";
    case EventType::bounce: return "bounce";
    case EventType::cancel: return "cancel";
    case EventType::insert: return "insert";
    case EventType::kick: return "kick";
    case EventType::preempt: return "preempt";
    case EventType::run: return "run";
    case EventType::stop: return "stop";
    case EventType::idle: return "idle";
    case EventType::sched_run: return "sched_run";
    case EventType::sched_stop: return "sched_stop";
    case EventType::exit: return "exit";
    case EventType::stall: return "stall";
    }
    return "unknown";
}

const char *stop_reason_name(StopReason r)
{
    switch (r) {
    case StopReason::block: return "block";
    case StopReason::sleep: return "sleep";
    case StopReason::expire: return "expire";
    case StopReason::preempt: return "preempt";
    case StopReason::exit: return "exit";
    case StopReason::yield: return "yield";
    case StopReason::end: return "end";
    }
    return "unknown";
}

const char *wait_on_name(WaitOn w)
{
    switch (w) {
    case WaitOn::none: return "";
    case WaitOn::data: return "data";
    case WaitOn::space: return "space";
    case WaitOn::child: return "child";
    case WaitOn::children: return "children";
    case WaitOn::fewer_children: return "fewer_children";
    case WaitOn::gate: return "gate";
    case WaitOn::mutex: return "mutex";
    }
    return "unknown";
}

namespace {

// A buffered output file.
class OutFile {
public:
    explicit OutFile(const std::string &path) : path_(path) {}
    ~OutFile()
    {
        if (f_)
            std::fclose(f_);
    }
    Result<void> open()
    {
        f_ = std::fopen(path_.c_str(), "w");
        if (!f_)
            return errno_error(Exit::io, "cannot write " + path_, errno);
        buf_.reserve(CHUNK + 4096);
        return {};
    }
    std::string &buf() { return buf_; }
    void maybe_flush()
    {
        if (buf_.size() >= CHUNK)
            flush();
    }
    void flush()
    {
        if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
            failed_ = true;
        buf_.clear();
    }
    Result<void> close()
    {
        flush();
        const bool bad = std::fclose(f_) != 0 || failed_;
        f_ = nullptr;
        if (bad)
            return Error(Exit::io, "cannot write " + path_ + ": write error (disk full?)");
        return {};
    }

private:
    static constexpr std::size_t CHUNK = 1 << 20;
    std::string path_;
    std::FILE *f_ = nullptr;
    std::string buf_;
    bool failed_ = false;
};

void put_u64(std::string &s, std::uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        s.push_back(tmp[--n]);
}

void put_i64(std::string &s, std::int64_t v)
{
    if (v < 0) {
        s.push_back('-');
        put_u64(s, static_cast<std::uint64_t>(-(v + 1)) + 1);
    } else {
        put_u64(s, static_cast<std::uint64_t>(v));
    }
}

// Microseconds with nanosecond precision: "1234.567".
void put_us(std::string &s, std::uint64_t ns)
{
    put_u64(s, ns / 1000);
    const auto frac = static_cast<unsigned>(ns % 1000);
    s.push_back('.');
    s.push_back(static_cast<char>('0' + frac / 100));
    s.push_back(static_cast<char>('0' + frac / 10 % 10));
    s.push_back(static_cast<char>('0' + frac % 10));
}

void put_str(std::string &s, const char *v)
{
    s.push_back('"');
    for (const char *p = v; *p; p++) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"' || c == '\\') {
            s.push_back('\\');
            s.push_back(static_cast<char>(c));
        } else if (c < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            s += esc;
        } else {
            s.push_back(static_cast<char>(c));
        }
    }
    s.push_back('"');
}

class ChromeTrace final : public EventSink {
public:
    ChromeTrace(const std::string &path, int cpus) : out_(path), open_(static_cast<std::size_t>(cpus)) {}

    Result<void> start()
    {
        if (auto r = out_.open(); !r)
            return r;
        std::string &b = out_.buf();
        b += "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"scxkit simulator\"},\"traceEvents\":[\n";
        b += "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"CPUs\"}}";
        for (std::size_t c = 0; c < open_.size(); c++) {
            b += ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":";
            put_u64(b, c);
            b += ",\"args\":{\"name\":\"CPU ";
            put_u64(b, c);
            b += "\"}}";
            b += ",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":0,\"tid\":";
            put_u64(b, c);
            b += ",\"args\":{\"sort_index\":";
            put_u64(b, c);
            b += "}}";
        }
        return {};
    }

    void on_event(const Event &e) override
    {
        if (e.cpu < 0 || static_cast<std::size_t>(e.cpu) >= open_.size())
            return;
        Segment &s = open_[static_cast<std::size_t>(e.cpu)];
        switch (e.type) {
        case EventType::run:
            s = Segment{true, e.t, e.pid, e.comm};
            break;
        case EventType::stop:
            if (s.open)
                segment(e.cpu, s, e.t, stop_reason_name(static_cast<StopReason>(e.aux)));
            s.open = false;
            break;
        case EventType::stall:
        case EventType::preempt:
        case EventType::congestion: {
            std::string &b = out_.buf();
            b += ",\n{\"name\":\"";
            b += event_name(e.type);
            b += "\",\"ph\":\"i\",\"s\":\"t\",\"ts\":";
            put_us(b, e.t);
            b += ",\"pid\":0,\"tid\":";
            put_i64(b, e.cpu);
            b += ",\"args\":{\"pid\":";
            put_i64(b, e.pid);
            b += ",\"comm\":";
            put_str(b, e.comm);
            b += "}}";
            break;
        }
        default:
            break;
        }
        out_.maybe_flush();
    }

    Result<void> finish(std::uint64_t end_ns) override
    {
        for (std::size_t c = 0; c < open_.size(); c++)
            if (open_[c].open)
                segment(static_cast<int>(c), open_[c], end_ns, "end");
        out_.buf() += "\n]}\n";
        return out_.close();
    }

private:
    struct Segment {
        bool open = false;
        std::uint64_t start = 0;
        std::int32_t pid = 0;
        const char *comm = "";
    };

    void segment(int cpu, const Segment &s, std::uint64_t end, const char *why)
    {
        std::string &b = out_.buf();
        b += ",\n{\"name\":";
        put_str(b, s.comm);
        b += ",\"cat\":\"";
        b += s.pid == SCHEDULER_PID ? "scheduler" : "task";
        b += "\",\"ph\":\"X\",\"ts\":";
        put_us(b, s.start);
        b += ",\"dur\":";
        put_us(b, end - s.start);
        b += ",\"pid\":0,\"tid\":";
        put_i64(b, cpu);
        b += ",\"args\":{\"pid\":";
        put_i64(b, s.pid);
        b += ",\"stop\":\"";
        b += why;
        b += "\"}}";
    }

    OutFile out_;
    std::vector<Segment> open_;
};

class EventLog final : public EventSink {
public:
    explicit EventLog(const std::string &path) : out_(path) {}

    Result<void> start(int cpus)
    {
        if (auto r = out_.open(); !r)
            return r;
        std::string &b = out_.buf();
        b += "{\"type\":\"header\",\"schema\":\"scxkit.events/1\",\"cpus\":";
        put_i64(b, cpus);
        b += "}\n";
        return {};
    }

    void on_event(const Event &e) override
    {
        std::string &b = out_.buf();
        b += "{\"type\":\"";
        b += event_name(e.type);
        b += "\",\"t\":";
        put_u64(b, e.t);
        b += ",\"cpu\":";
        put_i64(b, e.cpu);
        if (e.pid) {
            b += ",\"pid\":";
            put_i64(b, e.pid);
            b += ",\"comm\":";
            put_str(b, e.comm);
        }
        auto field = [&](const char *name, std::uint64_t v) {
            b += ",\"";
            b += name;
            b += "\":";
            put_u64(b, v);
        };
        switch (e.type) {
        case EventType::wakeup: b += e.a ? ",\"new\":true" : ",\"new\":false"; break;
        case EventType::enqueue: field("flags", e.a); break;
        case EventType::dequeue: field("seq", e.a); break;
        case EventType::dispatch:
            field("slice_ns", e.a);
            field("vtime", e.b);
            field("flags", e.c);
            break;
        case EventType::reject:
            b += ",\"target_pid\":";
            put_i64(b, static_cast<std::int32_t>(e.a));
            field("seq", e.b);
            break;
        case EventType::cancel: field("seq", e.a); break;
        case EventType::insert:
            field("slice_ns", e.a);
            field("vtime", e.b);
            break;
        case EventType::stop:
            field("ran_ns", e.a);
            b += ",\"reason\":\"";
            b += stop_reason_name(static_cast<StopReason>(e.aux));
            b += "\"";
            if (const auto on = static_cast<WaitOn>(e.b); on != WaitOn::none) {
                b += ",\"on\":\"";
                b += wait_on_name(on);
                b += "\"";
            }
            break;
        case EventType::sched_run: field("queued", e.a); break;
        case EventType::sched_stop:
            field("dequeued", e.a);
            field("dispatched", e.b);
            break;
        case EventType::stall: field("waited_ns", e.a); break;
        default: break;
        }
        b += "}\n";
        out_.maybe_flush();
    }

    Result<void> finish(std::uint64_t end_ns) override
    {
        std::string &b = out_.buf();
        b += "{\"type\":\"end\",\"t\":";
        put_u64(b, end_ns);
        b += "}\n";
        return out_.close();
    }

private:
    OutFile out_;
};

} // namespace

Result<std::unique_ptr<EventSink>> open_chrome_trace(const std::string &path, int nr_cpus)
{
    auto t = std::make_unique<ChromeTrace>(path, nr_cpus);
    if (auto r = t->start(); !r)
        return std::move(r).error();
    return std::unique_ptr<EventSink>(std::move(t));
}

Result<std::unique_ptr<EventSink>> open_event_log(const std::string &path, int nr_cpus)
{
    auto t = std::make_unique<EventLog>(path);
    if (auto r = t->start(nr_cpus); !r)
        return std::move(r).error();
    return std::unique_ptr<EventSink>(std::move(t));
}

} // namespace scx::sim
