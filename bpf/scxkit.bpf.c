/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scxkit.bpf.c - the BPF half of the scxkit runtime.
 *
 * Scheduling decisions are made by a policy running in user space. This
 * program carries events between the kernel and that policy:
 *
 *   ops.enqueue   a task that wants a CPU is sent to user space through the
 *                 `queued` ring buffer (a full ring falls back to the shared
 *                 queue: "congestion");
 *   ops.dispatch  decisions coming back through the `dispatched` user ring
 *                 buffer are inserted into the chosen CPU's queue or the
 *                 shared queue (both vtime-ordered), then this CPU takes the
 *                 first task of its own queue, else of the shared one.
 *
 * Some tasks never go to user space: the scheduler's own processes (which
 * must run for anything else to be scheduled), per-CPU kernel threads and the
 * memory-management helpers (a page fault may wait for them), and, when the
 * policy allows it, a waking task for which an idle CPU is free.
 *
 * A decision carries the per-task enqueue counter it was made for; a task
 * enqueued again meanwhile (or gone) makes it stale and it is dropped. A CPU
 * outside the task's affinity sends it to the shared queue instead. Counters
 * and the exit information live in .bss, memory-mapped by user space (see
 * the layout comment below).
 */
#include "kernel.h"
#include "compat.h"
#include "intf.h"

char _license[] SEC("license") = "GPL";

/* The default slice, set by user space before load. */
const volatile u64 slice_dfl_ns = SCX_SLICE_DFL;
/* How often the heartbeat timer wakes the user-space scheduler. */
const volatile u64 heartbeat_ns = 100ULL * 1000 * 1000;

/*
 * Shared with user space, memory-mapped, in two separate maps so that the
 * process running the policy (the worker) can write only what it must:
 *
 *  .data.user  ("scxkit.data.user") written by the worker: idle_bypass,
 *              nr_user_dequeued, nr_scheduled, idle_mask (the worker claims
 *              idle CPUs by clearing bits). Nothing here steers BPF beyond
 *              what the policy may steer anyway.
 *  .bss        ("scxkit.bss") written by BPF (counters, exit information)
 *              and by the supervisor (sched_tgid, bpf_only). The worker maps
 *              it read-only without the right to write (Scheduler::
 *              enter_worker() remaps it and closes the map's descriptor), so
 *              policy code cannot forge counters, exit information or the
 *              set of processes dispatched directly.
 *
 * Everything below ".data.user" is therefore untrusted input to BPF.
 */
#define SCXKIT_USER_DATA SEC(".data.user")
bool idle_bypass SCXKIT_USER_DATA = true; /* serve waking tasks on idle CPUs directly */
u64 nr_user_dequeued SCXKIT_USER_DATA;    /* task records consumed by user space */
u64 nr_scheduled SCXKIT_USER_DATA;        /* tasks the policy holds back */
u64 idle_mask[SCXKIT_MAX_CPUS / 64] SCXKIT_USER_DATA; /* idle CPUs (ops.update_idle) */

s32 sched_tgid[2];             /* the scheduler's processes (supervisor) */
bool bpf_only;                 /* reference mode: global FIFO, no user space */

u64 nr_enqueued;               /* task records sent to user space */
u64 nr_running;
u64 nr_user_dispatches;
u64 nr_kernel_dispatches;
u64 nr_cancel_dispatches;
u64 nr_bounce_dispatches;
u64 nr_failed_dispatches;
u64 nr_congestion;
u64 nr_sched_dispatches;       /* the scheduler's own processes */
u64 nr_heartbeats;
u64 nr_wakeups_sent;

/* Exit information, complete once exit_kind != 0. */
s64 exit_code;
char exit_reason[SCXKIT_REASON_LEN];
char exit_msg[SCXKIT_MSG_LEN];
u64 exit_kind;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SCXKIT_QUEUED_RING_BYTES);
} queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, SCXKIT_DISPATCH_RING_BYTES);
} dispatched SEC(".maps");

struct task_ctx {
	u64 seq;            /* enqueue counter: a decision must carry the current one */
	u64 vtime;          /* weighted runtime */
	u64 exec_runtime;   /* runtime since the last wake-up */
	u64 sum_runtime;
	u64 enqueued_at;
	u64 last_run_at;
	u64 last_stop_at;
	bool queued;        /* waiting for a decision from user space */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

struct heartbeat {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct heartbeat);
} heartbeat SEC(".maps");

static struct task_ctx *lookup_ctx(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, 0);
}

static bool is_scheduler(const struct task_struct *p)
{
	s32 tgid = p->tgid;

	return tgid && (tgid == sched_tgid[0] || tgid == sched_tgid[1]);
}

static bool has_prefix(const char *comm, const char *prefix, int len)
{
	for (int i = 0; i < len; i++)
		if (comm[i] != prefix[i])
			return false;
	return true;
}

/*
 * Per-CPU kernel threads and the memory-management helpers bypass user space:
 * the scheduler itself may be waiting for them (a page fault, reclaim).
 */
static bool is_kernel_bypass(const struct task_struct *p)
{
	char comm[16];

	if (!(p->flags & PF_KTHREAD))
		return false;
	if (p->nr_cpus_allowed == 1)
		return true;
	__builtin_memcpy(comm, p->comm, sizeof(comm));
	return has_prefix(comm, "kswapd", 6) || has_prefix(comm, "kcompactd", 9) ||
	       has_prefix(comm, "khugepaged", 10);
}

static bool cpu_allowed(const struct task_struct *p, s32 cpu)
{
	const struct cpumask *mask = p->cpus_ptr;
	unsigned long word = 0;

	if (cpu < 0 || cpu >= SCXKIT_MAX_CPUS)
		return false;
	if (bpf_core_read(&word, sizeof(word), &mask->bits[cpu / 64]))
		return false;
	return word & (1UL << (cpu % 64));
}

/* Each CPU's hotplug state (a per-CPU variable: in the kernel's BTF). */
extern const struct cpuhp_cpu_state cpuhp_state __ksym __weak;

/*
 * Whether @cpu is fully online and staying so. A CPU in hotplug, either
 * way, may not take tasks from its queue (coming up, sched_ext runs nothing
 * there until late; going down, it pushes away what it picks, and the
 * policy may choose it again): a task put there could wait for what the
 * hotplug itself waits for until the watchdog ejects the scheduler.
 */
static bool cpu_settled(s32 cpu)
{
	const int online = bpf_core_enum_value(enum cpuhp_state, CPUHP_ONLINE);
	const struct cpuhp_cpu_state *st;

	if (!bpf_ksym_exists(&cpuhp_state))
		return true;
	st = bpf_per_cpu_ptr(&cpuhp_state, cpu);
	if (!st)
		return false;
	return st->state == online && st->target == online;
}

static u64 translate_enq_flags(u64 kflags)
{
	u64 flags = 0;

	if (kflags & SCX_ENQ_WAKEUP)
		flags |= SCXKIT_ENQ_WAKEUP;
	if (bpf_core_enum_value_exists(enum scx_enq_flags, SCX_ENQ_HEAD) &&
	    (kflags & bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_HEAD)))
		flags |= SCXKIT_ENQ_HEAD;
	if (kflags & SCX_ENQ_PREEMPT)
		flags |= SCXKIT_ENQ_PREEMPT;
	if (kflags & SCX_ENQ_REENQ)
		flags |= SCXKIT_ENQ_REENQ;
	return flags;
}

static void kick_idle_for(struct task_struct *p)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	if (cpu >= 0)
		scxkit_kick_cpu(cpu, SCX_KICK_IDLE);
}

/*
 * Insert into the shared vtime-ordered queue and wake an idle CPU for it.
 * Tasks that could not reach user space use vtime 0: they go first.
 */
static void insert_shared(struct task_struct *p, u64 vtime, u64 slice, u64 enq_flags)
{
	scxkit_insert_vtime(p, SCXKIT_SHARED_DSQ, slice ? slice : slice_dfl_ns, vtime, enq_flags);
	kick_idle_for(p);
}

/* Wake the user-space scheduler without a task (nothing queued to send). */
static void wake_scheduler(void)
{
	struct scxkit_task *rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);

	if (!rec)
		return;
	__builtin_memset(rec, 0, sizeof(*rec));
	rec->kind = SCXKIT_REC_WAKEUP;
	bpf_ringbuf_submit(rec, 0);
	__sync_fetch_and_add(&nr_wakeups_sent, 1);
}

s32 BPF_STRUCT_OPS(scxkit_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	if (!is_scheduler(p) && !bpf_only && !idle_bypass)
		return prev_cpu;
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		scxkit_insert(p, SCX_DSQ_LOCAL, slice_dfl_ns, 0);
		if (is_scheduler(p))
			__sync_fetch_and_add(&nr_sched_dispatches, 1);
		else
			__sync_fetch_and_add(&nr_kernel_dispatches, 1);
	}
	return cpu;
}

void BPF_STRUCT_OPS(scxkit_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx;
	struct scxkit_task *rec;

	/* The scheduler runs first, preempting whatever runs here. */
	if (is_scheduler(p)) {
		scxkit_insert(p, SCX_DSQ_LOCAL, slice_dfl_ns, enq_flags | SCX_ENQ_PREEMPT);
		__sync_fetch_and_add(&nr_sched_dispatches, 1);
		return;
	}
	if (is_kernel_bypass(p)) {
		scxkit_insert(p, SCX_DSQ_LOCAL, slice_dfl_ns, enq_flags);
		__sync_fetch_and_add(&nr_kernel_dispatches, 1);
		return;
	}
	if (bpf_only) {
		scxkit_insert(p, SCX_DSQ_GLOBAL, slice_dfl_ns, enq_flags);
		__sync_fetch_and_add(&nr_kernel_dispatches, 1);
		return;
	}

	tctx = lookup_ctx(p);
	if (!tctx) {
		insert_shared(p, 0, 0, enq_flags);
		__sync_fetch_and_add(&nr_failed_dispatches, 1);
		return;
	}
	rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);
	if (!rec) {
		/* User space is behind: run the task anyway, in vtime order. */
		tctx->queued = false;
		insert_shared(p, 0, 0, enq_flags);
		__sync_fetch_and_add(&nr_congestion, 1);
		return;
	}
	tctx->seq++;
	tctx->queued = true;
	tctx->enqueued_at = bpf_ktime_get_ns();

	rec->pid = p->pid;
	rec->cpu = scx_bpf_task_cpu(p);
	rec->nr_cpus_allowed = p->nr_cpus_allowed;
	rec->kind = SCXKIT_REC_TASK;
	rec->flags = translate_enq_flags(enq_flags);
	rec->weight = p->scx.weight;
	rec->exec_runtime = tctx->exec_runtime;
	rec->sum_exec_runtime = tctx->sum_runtime;
	rec->vtime = tctx->vtime;
	rec->enqueued_at = tctx->enqueued_at;
	rec->last_run_at = tctx->last_run_at;
	rec->last_stop_at = tctx->last_stop_at;
	rec->seq = tctx->seq;
	__builtin_memcpy(rec->comm, p->comm, sizeof(rec->comm));
	bpf_ringbuf_submit(rec, 0);
	__sync_fetch_and_add(&nr_enqueued, 1);
}

void BPF_STRUCT_OPS(scxkit_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = lookup_ctx(p);

	/* Left our custody (affinity or priority change, exit): any decision
	 * still on its way is stale. */
	if (tctx)
		tctx->queued = false;
}

static long apply_decision(struct bpf_dynptr *dynptr, void *data)
{
	struct scxkit_dispatch d;
	struct task_struct *p;
	struct task_ctx *tctx;
	u64 slice, enq_flags = 0;

	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0)) {
		__sync_fetch_and_add(&nr_failed_dispatches, 1);
		return 0;
	}
	p = bpf_task_from_pid(d.pid);
	if (!p) {
		/* The task exited meanwhile. */
		__sync_fetch_and_add(&nr_cancel_dispatches, 1);
		return 0;
	}
	tctx = lookup_ctx(p);
	if (!tctx || !tctx->queued || tctx->seq != d.seq) {
		/* Re-enqueued or dequeued since the decision was made. */
		__sync_fetch_and_add(&nr_cancel_dispatches, 1);
		bpf_task_release(p);
		return 0;
	}
	tctx->queued = false;
	slice = d.slice_ns ? d.slice_ns : slice_dfl_ns;
	if (d.flags & SCXKIT_DISPATCH_PREEMPT)
		enq_flags |= SCX_ENQ_PREEMPT;

	if (d.cpu >= 0 && !cpu_allowed(p, d.cpu)) {
		__sync_fetch_and_add(&nr_bounce_dispatches, 1);
		d.cpu = -1;
	}
	if (d.cpu >= 0 && !cpu_settled(d.cpu)) {
		/*
		 * A CPU in hotplug: its built-in local queue, where the kernel
		 * checks that the CPU can take the task and uses the global queue
		 * if not (the scheduler restarts once the hotplug is through).
		 */
		scxkit_insert(p, SCX_DSQ_LOCAL_ON | (u64)d.cpu, slice, enq_flags);
		scxkit_kick_cpu(d.cpu, SCX_KICK_IDLE);
	} else if (d.cpu >= 0) {
		/*
		 * The CPU's own queue, in vtime order as the policy contract has
		 * it (a built-in local queue is FIFO only): the CPU takes from it
		 * in ops.dispatch, before the shared queue. A preempting decision
		 * kicks the CPU out of what it runs.
		 */
		scxkit_insert_vtime(p, SCXKIT_CPU_DSQ_BASE + (u64)d.cpu, slice, d.vtime, 0);
		scxkit_kick_cpu(d.cpu, (enq_flags & SCX_ENQ_PREEMPT) ? SCX_KICK_PREEMPT : SCX_KICK_IDLE);
	} else {
		insert_shared(p, d.vtime, slice, enq_flags);
	}
	__sync_fetch_and_add(&nr_user_dispatches, 1);
	bpf_task_release(p);
	/*
	 * Stop before the kernel's dispatch buffer is full. Asking the kernel
	 * keeps the callback stateless, which lets the verifier converge.
	 */
	return scx_bpf_dispatch_nr_slots() ? 0 : 1;
}

void BPF_STRUCT_OPS(scxkit_dispatch, s32 cpu, struct task_struct *prev)
{
	if (!bpf_only && scx_bpf_dispatch_nr_slots())
		bpf_user_ringbuf_drain(&dispatched, apply_decision, NULL, 0);
	if (!bpf_only && cpu >= 0 && cpu < SCXKIT_MAX_CPUS && scxkit_move_to_local(SCXKIT_CPU_DSQ_BASE + (u64)cpu))
		return;
	if (scxkit_move_to_local(SCXKIT_SHARED_DSQ))
		return;
	if (bpf_only)
		return;
	/*
	 * This CPU has nothing to run while the policy holds tasks back: call
	 * it again, as the contract promises.
	 */
	if (nr_scheduled)
		wake_scheduler();
}

void BPF_STRUCT_OPS(scxkit_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = lookup_ctx(p);

	if (tctx)
		tctx->exec_runtime = 0;
}

void BPF_STRUCT_OPS(scxkit_running, struct task_struct *p)
{
	struct task_ctx *tctx = lookup_ctx(p);

	__sync_fetch_and_add(&nr_running, 1);
	if (tctx)
		tctx->last_run_at = bpf_ktime_get_ns();
}

void BPF_STRUCT_OPS(scxkit_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = lookup_ctx(p);
	u64 now, delta, weight;

	__sync_fetch_and_sub(&nr_running, 1);
	if (!tctx || !tctx->last_run_at)
		return;
	now = bpf_ktime_get_ns();
	delta = now - tctx->last_run_at;
	tctx->last_stop_at = now;
	tctx->exec_runtime += delta;
	tctx->sum_runtime += delta;
	weight = p->scx.weight ? p->scx.weight : 100;
	tctx->vtime += delta * 100 / weight;
}

void BPF_STRUCT_OPS(scxkit_update_idle, s32 cpu, bool idle)
{
	u64 bit;
	u32 word;

	if (cpu < 0 || cpu >= SCXKIT_MAX_CPUS)
		return;
	word = (u32)cpu / 64;
	bit = 1ULL << ((u32)cpu % 64);
	if (word >= SCXKIT_MAX_CPUS / 64)
		return;
	if (idle)
		__sync_fetch_and_or(&idle_mask[word], bit);
	else
		__sync_fetch_and_and(&idle_mask[word], ~bit);
}

s32 BPF_STRUCT_OPS(scxkit_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -12; /* -ENOMEM */
	return 0;
}

static int heartbeat_fn(void *map, int *key, struct bpf_timer *timer)
{
	__sync_fetch_and_add(&nr_heartbeats, 1);
	/*
	 * Wake user space if work waits for it: records it has not consumed
	 * (a lost wake-up) or tasks the policy holds back.
	 */
	if (!bpf_only && (nr_enqueued != nr_user_dequeued || nr_scheduled))
		wake_scheduler();
	bpf_timer_start(timer, heartbeat_ns, 0);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(scxkit_init)
{
	struct heartbeat *hb;
	u32 key = 0, cpu, nr_cpus;
	s32 err;

	err = scx_bpf_create_dsq(SCXKIT_SHARED_DSQ, -1);
	if (err)
		return err;
	nr_cpus = scx_bpf_nr_cpu_ids();
	if (nr_cpus > SCXKIT_MAX_CPUS)
		nr_cpus = SCXKIT_MAX_CPUS;
	bpf_for(cpu, 0, nr_cpus) {
		err = scx_bpf_create_dsq(SCXKIT_CPU_DSQ_BASE + cpu, -1);
		if (err)
			return err;
	}
	hb = bpf_map_lookup_elem(&heartbeat, &key);
	if (!hb)
		return -2; /* -ENOENT */
	bpf_timer_init(&hb->timer, &heartbeat, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&hb->timer, heartbeat_fn);
	return bpf_timer_start(&hb->timer, heartbeat_ns, 0);
}

void BPF_STRUCT_OPS(scxkit_exit, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(exit_reason, sizeof(exit_reason), ei->reason);
	bpf_probe_read_kernel_str(exit_msg, sizeof(exit_msg), ei->msg);
	exit_code = ei->exit_code;
	/* Last: user space reads the rest once it sees a kind. */
	__sync_lock_test_and_set(&exit_kind, (u64)ei->kind ? (u64)ei->kind : 1);
}

SEC(".struct_ops.link")
struct sched_ext_ops scxkit_ops = {
	.select_cpu = (void *)scxkit_select_cpu,
	.enqueue = (void *)scxkit_enqueue,
	.dequeue = (void *)scxkit_dequeue,
	.dispatch = (void *)scxkit_dispatch,
	.runnable = (void *)scxkit_runnable,
	.running = (void *)scxkit_running,
	.stopping = (void *)scxkit_stopping,
	.update_idle = (void *)scxkit_update_idle,
	.init_task = (void *)scxkit_init_task,
	.init = (void *)scxkit_init,
	.exit = (void *)scxkit_exit,
	.dispatch_max_batch = SCXKIT_MAX_DISPATCH_BATCH,
	.flags = SCX_OPS_KEEP_BUILTIN_IDLE,
	.name = "scxkit",
};
