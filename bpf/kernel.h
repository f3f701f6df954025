/* SPDX-License-Identifier: MIT */
/*
 * kernel.h - the few kernel types and constants the BPF half uses.
 *
 * No generated vmlinux.h: every struct lists only the members read, with
 * preserve_access_index, so libbpf relocates each access (CO-RE) against the
 * running kernel's BTF. Enum-typed members are declared with their enum
 * (CO-RE checks the kind). Constants that are kernel ABI (DSQ ids, kick and
 * ops flags) are plain defines; values that moved between kernels (the
 * SCX_ENQ_HEAD bit) are read with bpf_core_enum_value().
 */
#ifndef SCXKIT_BPF_KERNEL_H
#define SCXKIT_BPF_KERNEL_H

typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;
typedef _Bool bool;
#define true 1
#define false 0

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#ifndef __ksym
#define __ksym __attribute__((section(".ksyms")))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif

#define CORE __attribute__((preserve_access_index))

struct cpumask {
	unsigned long bits[1];
} CORE;

struct sched_ext_entity {
	u32 weight;
} CORE;

struct task_struct {
	unsigned int flags;
	int nr_cpus_allowed;
	const struct cpumask *cpus_ptr;
	int pid;
	int tgid;
	char comm[16];
	struct sched_ext_entity scx;
} CORE;

enum scx_exit_kind {
	SCX_EXIT_NONE,
};

struct scx_exit_info {
	enum scx_exit_kind kind;
	s64 exit_code;
	const char *reason;
	char *msg;
} CORE;

/* Values differ between kernels: only the names matter (CO-RE). */
enum scx_enq_flags {
	SCX_ENQ_HEAD = 1,
};

/* A CPU's place in CPU hotplug: the state reached and the one aimed at. */
enum cpuhp_state {
	CPUHP_ONLINE = 1, /* value from the kernel's BTF (CO-RE) */
};

struct cpuhp_cpu_state {
	enum cpuhp_state state;
	enum cpuhp_state target;
} CORE;

struct scx_init_task_args;
struct scx_exit_task_args;

/* libbpf matches these members by name with the kernel's struct. */
struct sched_ext_ops {
	s32 (*select_cpu)(struct task_struct *p, s32 prev_cpu, u64 wake_flags);
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	void (*dequeue)(struct task_struct *p, u64 deq_flags);
	void (*dispatch)(s32 cpu, struct task_struct *prev);
	void (*runnable)(struct task_struct *p, u64 enq_flags);
	void (*running)(struct task_struct *p);
	void (*stopping)(struct task_struct *p, bool runnable);
	void (*update_idle)(s32 cpu, bool idle);
	s32 (*init_task)(struct task_struct *p, struct scx_init_task_args *args);
	void (*cpu_online)(s32 cpu);
	void (*cpu_offline)(s32 cpu);
	s32 (*init)(void);
	void (*exit)(struct scx_exit_info *info);
	u32 dispatch_max_batch;
	u64 flags;
	u32 timeout_ms;
	u32 exit_dump_len;
	u64 hotplug_seq;
	char name[128];
};

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* Kernel ABI constants. */
#define PF_KTHREAD 0x00200000
#define CLOCK_MONOTONIC 1

#define SCX_DSQ_FLAG_BUILTIN (1ULL << 63)
#define SCX_DSQ_FLAG_LOCAL_ON (1ULL << 62)
#define SCX_DSQ_GLOBAL (SCX_DSQ_FLAG_BUILTIN | 1)
#define SCX_DSQ_LOCAL (SCX_DSQ_FLAG_BUILTIN | 2)
#define SCX_DSQ_LOCAL_ON (SCX_DSQ_FLAG_BUILTIN | SCX_DSQ_FLAG_LOCAL_ON)

#define SCX_SLICE_DFL (20ULL * 1000 * 1000)

#define SCX_KICK_IDLE 1
#define SCX_KICK_PREEMPT 2

#define SCX_OPS_KEEP_BUILTIN_IDLE 1ULL
#define SCX_OPS_SWITCH_PARTIAL 8ULL

#define SCX_ENQ_WAKEUP (1ULL << 0)
#define SCX_ENQ_PREEMPT (1ULL << 32)
#define SCX_ENQ_REENQ (1ULL << 40)

#endif /* SCXKIT_BPF_KERNEL_H */
