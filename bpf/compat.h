/* SPDX-License-Identifier: MIT */
/*
 * compat.h - sched_ext kfuncs across kernel versions.
 *
 * Every kfunc is declared __weak: a name the running kernel lacks resolves to
 * 0, bpf_ksym_exists() tells which variant is there, and libbpf turns the
 * calls to absent ones into dead code the verifier never sees. libbpf strips
 * one trailing "___suffix" when it resolves a name, so a kernel symbol that
 * itself ends in "___v2" is declared with one more suffix.
 *
 *   6.12       scx_bpf_dispatch*, scx_bpf_consume
 *   6.13       renamed scx_bpf_dsq_insert*, scx_bpf_dsq_move_to_local
 *   6.17       old names removed
 *   6.19/7.x   scx_bpf_dsq_insert___v2 (returns bool),
 *              scx_bpf_dsq_move_to_local___v2 (takes enq_flags)
 *   7.1        scx_bpf_kick_cpu's BTF prototype has an implicit
 *              `struct bpf_prog_aux *` argument but the kernel has no
 *              scx_bpf_kick_cpu_impl for it: no program can call it. It
 *              stays unresolved here and kicks are skipped (an insert into
 *              a remote CPU's local queue still wakes that CPU).
 */
#ifndef SCXKIT_BPF_COMPAT_H
#define SCXKIT_BPF_COMPAT_H

#include "kernel.h"

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_insert___v2___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_vtime___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
bool scx_bpf_dsq_move_to_local___v2___compat(u64 dsq_id, u64 enq_flags) __ksym __weak;
bool scx_bpf_consume___compat(u64 dsq_id) __ksym __weak;

s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym __weak;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym __weak;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym __weak;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) __ksym __weak;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym __weak;
u32 scx_bpf_nr_cpu_ids(void) __ksym __weak;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym __weak;
u32 scx_bpf_dispatch_nr_slots(void) __ksym __weak;
struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
void bpf_task_release(struct task_struct *p) __ksym __weak;

/* Insert @p into a FIFO queue (a local one: SCX_DSQ_LOCAL[_ON]). */
static __always_inline void scxkit_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___compat))
		scx_bpf_dsq_insert___v2___compat(p, dsq_id, slice, enq_flags);
	else if (bpf_ksym_exists(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch___compat(p, dsq_id, slice, enq_flags);
}

/* Insert @p into a vtime-ordered queue. */
static __always_inline void scxkit_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
						u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert_vtime))
		scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
	else
		scx_bpf_dispatch_vtime___compat(p, dsq_id, slice, vtime, enq_flags);
}

/* Move the first task of @dsq_id to this CPU's local queue. */
static __always_inline bool scxkit_move_to_local(u64 dsq_id)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v2___compat))
		return scx_bpf_dsq_move_to_local___v2___compat(dsq_id, 0);
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq_id);
	return scx_bpf_consume___compat(dsq_id);
}

static __always_inline void scxkit_kick_cpu(s32 cpu, u64 flags)
{
	if (bpf_ksym_exists(scx_bpf_kick_cpu))
		scx_bpf_kick_cpu(cpu, flags);
}

#endif /* SCXKIT_BPF_COMPAT_H */
