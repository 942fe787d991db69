/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svmhv's tracepoints (system "svmhv"): ftrace's events/svmhv/ and
 * perf's svmhv:*.  The arguments are plain values, so this header sits
 * in the lowest layer and any file may fire an event.  trace.c creates
 * them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM svmhv

#if !defined(SVMHV_SVM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SVMHV_SVM_TRACE_H

#include <linux/tracepoint.h>

#ifndef SVMHV_SVM_TRACE_KINDS
#define SVMHV_SVM_TRACE_KINDS
/* svmhv_shadow_fault's result */
enum {
	SVMHV_SF_FIXED,		/* the shadow MMU mapped the page */
	SVMHV_SF_GUEST,		/* the guest's own #PF, given back */
	SVMHV_SF_MMIO,		/* no RAM there: MMIO */
	SVMHV_SF_RETRY,		/* the guest's tables kept changing */
};
/* svmhv_shadow_load's kind */
enum {
	SVMHV_SL_SAME,		/* the same root, nothing flushed */
	SVMHV_SL_NEW_ROOT,	/* a CR3 without a cached root: built */
	SVMHV_SL_CACHED_ROOT,	/* a CR3 whose root was cached: resynced */
	SVMHV_SL_FLUSH,		/* the same CR3, flushed: resynced */
};
#endif

/* Entering the guest: the VMRUN that comes next. */
TRACE_EVENT(svmhv_entry,
	TP_PROTO(u32 vcpu, u64 rip),
	TP_ARGS(vcpu, rip),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, rip)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->rip = rip;
	),
	TP_printk("vcpu %u rip 0x%llx", __entry->vcpu, __entry->rip)
);

/* A #VMEXIT, before it is handled. */
TRACE_EVENT(svmhv_exit,
	TP_PROTO(u32 vcpu, u64 code, u64 info1, u64 info2, u64 rip,
		 u32 int_info),
	TP_ARGS(vcpu, code, info1, info2, rip, int_info),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, code)
		__field(u64, info1)
		__field(u64, info2)
		__field(u64, rip)
		__field(u32, int_info)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->code = code;
		__entry->info1 = info1;
		__entry->info2 = info2;
		__entry->rip = rip;
		__entry->int_info = int_info;
	),
	TP_printk("vcpu %u code 0x%llx info1 0x%llx info2 0x%llx rip 0x%llx int_info 0x%x",
		  __entry->vcpu, __entry->code, __entry->info1,
		  __entry->info2, __entry->rip, __entry->int_info)
);

/*
 * An event put in EVENTINJ for the next VMRUN: @event_inj as the VMCB
 * holds it (vector, type, valid bits), @reinjected when it is one an
 * exit interrupted.
 */
TRACE_EVENT(svmhv_inject,
	TP_PROTO(u32 vcpu, u32 event_inj, u32 error, bool reinjected),
	TP_ARGS(vcpu, event_inj, error, reinjected),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u32, event_inj)
		__field(u32, error)
		__field(bool, reinjected)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->event_inj = event_inj;
		__entry->error = error;
		__entry->reinjected = reinjected;
	),
	TP_printk("vcpu %u vector %u type %u error 0x%x%s%s",
		  __entry->vcpu, __entry->event_inj & 0xff,
		  (__entry->event_inj >> 8) & 7, __entry->error,
		  __entry->event_inj & 0x800 ? "" : " (no error code)",
		  __entry->reinjected ? " reinjected" : "")
);

/* A port access that goes to userspace (KVM_EXIT_IO). */
TRACE_EVENT(svmhv_pio,
	TP_PROTO(u32 vcpu, u16 port, u8 size, bool in, u32 count),
	TP_ARGS(vcpu, port, size, in, count),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u16, port)
		__field(u8, size)
		__field(bool, in)
		__field(u32, count)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->port = port;
		__entry->size = size;
		__entry->in = in;
		__entry->count = count;
	),
	TP_printk("vcpu %u %s port 0x%x size %u count %u", __entry->vcpu,
		  __entry->in ? "in" : "out", __entry->port, __entry->size,
		  __entry->count)
);

/* An MMIO access that goes to userspace (KVM_EXIT_MMIO). */
TRACE_EVENT(svmhv_mmio,
	TP_PROTO(u32 vcpu, u64 gpa, u32 len, bool write, u64 data),
	TP_ARGS(vcpu, gpa, len, write, data),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, gpa)
		__field(u32, len)
		__field(bool, write)
		__field(u64, data)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->gpa = gpa;
		__entry->len = len;
		__entry->write = write;
		__entry->data = data;
	),
	TP_printk("vcpu %u %s gpa 0x%llx len %u data 0x%llx", __entry->vcpu,
		  __entry->write ? "write" : "read", __entry->gpa,
		  __entry->len, __entry->data)
);

/* What the shadow MMU made of a guest #PF: SVMHV_SF_*. */
TRACE_EVENT(svmhv_shadow_fault,
	TP_PROTO(u32 vcpu, u64 gva, u32 error, int result, u64 spte),
	TP_ARGS(vcpu, gva, error, result, spte),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, gva)
		__field(u32, error)
		__field(int, result)
		__field(u64, spte)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->gva = gva;
		__entry->error = error;
		__entry->result = result;
		__entry->spte = spte;
	),
	TP_printk("vcpu %u gva 0x%llx error 0x%x %s spte 0x%llx",
		  __entry->vcpu, __entry->gva, __entry->error,
		  __print_symbolic(__entry->result,
				   { SVMHV_SF_FIXED, "fixed" },
				   { SVMHV_SF_GUEST, "guest" },
				   { SVMHV_SF_MMIO, "mmio" },
				   { SVMHV_SF_RETRY, "retry" }),
		  __entry->spte)
);

/*
 * The shadow MMU loading the guest's paging registers: a new CR3 (its
 * root built anew, or found cached and resynced), or a flush of the same
 * one (@kind, SVMHV_SL_*); @resynced shadow pages were found changed and
 * fixed.
 */
TRACE_EVENT(svmhv_shadow_load,
	TP_PROTO(u32 vcpu, u64 cr3, u32 role, int kind, u64 resynced),
	TP_ARGS(vcpu, cr3, role, kind, resynced),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, cr3)
		__field(u32, role)
		__field(int, kind)
		__field(u64, resynced)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->cr3 = cr3;
		__entry->role = role;
		__entry->kind = kind;
		__entry->resynced = resynced;
	),
	TP_printk("vcpu %u cr3 0x%llx role 0x%x %s resynced %llu",
		  __entry->vcpu, __entry->cr3, __entry->role,
		  __print_symbolic(__entry->kind,
				   { SVMHV_SL_SAME, "same" },
				   { SVMHV_SL_NEW_ROOT, "new-root" },
				   { SVMHV_SL_CACHED_ROOT, "cached-root" },
				   { SVMHV_SL_FLUSH, "flush" }),
		  __entry->resynced)
);

/* A nested-page-table leaf installed: @level 1 is 4K, 2 is 2M, 3 is 1G. */
TRACE_EVENT(svmhv_npt_map,
	TP_PROTO(u64 gpa, u64 hpa, int level),
	TP_ARGS(gpa, hpa, level),
	TP_STRUCT__entry(
		__field(u64, gpa)
		__field(u64, hpa)
		__field(int, level)
	),
	TP_fast_assign(
		__entry->gpa = gpa;
		__entry->hpa = hpa;
		__entry->level = level;
	),
	TP_printk("gpa 0x%llx hpa 0x%llx level %d", __entry->gpa,
		  __entry->hpa, __entry->level)
);

/* A slot's range taken out of the nested tables. */
TRACE_EVENT(svmhv_npt_unmap,
	TP_PROTO(u64 gpa, u64 size),
	TP_ARGS(gpa, size),
	TP_STRUCT__entry(
		__field(u64, gpa)
		__field(u64, size)
	),
	TP_fast_assign(
		__entry->gpa = gpa;
		__entry->size = size;
	),
	TP_printk("gpa 0x%llx size 0x%llx", __entry->gpa, __entry->size)
);

#endif /* SVMHV_SVM_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH svm
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
