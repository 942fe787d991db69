// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits: IN, OUT and their string forms INS and OUTS, with REP.
 * A port of an in-kernel device is answered here; any other goes to
 * userspace as KVM_EXIT_IO, and the instruction completes when userspace
 * calls KVM_RUN again (svm_pio_complete()).
 */
#include <linux/kvm.h>
#include <linux/mm.h>
#include <asm/processor-flags.h>

#include "emulate.h"
#include "intr.h"
#include "linear.h"
#include "pio.h"
#include "trace.h"
#include "vcpu_state.h"

#define SVM_IOIO_IN		BIT(0)
#define SVM_IOIO_STR		BIT(2)
#define SVM_IOIO_REP		BIT(3)
#define SVM_IOIO_SIZE_SHIFT	4

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
	trace_svmhv_pio(vcpu->id, io->port, io->size, io->in, count);
}

/* OUTS/INS: how many elements this round, and where they are. */
static u32 svm_string_count(struct svm_vcpu *vcpu, const struct svm_io *io)
{
	u64 count = io->rep ? svm_reg_read(vcpu, SVM_REG_RCX) &
			      svm_addr_mask(io->addr_size) : 1;

	return min_t(u64, count, PAGE_SIZE / io->size);
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
	svm_pio_complete(vcpu);
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
		return svm_linear_fault(vcpu, ret, &f);
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

	/*
	 * Userspace may have changed RCX at the exit (KVM's selftests do):
	 * store no more elements than it says are left, as KVM.
	 */
	if (p->rep)
		p->count = min_t(u64, p->count, svm_reg_read(vcpu, SVM_REG_RCX) &
				 svm_addr_mask(p->addr_size));
	if (!p->count) {
		vcpu->vmcb->save.rip = p->next_rip;
		return 1;
	}
	for (i = 0; i < p->count; i++) {
		ret = svm_access_linear(vcpu, svm_ins_dst(vcpu, p, i),
					vcpu->pio_data + i * p->size, p->size,
					PFERR_WRITE, &f);
		if (ret)
			break;
	}
	if (i == 0)
		return svm_linear_fault(vcpu, ret, &f);
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
		return svm_linear_fault(vcpu, ret, &f);
	svm_ins_advance(vcpu, p, i);
	return svm_io_done(vcpu, pio);
}

/**
 * svm_pio_complete() - finish the port access (or MMIO write) userspace
 * just answered: the registers and RIP move as after the instruction.
 * @vcpu: the vCPU, with vcpu->pending set
 *
 * Return: 1 to go on into the guest, 0 or <0 to return to userspace.
 */
int svm_pio_complete(struct svm_vcpu *vcpu)
{
	struct svm_pending *p = &vcpu->pending;
	u64 val = 0;
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
		vcpu->vmcb->save.rax = svm_reg_merge(vcpu->vmcb->save.rax, val,
						     p->size, false);
		vcpu->vmcb->save.rip = p->next_rip;
		break;
	case SVM_PENDING_PIO_INS:
		down_read(&vcpu->vm->slots_lock);
		ret = svm_complete_ins(vcpu);
		up_read(&vcpu->vm->slots_lock);
		break;
	}
	p->kind = SVM_PENDING_NONE;
	return ret;
}

/*
 * Port I/O: a port of an in-kernel device is answered here (string forms
 * too); any other goes to userspace as KVM_EXIT_IO and completes at the
 * next KVM_RUN.
 */
int svm_ioio_exit(struct svm_vcpu *vcpu)
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
