// SPDX-License-Identifier: GPL-2.0
/*
 * #VMEXIT handling: one handler per exit code, dispatched by table.
 * Handlers return 1 to resume the guest, 0 to return to userspace with
 * run->exit_reason set, or a negative errno.
 */
#define pr_fmt(fmt) "svmhv: " fmt

#include <linux/highmem.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>

#include <asm/processor-flags.h>

#include "debugreg.h"
#include "emulate.h"
#include "exits.h"
#include "gwalk.h"
#include "irq.h"
#include "memslot.h"
#include "svm.h"
#include "vcpu.h"

#define KVM_ENOSYS		1000	/* as KVM's hypercalls answer */
#define KVM_EPERM		1

#define SVM_IOIO_IN		BIT(0)
#define SVM_IOIO_STR		BIT(2)
#define SVM_IOIO_REP		BIT(3)
#define SVM_IOIO_SIZE_SHIFT	4

void svm_count(struct svm_vcpu *vcpu, enum svmhv_exit_stat s)
{
	vcpu->exits[s]++;
}

/*
 * 16, 32 or 64: the default operand size of the code running now.  CS.D
 * decides outside long mode, in real mode too (the CPU keeps the cached
 * descriptor's D bit there); virtual-8086 code is always 16-bit.
 */
int svm_code_mode(struct svm_vcpu *vcpu)
{
	const struct vmcb_save_area *s = &vcpu->vmcb->save;

	if ((s->efer & EFER_LMA) && (s->cs.attrib & BIT(9)))
		return 64;
	if (!(s->rflags & X86_EFLAGS_VM) && (s->cs.attrib & BIT(10)))
		return 32;
	return 16;
}

static struct vmcb_seg *svm_seg(struct svm_vcpu *vcpu, int seg)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	struct vmcb_seg *segs[] = {
		[SVM_SEG_ES] = &s->es, [SVM_SEG_CS] = &s->cs,
		[SVM_SEG_SS] = &s->ss, [SVM_SEG_DS] = &s->ds,
		[SVM_SEG_FS] = &s->fs, [SVM_SEG_GS] = &s->gs,
	};

	return segs[seg];
}

/* The linear address of @seg:@off; in 64-bit mode only FS and GS count. */
u64 svm_linear(struct svm_vcpu *vcpu, int seg, u64 off)
{
	if (svm_code_mode(vcpu) == 64 && seg != SVM_SEG_FS &&
	    seg != SVM_SEG_GS)
		return off;
	return svm_seg(vcpu, seg)->base + off;
}

/*
 * Translations are kept per vCPU and checked on each use instead of
 * walked again.  gwalk() is a function of the paging registers, the
 * linear page, the access and the guest entries it reads; the host page
 * behind a guest-physical one is a function of the memory slots.  An
 * entry is used only when all of these are as they were: the registers,
 * page and access compare equal, slots_gen is the same (so every page
 * pinned then still is, and maps the same guest-physical page), and each
 * guest entry the walk read is read again, where it was, and is equal.
 * The walk would then take the same path to the same page, and would
 * write nothing: the entries already hold the accessed and dirty bits it
 * set the first time.  Guest page-table writes (which do not exit under
 * NPT), a CR3 load or a slot change thus make the next use miss; nothing
 * needs to be told.  Only the translation is kept, never guest data.
 */
static struct svm_xlate *svm_xlate_slot(struct svm_vcpu *vcpu, u64 page,
					u32 access)
{
	unsigned int i = (page & 1) | (access & PFERR_FETCH ? 2 : 0);

	BUILD_BUG_ON(SVM_XLATE_NR != 4);
	return &vcpu->xlate[i];
}

static bool svm_xlate_hit(struct svm_vcpu *vcpu, const struct svm_xlate *x,
			  const struct gwalk_regs *regs, u64 page, u32 access)
{
	int level;

	if (!x->valid || x->page != page || x->access != access ||
	    x->slots_gen != READ_ONCE(vcpu->vm->slots_gen) ||
	    memcmp(&x->regs, regs, sizeof(*regs)))
		return false;
	for (level = x->top; level >= x->leaf; level--) {
		void *va = kmap_local_page(x->pte_page[level]);
		u64 e = 0;

		memcpy(&e, va + x->pte_off[level], x->entry_size);
		kunmap_local(va);
		if (e != x->pte[level])
			return false;
	}
	return true;
}

/* Remember a successful walk of @page whose data is in RAM (@data). */
static void svm_xlate_fill(struct svm_vcpu *vcpu, struct svm_xlate *x,
			   const struct gwalk_regs *regs, u64 page, u32 access,
			   const struct gwalk_result *res, struct page *data)
{
	int level;

	x->valid = false;
	x->top = res->top;
	/* Without paging (top 0) no entry was read: none to check. */
	x->leaf = max(res->level, 1);
	x->entry_size = res->entry_size;
	for (level = x->top; level >= x->leaf; level--) {
		x->pte_page[level] = svm_gpa_to_page(vcpu->vm,
						     res->pte_gpa[level]);
		if (!x->pte_page[level])
			return;
		x->pte_off[level] = offset_in_page(res->pte_gpa[level]);
		x->pte[level] = res->pte[level];
	}
	x->regs = *regs;
	x->page = page;
	x->access = access;
	x->slots_gen = READ_ONCE(vcpu->vm->slots_gen);
	x->data = data;
	x->valid = true;
}

/*
 * The host page that guest-linear @linear maps to for @access.  Return 0;
 * -EFAULT for a page fault, described in @fault; -EIO when the guest's
 * tables or the page are not RAM.
 */
static int svm_translate(struct svm_vcpu *vcpu, const struct gwalk_regs *regs,
			 u64 linear, u32 access, struct page **data,
			 struct svm_fault *fault)
{
	u64 page = linear >> PAGE_SHIFT;
	struct svm_xlate *x = svm_xlate_slot(vcpu, page, access);
	struct gwalk_result res;
	struct gwalk_mem mem;
	int ret;

	if (svm_xlate_hit(vcpu, x, regs, page, access)) {
		*data = x->data;
		return 0;
	}
	x->valid = false;
	mem = svm_walk_mem(vcpu->vm);
	ret = gwalk(regs, linear, access, &mem, &res);
	if (ret == -EFAULT) {
		fault->addr = linear;
		fault->error = res.error;
		return -EFAULT;
	}
	if (ret)
		return -EIO;
	*data = svm_gpa_to_page(vcpu->vm, res.gpa);
	if (!*data)
		return -EIO;
	svm_xlate_fill(vcpu, x, regs, page, access, &res, *data);
	return 0;
}

/*
 * Copy between a kernel buffer and guest-linear memory, translating page
 * by page with the guest's tables.  Return 0; -EFAULT for a page fault,
 * described in @fault; -EIO when the guest's tables or data are not RAM.
 */
int svm_access_linear(struct svm_vcpu *vcpu, u64 linear, void *buf,
		      int len, u32 access, struct svm_fault *fault)
{
	struct gwalk_regs regs;
	struct page *data;
	void *va;
	int ret;

	svm_guest_paging(vcpu, &regs);
	if (vcpu->vmcb->save.cpl == 3)
		access |= PFERR_USER;
	while (len > 0) {
		int off = offset_in_page(linear);
		int n = min_t(int, len, PAGE_SIZE - off);

		ret = svm_translate(vcpu, &regs, linear, access, &data, fault);
		if (ret)
			return ret;
		va = kmap_local_page(data);
		if (access & PFERR_WRITE)
			memcpy(va + off, buf, n);
		else
			memcpy(buf, va + off, n);
		kunmap_local(va);
		linear += n;
		buf += n;
		len -= n;
	}
	return 0;
}

void svm_inject_pf(struct svm_vcpu *vcpu, const struct svm_fault *f)
{
	vcpu->vmcb->save.cr2 = f->addr;
	vmcb_mark_dirty(vcpu, SVM_CLEAN_CR2);
	svm_inject_exception(vcpu, PF_VECTOR, true, f->error);
}

/* Fetch the instruction bytes at CS:RIP; returns how many, or <0. */
int svm_fetch(struct svm_vcpu *vcpu, u8 *bytes)
{
	u64 linear = svm_linear(vcpu, SVM_SEG_CS, vcpu->vmcb->save.rip);
	struct svm_fault f;
	int len = SVM_INSN_MAX;

	if (!svm_access_linear(vcpu, linear, bytes, len, PFERR_FETCH, &f))
		return len;
	/* The instruction may end before the page that faulted. */
	len = PAGE_SIZE - offset_in_page(linear);
	if (len < SVM_INSN_MAX &&
	    !svm_access_linear(vcpu, linear, bytes, len, PFERR_FETCH, &f))
		return len;
	return -EFAULT;
}

/*
 * Step over the intercepted instruction with @opcode (see
 * svm_insn_length()).  The CPU's next RIP when it has NRIP save; else
 * decode it, because prefixes make the length vary.
 */
static void svm_skip(struct svm_vcpu *vcpu, u16 opcode, int opcode_len)
{
	struct vmcb *vmcb = vcpu->vmcb;
	u8 bytes[SVM_INSN_MAX];
	int n, len = -1;

	if (svm_host_features.nrips && vmcb->control.next_rip) {
		vmcb->save.rip = vmcb->control.next_rip;
		return;
	}
	n = svm_fetch(vcpu, bytes);
	if (n > 0)
		len = svm_insn_length(bytes, n, svm_code_mode(vcpu), opcode,
				      opcode_len);
	vmcb->save.rip += len > 0 ? len : opcode_len;
}

int svm_internal_error(struct svm_vcpu *vcpu, u32 suberror)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 2;
	run->internal.data[0] = vcpu->vmcb->control.exit_code;
	run->internal.data[1] = vcpu->vmcb->save.rip;
	return 0;
}

static int intr_exit(struct svm_vcpu *vcpu)
{
	/* The host takes the interrupt when the run loop enables them. */
	svm_count(vcpu, SVMHV_EXIT_INTR);
	return 1;
}

static int cpuid_exit(struct svm_vcpu *vcpu)
{
	u32 out[4];

	svm_count(vcpu, SVMHV_EXIT_CPUID);
	svm_cpuid_lookup(vcpu, vcpu->vmcb->save.rax,
			 svm_reg_read(vcpu, SVM_REG_RCX), out);
	vcpu->vmcb->save.rax = out[0];
	svm_reg_write(vcpu, SVM_REG_RBX, out[1]);
	svm_reg_write(vcpu, SVM_REG_RCX, out[2]);
	svm_reg_write(vcpu, SVM_REG_RDX, out[3]);
	svm_skip(vcpu, 0x0fa2, 2);
	return 1;
}

/*
 * With an irqchip, a HLT that an interrupt can end blocks in the kernel
 * (svm_vcpu_halt(), from the run loop, outside slots_lock); any other
 * exits to userspace.
 */
static int hlt_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_HLT);
	svm_skip(vcpu, 0xf4, 1);
	if (svm_irq_hlt(vcpu))
		return 1;
	vcpu->run->exit_reason = KVM_EXIT_HLT;
	return 0;
}

static int vmmcall_exit(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	svm_count(vcpu, SVMHV_EXIT_VMMCALL);
	/* Hypercalls are the guest kernel's: user mode gets -KVM_EPERM. */
	if (s->cpl)
		s->rax = (u64)-KVM_EPERM;
	else
		s->rax = s->rax == SVMHV_HC_NOP ? 0 : (u64)-KVM_ENOSYS;
	svm_skip(vcpu, 0x01d9, 3);
	return 1;
}

/* Nested SVM is not offered: every SVM instruction is #UD. */
static int svm_insn_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_SVM_INSN);
	svm_inject_exception(vcpu, UD_VECTOR, false, 0);
	return 1;
}

/*
 * The intercepts that keep the host's state from the guest (see
 * svm_init_intercepts()), counted as SVMHV_EXIT_OTHER.  RDTSCP and RDPRU,
 * and INVPCID under shadow paging (shadow_prepare_vmcb()), are hidden from
 * CPUID: #UD, as on a CPU without them.  No performance
 * counters are offered: RDPMC is #GP(0), as for a counter that does not
 * exist.  INVD and WBINVD (and WBNOINVD, which shares WBINVD's exit) do
 * nothing: guest memory is write-back and coherent, as KVM has it.
 */
static int hidden_insn_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_inject_exception(vcpu, UD_VECTOR, false, 0);
	return 1;
}

static int rdpmc_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_inject_exception(vcpu, GP_VECTOR, true, 0);
	return 1;
}

static int invd_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_skip(vcpu, 0x0f08, 2);
	return 1;
}

static int wbinvd_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_skip(vcpu, 0x0f09, 2);
	return 1;
}

/* The guest's own #AC, delivered through an exit each time. */
static int ac_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_inject_exception(vcpu, AC_VECTOR, true, 0);
	return 1;
}

/* The run loop gave the #MC to the host's handler; the guest goes on. */
static int mc_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	return 1;
}

static int shutdown_exit(struct svm_vcpu *vcpu)
{
	svm_count(vcpu, SVMHV_EXIT_SHUTDOWN);
	/* The VMCB is undefined after a shutdown: start from reset. */
	svm_vcpu_reset(vcpu);
	vcpu->run->exit_reason = KVM_EXIT_SHUTDOWN;
	return 0;
}

static int msr_exit(struct svm_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	u32 index = svm_reg_read(vcpu, SVM_REG_RCX);
	bool write = vcpu->vmcb->control.exit_info_1;
	u64 val;

	svm_count(vcpu, SVMHV_EXIT_MSR);
	if (write) {
		val = (u32)s->rax | svm_reg_read(vcpu, SVM_REG_RDX) << 32;
		if (svm_set_msr(vcpu, index, val, false))
			goto gp;
		svm_skip(vcpu, 0x0f30, 2);
		return 1;
	}
	if (svm_get_msr(vcpu, index, &val))
		goto gp;
	s->rax = (u32)val;
	svm_reg_write(vcpu, SVM_REG_RDX, val >> 32);
	svm_skip(vcpu, 0x0f32, 2);
	return 1;
gp:
	svm_inject_exception(vcpu, GP_VECTOR, true, 0);
	return 1;
}

/* Write @delta into the low @addr_size bytes of a register, as CPUs do. */
static u64 svm_addr_add(u64 old, s64 delta, int addr_size)
{
	if (addr_size == 8)
		return old + delta;
	if (addr_size == 4)
		return (u32)(old + delta);
	return (old & ~0xffffULL) | ((old + delta) & 0xffff);
}

static u64 svm_addr_mask(int addr_size)
{
	return addr_size == 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
}

struct svm_io {
	u16 port;
	u8 size;
	u8 addr_size;
	int seg;		/* OUTS source segment */
	bool in, string, rep;
};

/*
 * EXITINFO1 of an IOIO intercept (APM vol. 2, 15.10.2).  The address-size
 * bits are not trusted: QEMU's TCG sets them one bit too high, so a
 * string instruction's address size comes from decoding it.
 */
static void svm_io_decode(struct svm_vcpu *vcpu, u64 info, struct svm_io *io)
{
	u8 bytes[SVM_INSN_MAX];
	int n, mode = svm_code_mode(vcpu);

	io->in = info & SVM_IOIO_IN;
	io->string = info & SVM_IOIO_STR;
	io->rep = info & SVM_IOIO_REP;
	io->size = (info >> SVM_IOIO_SIZE_SHIFT) & 7;	/* 1, 2 or 4 */
	io->port = info >> 16;
	io->seg = SVM_SEG_DS;
	io->addr_size = mode == 64 ? 8 : mode / 8;
	if (!io->string)
		return;
	n = svm_fetch(vcpu, bytes);
	if (n > 0) {
		io->addr_size = svm_insn_addr_size(bytes, n, mode);
		io->seg = svm_insn_segment(bytes, n, mode, SVM_SEG_DS);
	}
}

static void svm_io_exit_to_user(struct svm_vcpu *vcpu,
				const struct svm_io *io, u32 count)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = io->in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = io->size;
	run->io.port = io->port;
	run->io.count = count;
	run->io.data_offset = PAGE_SIZE;
}

/* OUTS/INS: how many elements this round, and where they are. */
static u32 svm_string_count(struct svm_vcpu *vcpu, const struct svm_io *io)
{
	u64 count = io->rep ? svm_reg_read(vcpu, SVM_REG_RCX) &
			      svm_addr_mask(io->addr_size) : 1;

	return min_t(u64, count, PAGE_SIZE / io->size);
}

/* A string I/O instruction faulted on its first element. */
static int svm_string_fault(struct svm_vcpu *vcpu, int ret,
			    const struct svm_fault *f)
{
	if (ret != -EFAULT)
		return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	svm_inject_pf(vcpu, f);
	return 1;
}

/*
 * An access an in-kernel device answered is complete: go on, or end the
 * run with the reset it asked for.
 */
static int svm_io_done(struct svm_vcpu *vcpu, int pio)
{
	struct kvm_run *run = vcpu->run;

	if (pio != SVM_PIO_RESET)
		return 1;
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = KVM_SYSTEM_EVENT_RESET;
	run->system_event.ndata = 0;
	run->system_event.data[0] = 0;
	return 0;
}

/*
 * IN or OUT to a port of an in-kernel device: done here.  Return as an
 * exit handler, or -ENOENT when no device has the port.
 */
static int svm_io_vdev(struct svm_vcpu *vcpu, const struct svm_io *io,
		       u64 next)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	u32 val = s->rax;
	int pio;

	pio = svm_vdev_pio(vcpu->vm, io->port, io->size, !io->in, &val);
	if (pio == SVM_PIO_UNHANDLED)
		return -ENOENT;
	if (io->in)
		s->rax = svm_reg_merge(s->rax, val, io->size, false);
	s->rip = next;
	return svm_io_done(vcpu, pio);
}

/*
 * OUTS to a port of an in-kernel device: the @n elements svm_outs() read
 * go to the device and the registers move as after userspace.  -ENOENT
 * when no device has the port.
 */
static int svm_outs_vdev(struct svm_vcpu *vcpu, const struct svm_io *io,
			 u32 n)
{
	int pio = SVM_PIO_HANDLED, ret;
	u32 i, val;

	for (i = 0; i < n; i++) {
		val = 0;
		memcpy(&val, vcpu->pio_data + i * io->size, io->size);
		ret = svm_vdev_pio(vcpu->vm, io->port, io->size, true, &val);
		if (ret == SVM_PIO_UNHANDLED)
			return -ENOENT;	/* the first: no device has it */
		if (ret == SVM_PIO_RESET)
			pio = ret;
	}
	svm_complete_userspace(vcpu);
	return svm_io_done(vcpu, pio);
}

static int svm_outs(struct svm_vcpu *vcpu, const struct svm_io *io, u64 next)
{
	s64 step = (vcpu->vmcb->save.rflags & X86_EFLAGS_DF) ? -io->size :
							       io->size;
	u32 n = svm_string_count(vcpu, io), i;
	u64 rsi = svm_reg_read(vcpu, SVM_REG_RSI);
	u8 bytes[SVM_INSN_MAX];
	int seg = SVM_SEG_DS, len;

	struct svm_fault f;
	int ret = 0;

	len = svm_fetch(vcpu, bytes);
	if (len > 0)
		seg = svm_insn_segment(bytes, len, svm_code_mode(vcpu), seg);
	for (i = 0; i < n; i++) {
		u64 off = svm_addr_add(rsi, step * i, io->addr_size) &
			  svm_addr_mask(io->addr_size);

		ret = svm_access_linear(vcpu, svm_linear(vcpu, io->seg, off),
					vcpu->pio_data + i * io->size,
					io->size, 0, &f);
		if (ret)
			break;
	}
	/* A fault after the first element waits for the next round. */
	if (i == 0)
		return svm_string_fault(vcpu, ret, &f);
	vcpu->pending = (struct svm_pending){
		.kind = SVM_PENDING_PIO_OUTS,
		.rsi = svm_addr_add(rsi, step * i, io->addr_size),
		.rcx = svm_reg_read(vcpu, SVM_REG_RCX),
		.next_rip = vcpu->vmcb->save.rip,
	};
	if (io->rep) {
		vcpu->pending.rcx = svm_addr_add(vcpu->pending.rcx, -(s64)i,
						 io->addr_size);
		if (!(vcpu->pending.rcx & svm_addr_mask(io->addr_size)))
			vcpu->pending.next_rip = next;
	} else {
		vcpu->pending.next_rip = next;
	}
	ret = svm_outs_vdev(vcpu, io, i);
	if (ret != -ENOENT)
		return ret;
	svm_io_exit_to_user(vcpu, io, i);
	return 0;
}

static s64 svm_ins_step(struct svm_vcpu *vcpu, const struct svm_pending *p)
{
	return (vcpu->vmcb->save.rflags & X86_EFLAGS_DF) ? -p->size : p->size;
}

/* INS: the guest-linear address of element @i (ES:RDI on). */
static u64 svm_ins_dst(struct svm_vcpu *vcpu, const struct svm_pending *p,
		       u32 i)
{
	u64 rdi = svm_reg_read(vcpu, SVM_REG_RDI);
	u64 off = svm_addr_add(rdi, svm_ins_step(vcpu, p) * i, p->addr_size) &
		  svm_addr_mask(p->addr_size);

	return svm_linear(vcpu, SVM_SEG_ES, off);
}

/* INS stored @i elements: step RDI, RCX and (when done) RIP. */
static int svm_ins_advance(struct svm_vcpu *vcpu, const struct svm_pending *p,
			   u32 i)
{
	u64 rdi = svm_reg_read(vcpu, SVM_REG_RDI);

	svm_reg_write(vcpu, SVM_REG_RDI,
		      svm_addr_add(rdi, svm_ins_step(vcpu, p) * i,
				   p->addr_size));
	if (p->rep) {
		u64 rcx = svm_addr_add(svm_reg_read(vcpu, SVM_REG_RCX), -(s64)i,
				       p->addr_size);

		svm_reg_write(vcpu, SVM_REG_RCX, rcx);
		if (!(rcx & svm_addr_mask(p->addr_size)))
			vcpu->vmcb->save.rip = p->next_rip;
	} else {
		vcpu->vmcb->save.rip = p->next_rip;
	}
	return 1;
}

/* INS: store what userspace read into ES:RDI, then step the registers. */
static int svm_complete_ins(struct svm_vcpu *vcpu)
{
	struct svm_pending *p = &vcpu->pending;
	struct svm_fault f;
	int ret = 0;
	u32 i;

	for (i = 0; i < p->count; i++) {
		ret = svm_access_linear(vcpu, svm_ins_dst(vcpu, p, i),
					vcpu->pio_data + i * p->size, p->size,
					PFERR_WRITE, &f);
		if (ret)
			break;
	}
	if (i == 0)
		return svm_string_fault(vcpu, ret, &f);
	return svm_ins_advance(vcpu, p, i);
}

/*
 * INS from a port of an in-kernel device, one element at a time: each is
 * read from the device, then stored, so a fault stops it after the
 * element that faulted (whose value is lost, as on a CPU).  -ENOENT when
 * no device has the port.
 */
static int svm_ins_vdev(struct svm_vcpu *vcpu, const struct svm_pending *p,
			u16 port)
{
	int pio = SVM_PIO_HANDLED, ret = 0;
	struct svm_fault f;
	u32 i, val;

	for (i = 0; i < p->count; i++) {
		val = 0;
		ret = svm_vdev_pio(vcpu->vm, port, p->size, false, &val);
		if (ret == SVM_PIO_UNHANDLED)
			return -ENOENT;	/* the first: no device has it */
		if (ret == SVM_PIO_RESET)
			pio = ret;
		ret = svm_access_linear(vcpu, svm_ins_dst(vcpu, p, i), &val,
					p->size, PFERR_WRITE, &f);
		if (ret)
			break;
	}
	if (i == 0)
		return svm_string_fault(vcpu, ret, &f);
	svm_ins_advance(vcpu, p, i);
	return svm_io_done(vcpu, pio);
}

/*
 * Port I/O: a port of an in-kernel device is answered here (string forms
 * too); any other goes to userspace as KVM_EXIT_IO and completes at the
 * next KVM_RUN.
 */
static int ioio_exit(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	struct svm_io io;
	int ret;
	u32 n;

	svm_count(vcpu, SVMHV_EXIT_IO);
	svm_io_decode(vcpu, c->exit_info_1, &io);
	if (io.string && io.rep && !(svm_reg_read(vcpu, SVM_REG_RCX) &
				     svm_addr_mask(io.addr_size))) {
		vcpu->vmcb->save.rip = c->exit_info_2;
		return 1;
	}
	if (io.string && !io.in)
		return svm_outs(vcpu, &io, c->exit_info_2);
	if (!io.string) {
		ret = svm_io_vdev(vcpu, &io, c->exit_info_2);
		if (ret != -ENOENT)
			return ret;
	}

	n = io.string ? svm_string_count(vcpu, &io) : 1;
	if (!io.in) {
		memcpy(vcpu->pio_data, &vcpu->vmcb->save.rax, io.size);
		vcpu->pending = (struct svm_pending){
			.kind = SVM_PENDING_PIO_OUT,
			.next_rip = c->exit_info_2,
		};
	} else {
		vcpu->pending = (struct svm_pending){
			.kind = io.string ? SVM_PENDING_PIO_INS :
					    SVM_PENDING_PIO_IN,
			.size = io.size,
			.addr_size = io.addr_size,
			.rep = io.rep,
			.count = n,
			.next_rip = c->exit_info_2,
		};
		if (io.string) {
			ret = svm_ins_vdev(vcpu, &vcpu->pending, io.port);
			if (ret != -ENOENT) {
				vcpu->pending.kind = SVM_PENDING_NONE;
				return ret;
			}
		}
	}
	svm_io_exit_to_user(vcpu, &io, n);
	return 0;
}

int svm_mmio(struct svm_vcpu *vcpu, u64 gpa)
{
	struct kvm_run *run = vcpu->run;
	u8 bytes[SVM_INSN_MAX];
	struct svm_insn insn;
	u64 val;
	int n;

	svm_count(vcpu, SVMHV_EXIT_MMIO);
	n = svm_fetch(vcpu, bytes);
	if (n <= 0 || svm_decode(bytes, n, svm_code_mode(vcpu), &insn)) {
		run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
		run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
		run->internal.ndata = 4;
		run->internal.data[0] = vcpu->vmcb->save.rip;
		run->internal.data[1] = gpa;
		memset(&run->internal.data[2], 0, 16);
		if (n > 0)
			memcpy(&run->internal.data[2], bytes, min(n, 16));
		return 0;
	}

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = insn.size;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (insn.op == SVM_OP_LOAD) {
		run->mmio.is_write = 0;
		vcpu->pending = (struct svm_pending){
			.kind = SVM_PENDING_MMIO_READ,
			.reg = insn.reg,
			.size = insn.size,
			.dst_size = insn.dst_size,
			.sign_extend = insn.sign_extend,
			.high_byte = insn.high_byte,
			.next_rip = vcpu->vmcb->save.rip + insn.len,
		};
		return 0;
	}
	if (insn.op == SVM_OP_STORE_IMM) {
		val = insn.imm;
	} else {
		val = svm_reg_read(vcpu, insn.reg);
		if (insn.high_byte)
			val >>= 8;
	}
	memcpy(run->mmio.data, &val, insn.size);
	run->mmio.is_write = 1;
	vcpu->pending = (struct svm_pending){
		.kind = SVM_PENDING_PIO_OUT,
		.next_rip = vcpu->vmcb->save.rip + insn.len,
	};
	return 0;
}

/*
 * A nested page fault outside every slot is MMIO.  Inside one it is not
 * expected: a slot is mapped whole before it is published.  Unless the
 * slot came after the VMRUN (a slot created, or deleted and created
 * again, while the guest ran): the access then faulted before the slot
 * was there, and the guest only has to retry it.  A fault inside a slot
 * that was there all along is a wrong nested table.
 */
static int npf_exit(struct svm_vcpu *vcpu)
{
	u64 gpa = vcpu->vmcb->control.exit_info_2;

	if (!svm_gpa_is_ram(vcpu->vm, gpa))
		return svm_mmio(vcpu, gpa);
	svm_count(vcpu, SVMHV_EXIT_NPF);
	if (READ_ONCE(vcpu->vm->slots_gen) != vcpu->entry_slots_gen)
		return 1;
	return svm_internal_error(vcpu,
				  KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
}

static int (*const svm_exit_handlers[])(struct svm_vcpu *vcpu) = {
	/* Intercepted only under shadow paging: */
	[SVM_EXIT_READ_CR0] = svm_cr_exit,
	[SVM_EXIT_READ_CR3] = svm_cr_exit,
	[SVM_EXIT_READ_CR4] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR0] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR3] = svm_cr_exit,
	[SVM_EXIT_WRITE_CR4] = svm_cr_exit,
	[SVM_EXIT_EXCP_PF] = svm_pf_exit,
	[SVM_EXIT_INVLPG] = svm_invlpg_exit,
	[SVM_EXIT_TASK_SWITCH] = svm_task_switch_exit,
	/* Always: */
	[SVM_EXIT_INTR] = intr_exit,
	[SVM_EXIT_NMI] = intr_exit,
	[SVM_EXIT_SMI] = intr_exit,
	/* With an irqchip: */
	[SVM_EXIT_VINTR] = svm_vintr_exit,
	[SVM_EXIT_CPUID] = cpuid_exit,
	[SVM_EXIT_HLT] = hlt_exit,
	[SVM_EXIT_INVLPGA] = svm_insn_exit,
	[SVM_EXIT_IOIO] = ioio_exit,
	[SVM_EXIT_MSR] = msr_exit,
	[SVM_EXIT_SHUTDOWN] = shutdown_exit,
	[SVM_EXIT_VMRUN] = svm_insn_exit,
	[SVM_EXIT_VMMCALL] = vmmcall_exit,
	[SVM_EXIT_VMLOAD] = svm_insn_exit,
	[SVM_EXIT_VMSAVE] = svm_insn_exit,
	[SVM_EXIT_STGI] = svm_insn_exit,
	[SVM_EXIT_CLGI] = svm_insn_exit,
	[SVM_EXIT_SKINIT] = svm_insn_exit,
	[SVM_EXIT_MONITOR] = svm_insn_exit,
	[SVM_EXIT_MWAIT] = svm_insn_exit,
	[SVM_EXIT_XSETBV] = svm_insn_exit,
	[SVM_EXIT_RDTSCP] = hidden_insn_exit,
	[SVM_EXIT_RDPRU] = hidden_insn_exit,
	[SVM_EXIT_INVPCID] = hidden_insn_exit,
	[SVM_EXIT_RDPMC] = rdpmc_exit,
	[SVM_EXIT_INVD] = invd_exit,
	[SVM_EXIT_WBINVD] = wbinvd_exit,
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR0 + 7] = svm_dr_exit,
	[SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR0 + 7] = svm_dr_exit,
	[SVM_EXIT_EXCP_DB] = svm_db_exit,
	[SVM_EXIT_EXCP_AC] = ac_exit,
	[SVM_EXIT_EXCP_MC] = mc_exit,
};

static void svm_dump_vmcb(struct svm_vcpu *vcpu)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 2);
	const struct vmcb *v = vcpu->vmcb;

	if (!__ratelimit(&rs))
		return;
	pr_warn("vcpu%u: unexpected exit %#llx info1 %#llx info2 %#llx intinfo %#x\n",
		vcpu->id, v->control.exit_code, v->control.exit_info_1,
		v->control.exit_info_2, v->control.exit_int_info);
	pr_warn("vcpu%u: rip %#llx rsp %#llx rflags %#llx cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx cs %#x/%#llx/%#x\n",
		vcpu->id, v->save.rip, v->save.rsp, v->save.rflags, v->save.cr0,
		v->save.cr3, v->save.cr4, v->save.efer, v->save.cs.selector,
		v->save.cs.base, v->save.cs.attrib);
}

/*
 * An event the guest was being delivered when the exit came (for
 * example a #PF whose IDT access faulted in the nested tables) must be
 * delivered again.  INTn, INT3 and INTO are left out: without NRIP save
 * the guest simply executes them again.
 */
static void svm_reinject(struct svm_vcpu *vcpu)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	u32 info = c->exit_int_info;

	c->event_inj = 0;
	if (!(info & SVM_EVTINJ_VALID))
		return;
	if ((info & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_SOFT_INT)
		return;
	if ((info & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_EXCEPTION &&
	    ((info & SVM_EVTINJ_VECTOR_MASK) == 3 ||
	     (info & SVM_EVTINJ_VECTOR_MASK) == 4))
		return;
	c->event_inj = info;
	c->event_inj_err = c->exit_int_info_err;
}

/*
 * The host completed the instruction at @rip (RIP moved on), so what the
 * CPU does after an instruction is svmhv's to do: an interrupt shadow it
 * was in (STI; HLT, or a MOV SS before it) ends with it, and with
 * RFLAGS.TF set the single-step trap follows it.
 */
static void svm_insn_done(struct svm_vcpu *vcpu, u64 rip)
{
	struct vmcb *vmcb = vcpu->vmcb;

	if (vmcb->save.rip == rip)
		return;
	vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW;
	if (vmcb->save.rflags & X86_EFLAGS_TF)
		svm_dr_single_step(vcpu);
}

/*
 * The #VMEXIT left the host's registers in the VMCB (svm_save_is_host()):
 * nothing of the guest is left to run, and the host's must not reach
 * userspace.  Reset the vCPU and say so: KVM_EXIT_INTERNAL_ERROR with
 * SVMHV_INTERNAL_ERROR_LOST_STATE.
 */
static int svm_lost_state_exit(struct svm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	pr_warn_ratelimited("vcpu%u: exit %#llx came back with the host's state in the VMCB (an emulated CPU's bug); vCPU reset\n",
			    vcpu->id, vcpu->vmcb->control.exit_code);
	svm_count(vcpu, SVMHV_EXIT_OTHER);
	svm_vcpu_reset(vcpu);
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = SVMHV_INTERNAL_ERROR_LOST_STATE;
	run->internal.ndata = 0;
	return 0;
}

/**
 * svm_handle_exit() - handle the #VMEXIT that just happened.
 * @vcpu: the vCPU
 *
 * Return: 1 to resume the guest, 0 to return to userspace, or <0.
 */
int svm_handle_exit(struct svm_vcpu *vcpu)
{
	u64 code = vcpu->vmcb->control.exit_code, rip;
	int ret;

	/*
	 * VMRUN refused the state (svm_guest_state_valid() missed a check;
	 * the emulated CPU stores SVM_EXIT_INVALID as 32 bits).  The save
	 * area may now hold the host's state (the emulated CPU writes it
	 * there): start from reset so none of it reaches userspace.
	 */
	if ((u32)code == (u32)SVM_EXIT_INVALID) {
		svm_vcpu_reset(vcpu);
		return svm_fail_entry(vcpu);
	}
	if (vcpu->lost_state)
		return svm_lost_state_exit(vcpu);
	svm_reinject(vcpu);

	rip = vcpu->vmcb->save.rip;
	down_read(&vcpu->vm->slots_lock);
	if (code == SVM_EXIT_NPF)
		ret = npf_exit(vcpu);
	else if (code < ARRAY_SIZE(svm_exit_handlers) &&
		 svm_exit_handlers[code])
		ret = svm_exit_handlers[code](vcpu);
	else
		ret = -ENOENT;
	up_read(&vcpu->vm->slots_lock);
	svm_insn_done(vcpu, rip);

	if (vcpu->triple_fault) {
		vcpu->triple_fault = false;
		return shutdown_exit(vcpu);
	}
	if (ret == -ENOENT) {
		svm_count(vcpu, SVMHV_EXIT_OTHER);
		svm_dump_vmcb(vcpu);
		return svm_internal_error(vcpu,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
	}
	return ret;
}

/* VMMCALL is 0f 01 d9; the floor's guest uses it without prefixes. */
#define SVM_VMMCALL_LEN		3

/**
 * svm_floor_exit() - the exit handling of SVMHV_RUN_FLOOR.
 * @vcpu: the vCPU
 *
 * A VMMCALL is counted and stepped over, and nothing else is done (no
 * hypercall).  The exits KVM_RUN handles without the guest seeing them
 * go through svm_handle_exit() as there: a host interrupt, NMI or SMI,
 * and under shadow paging a #PF, which the shadow MMU takes to fill its
 * tables (the guest's code is not in them until first fetched).  Under
 * NPT no nested fault comes from RAM: every slot is mapped whole when
 * it is added.  Any other exit ends the floor and is left for the next
 * KVM_RUN to meet again: its instruction has not moved RIP, and an
 * event it interrupted goes back in EVENTINJ; only a state the CPU
 * refused, a shutdown and a #VMEXIT that brought back the host's state,
 * after which the VMCB is not usable, are handled (the vCPU is reset, as
 * KVM_RUN resets it).
 *
 * Return: 1 for a VMMCALL, 0 for an exit handled as KVM_RUN does, or
 * -EIO for any other.
 */
int svm_floor_exit(struct svm_vcpu *vcpu)
{
	struct vmcb *vmcb = vcpu->vmcb;
	u64 code = vmcb->control.exit_code;

	if (vcpu->lost_state) {
		svm_lost_state_exit(vcpu);
		return -EIO;
	}
	svm_reinject(vcpu);
	switch (code) {
	case SVM_EXIT_VMMCALL:
		svm_count(vcpu, SVMHV_EXIT_VMMCALL);
		if (svm_host_features.nrips && vmcb->control.next_rip)
			vmcb->save.rip = vmcb->control.next_rip;
		else
			vmcb->save.rip += SVM_VMMCALL_LEN;
		return 1;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_VINTR:
	case SVM_EXIT_EXCP_PF:
		if (svm_handle_exit(vcpu) > 0)
			return 0;
		/* An MMIO access found: the next KVM_RUN meets it again. */
		vcpu->pending.kind = SVM_PENDING_NONE;
		return -EIO;
	case SVM_EXIT_SHUTDOWN:
		svm_handle_exit(vcpu);
		return -EIO;
	default:
		if ((u32)code == (u32)SVM_EXIT_INVALID)
			svm_handle_exit(vcpu);
		return -EIO;
	}
}

/**
 * svm_complete_userspace() - finish the access userspace just answered.
 * @vcpu: the vCPU
 *
 * Return: 1 to go on into the guest, 0 or <0 to return to userspace.
 */
int svm_complete_userspace(struct svm_vcpu *vcpu)
{
	struct svm_pending *p = &vcpu->pending;
	u64 val = 0, old, rip = vcpu->vmcb->save.rip;
	int ret = 1;

	switch (p->kind) {
	case SVM_PENDING_PIO_OUTS:
		svm_reg_write(vcpu, SVM_REG_RSI, p->rsi);
		svm_reg_write(vcpu, SVM_REG_RCX, p->rcx);
		fallthrough;
	case SVM_PENDING_PIO_OUT:
		vcpu->vmcb->save.rip = p->next_rip;
		break;
	case SVM_PENDING_PIO_IN:
		memcpy(&val, vcpu->pio_data, p->size);
		old = vcpu->vmcb->save.rax;
		vcpu->vmcb->save.rax = svm_reg_merge(old, val, p->size, false);
		vcpu->vmcb->save.rip = p->next_rip;
		break;
	case SVM_PENDING_PIO_INS:
		down_read(&vcpu->vm->slots_lock);
		ret = svm_complete_ins(vcpu);
		up_read(&vcpu->vm->slots_lock);
		break;
	case SVM_PENDING_MMIO_READ:
		memcpy(&val, vcpu->run->mmio.data, p->size);
		if (p->sign_extend)
			val = p->size == 1 ? (u64)(s8)val : (u64)(s16)val;
		old = svm_reg_read(vcpu, p->reg);
		svm_reg_write(vcpu, p->reg, svm_reg_merge(old, val, p->dst_size,
							   p->high_byte));
		vcpu->vmcb->save.rip = p->next_rip;
		break;
	}
	p->kind = SVM_PENDING_NONE;
	svm_insn_done(vcpu, rip);
	return ret;
}
