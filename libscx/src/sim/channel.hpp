// SPDX-License-Identifier: MIT
//
// Channels between simulated tasks: a buffer of finite capacity that only
// counts its messages (no per-message memory), and the lists of tasks
// blocked on it. Who is woken when is decided by the interpreter from the
// rules below (see interpreter.cpp, send and recv).
#pragma once

#include <cstdint>
#include <vector>

namespace scx::sim::detail {

inline constexpr std::int32_t NONE = -1;

// Tasks blocked on something, in arrival order (linked through Task::wait_next).
struct WaitList {
    std::int32_t head = NONE, tail = NONE;
    bool empty() const { return head == NONE; }
};

// A channel counts its messages. Two buffer models:
//  - counted (per_page == 0): room for `cap` messages; with wake_all (AF_UNIX
//    socket) every send wakes all readers and a receive that leaves at most
//    wake_level messages wakes all writers; without it (a plain queue) one
//    waiter is woken and passes the turn on;
//  - paged (pipe): max_pages buffers of per_page messages each; a write goes
//    into the last page if it still has room (pages are not refilled after
//    being read), else into a new page; a page is freed when fully read. A
//    read on a full pipe wakes one writer, a write on an empty pipe one reader,
//    and each passes the turn on while there is room / data.
// A pipe also has its mutex (pipe->mutex, taken by every read and write for
// the length of the call): see Engine::pipe_lock in interpreter.cpp.
struct Channel {
    std::uint32_t fill = 0, cap = 1, wake_level = 0, max_fill = 0;
    bool wake_all = false;
    std::uint16_t per_page = 0, max_pages = 0;
    std::uint16_t page_head = 0, page_count = 0, tail_written = 0;
    std::vector<std::uint16_t> pages; // messages left in each page (ring of max_pages)
    WaitList readers, writers;
    std::uint64_t sent = 0, received = 0;
    // What its sends and receives cost, percent of their nominal cost
    // (Machine::syscall_pct; on a socket, times Machine::socket_pct).
    std::uint64_t call_pct = 100;
    // Pipe mutex: its owner (a task in a read or write, or the waiter it was
    // handed to), the tasks asleep on it, and whether the first of them asked
    // for the hand-off (MUTEX_FLAG_HANDOFF).
    std::int32_t lock_owner = NONE;
    bool lock_handoff = false;
    WaitList lockers;

    bool can_write() const
    {
        if (per_page == 0)
            return fill < cap;
        return page_count < max_pages || (page_count > 0 && tail_written < per_page);
    }

    // One message in (the caller checked can_write()).
    void put()
    {
        fill++;
        sent++;
        if (fill > max_fill)
            max_fill = fill;
        if (per_page == 0)
            return;
        if (page_count > 0 && tail_written < per_page) {
            pages[(page_head + page_count - 1u) % max_pages]++;
            tail_written++;
        } else {
            pages[(page_head + page_count) % max_pages] = 1;
            page_count++;
            tail_written = 1;
        }
    }

    // One message out (the caller checked fill > 0).
    void take()
    {
        fill--;
        received++;
        if (per_page == 0)
            return;
        if (--pages[page_head] == 0) {
            page_head = static_cast<std::uint16_t>((page_head + 1u) % max_pages);
            page_count--;
        }
    }
};



} // namespace scx::sim::detail
