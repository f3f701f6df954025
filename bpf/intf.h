/* SPDX-License-Identifier: MIT */
/*
 * intf.h - what the BPF half and the user-space kernel backend share: the
 * records that travel through the two ring buffers and the constants both
 * sides agree on. Included by scxkit.bpf.c and by libscx (C++).
 *
 * The task record has exactly the layout of scx::Task and the decision record
 * that of scx::Dispatch (static_assert'ed in libscx), so user space copies
 * them without translation.
 */
#ifndef SCXKIT_BPF_INTF_H
#define SCXKIT_BPF_INTF_H

#ifdef __BPF__
typedef unsigned char scxkit_u8;
typedef int scxkit_s32;
typedef unsigned int scxkit_u32;
typedef unsigned long long scxkit_u64;
#else
#include <stdint.h>
typedef uint8_t scxkit_u8;
typedef int32_t scxkit_s32;
typedef uint32_t scxkit_u32;
typedef uint64_t scxkit_u64;
#endif

enum scxkit_consts {
	SCXKIT_MAX_CPUS = 1024,          /* CPUs the idle map and bounds checks cover */
	SCXKIT_COMM_LEN = 16,
	SCXKIT_MSG_LEN = 1024,           /* exit message kept for user space */
	SCXKIT_REASON_LEN = 128,
	SCXKIT_MAX_DISPATCH_BATCH = 64,  /* sched_ext_ops.dispatch_max_batch */
	SCXKIT_QUEUED_RING_BYTES = 4 << 20,    /* BPF -> user: task records */
	SCXKIT_DISPATCH_RING_BYTES = 1 << 20,  /* user -> BPF: decisions */
	SCXKIT_SHARED_DSQ = 0x5c8,       /* id of the shared vtime-ordered queue */
	SCXKIT_CPU_DSQ_BASE = 0x10000,   /* + CPU: that CPU's vtime-ordered queue */
};

/* scxkit_task.kind: a task needing a decision, or a wake-up with no task. */
enum scxkit_record_kind {
	SCXKIT_REC_TASK = 0,
	SCXKIT_REC_WAKEUP = 1,
};

/* BPF -> user space: a task that needs a decision (layout of scx::Task). */
struct scxkit_task {
	scxkit_s32 pid;
	scxkit_s32 cpu;
	scxkit_s32 nr_cpus_allowed;
	scxkit_u32 kind;             /* enum scxkit_record_kind (scx::Task::reserved0) */
	scxkit_u64 flags;            /* scx::ENQ_* (translated from the kernel's) */
	scxkit_u64 weight;
	scxkit_u64 exec_runtime;
	scxkit_u64 sum_exec_runtime;
	scxkit_u64 vtime;
	scxkit_u64 enqueued_at;
	scxkit_u64 last_run_at;
	scxkit_u64 last_stop_at;
	scxkit_u64 seq;
	char comm[SCXKIT_COMM_LEN];
};

/* User space -> BPF: a decision (layout of scx::Dispatch). */
struct scxkit_dispatch {
	scxkit_s32 pid;
	scxkit_s32 cpu;              /* -1: shared queue */
	scxkit_u64 slice_ns;         /* 0: default slice */
	scxkit_u64 vtime;
	scxkit_u64 flags;            /* scx::DISPATCH_* */
	scxkit_u64 seq;
};

/* Policy-visible enqueue flags (scx::ENQ_*), stable across kernels. */
#define SCXKIT_ENQ_WAKEUP (1ULL << 0)
#define SCXKIT_ENQ_HEAD (1ULL << 4)
#define SCXKIT_ENQ_PREEMPT (1ULL << 32)
#define SCXKIT_ENQ_REENQ (1ULL << 40)
#define SCXKIT_DISPATCH_PREEMPT (1ULL << 32)

/* scx_exit_info.exit_code bits (kernel ABI): hotplug asks for a restart. */
#define SCXKIT_ECODE_ACT_RESTART (1ULL << 48)

#endif /* SCXKIT_BPF_INTF_H */
