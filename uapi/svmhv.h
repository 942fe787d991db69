/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * svmhv's own userspace API: what KVM's <linux/kvm.h> does not have.
 *
 * /dev/svmhv speaks the KVM ioctls with KVM's numbers and structures;
 * extensions live under their own ioctl type byte, SVMHVIO, so they can
 * never collide with a KVM ioctl.  0xAF numbers 0x00-0x1f belong to
 * linux/fsl_hypervisor.h; svmhv uses 0x80-0xff.  docs/api.md has the table
 * of every ioctl.
 */
#ifndef _UAPI_SVMHV_H
#define _UAPI_SVMHV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SVMHV_DEVICE	"/dev/svmhv"
#define SVMHVIO		0xAF

/* Which MMU a VM runs under. */
#define SVMHV_MMU_NPT		1
#define SVMHV_MMU_SHADOW	2

/* Exit counters, by what the vCPU exited for. */
enum svmhv_exit_stat {
	SVMHV_EXIT_INTR,	/* host interrupt or NMI */
	SVMHV_EXIT_CPUID,
	SVMHV_EXIT_HLT,
	SVMHV_EXIT_IO,		/* port I/O */
	SVMHV_EXIT_MSR,
	SVMHV_EXIT_MMIO,	/* nested page fault outside every slot */
	SVMHV_EXIT_NPF,		/* other nested page faults */
	SVMHV_EXIT_VMMCALL,
	SVMHV_EXIT_SVM_INSN,	/* VMRUN, VMLOAD, ... answered with #UD */
	SVMHV_EXIT_SHUTDOWN,
	/*
	 * Handled in the kernel, no counter of its own: RDTSCP, RDPRU, RDPMC,
	 * INVD, WBINVD, #AC and #MC intercepts, a lost state, an unknown exit
	 */
	SVMHV_EXIT_OTHER,
	/* Control-register access: CR4 writes; every CR0/3/4 one if shadow */
	SVMHV_EXIT_CR,
	/* Shadow paging only: */
	SVMHV_EXIT_PF,		/* #PF intercepted */
	SVMHV_EXIT_INVLPG,
	SVMHV_EXIT_TASK_SWITCH,
	/* With an irqchip: */
	SVMHV_EXIT_VINTR,	/* interrupt window opened */
	SVMHV_EXIT_STAT_NR = 16,
};

/* Shadow-paging counters, summed over the VM's vCPUs. */
enum svmhv_shadow_stat {
	SVMHV_SHADOW_FAULTS,		/* #PF exits the shadow MMU fixed */
	SVMHV_SHADOW_GUEST_PF,		/* #PF re-injected into the guest */
	SVMHV_SHADOW_MMIO,		/* #PF exits that were MMIO */
	SVMHV_SHADOW_CR3_SWITCHES,	/* guest CR3 loads */
	SVMHV_SHADOW_ROOT_HITS,		/* ...that found their root cached */
	SVMHV_SHADOW_INVLPG,		/* INVLPG exits */
	SVMHV_SHADOW_ALLOCATED,		/* shadow pages allocated */
	SVMHV_SHADOW_ZAPPED,		/* shadow pages freed */
	SVMHV_SHADOW_RESYNCED,		/* shadow pages found changed at sync */
	SVMHV_SHADOW_WP_FAULTS,		/* writes to a clean page (read-only
					 * until the guest's first write)
					 */
	SVMHV_SHADOW_PAGES,		/* shadow pages in use now */
	SVMHV_SHADOW_ROOTS,		/* roots cached now */
	SVMHV_SHADOW_LEAVES,		/* 4K shadow leaves mapped now */
	SVMHV_SHADOW_LARGE_LEAVES,	/* 2M shadow leaves mapped now */
	SVMHV_SHADOW_STAT_NR = 16,
};

/* Nested (or shadow) leaves by size. */
enum svmhv_leaf_size {
	SVMHV_LEAF_4K,
	SVMHV_LEAF_2M,
	SVMHV_LEAF_1G,
	SVMHV_LEAF_NR,
};

/*
 * SVMHV_GET_VM_STATS (VM fd): a snapshot of the VM's counters.  Exit
 * counts are summed over the VM's vCPUs.
 */
struct svmhv_vm_stats {
	__u32 mmu;				/* SVMHV_MMU_* */
	__u32 nr_vcpus;
	__u64 leaves[SVMHV_LEAF_NR];		/* mapped now */
	__u64 pinned_pages;			/* 4K pages pinned for slots */
	__u64 runs;				/* VMRUNs executed */
	__u64 exits[SVMHV_EXIT_STAT_NR];
	__u64 shadow[SVMHV_SHADOW_STAT_NR];	/* zero under NPT */
};

#define SVMHV_GET_VM_STATS	_IOR(SVMHVIO, 0x80, struct svmhv_vm_stats)

/*
 * SVMHV_SET_MMU (VM fd, argument by value: SVMHV_MMU_*): choose the MMU
 * for this VM.  Allowed until a vCPU of the VM first runs (EBUSY after,
 * and while another thread is in an ioctl of one of its vCPUs);
 * EOPNOTSUPP for NPT on a CPU without it; EINVAL for an unknown mode or
 * when a vCPU's CR4 has a bit the new MMU does not run with (shadow
 * paging: PCIDE, SMEP, SMAP); ENOMEM, with the VM left as it was.
 * The default is NPT when the CPU has it and the module parameter npt
 * is 1, else shadow paging.
 */
#define SVMHV_SET_MMU		_IO(SVMHVIO, 0x81)

/*
 * SVMHV_RUN_FLOOR (vCPU fd): the benchmarks' floor.  Runs the vCPU's
 * guest for @iterations VMRUN/#VMEXIT round trips through KVM_RUN's own
 * entry path, each exit a VMMCALL that is only stepped over (no exit
 * handler, RAX untouched, no return to userspace), and reports the wall
 * time they took in @ns.  The guest must be one that executes VMMCALL in
 * a loop.  Host interrupts, and under shadow paging the faults that fill
 * the shadow tables, are handled as KVM_RUN does and not counted.  Stops
 * early, with the count done so far in @iterations, on a signal (EINTR)
 * or any other exit (EIO: its handler has not run, so the next KVM_RUN
 * meets it; a shutdown or a refused VMRUN resets the vCPU as KVM_RUN
 * does); EINVAL for 0 or more than SVMHV_FLOOR_MAX iterations or a
 * nonzero reserved word.
 */
struct svmhv_floor {
	__u64 iterations;		/* in: asked for; out: done */
	__u64 ns;			/* out: wall time of the loop */
	__u64 reserved[6];		/* must be zero */
};

#define SVMHV_FLOOR_MAX		(1ULL << 32)
#define SVMHV_RUN_FLOOR		_IOWR(SVMHVIO, 0x82, struct svmhv_floor)

/*
 * In-kernel devices.  KVM_CREATE_IRQCHIP (the 8259A pair at 0x20/0x21 and
 * 0xA0/0xA1 with the ELCRs at 0x4D0/0x4D1; no IOAPIC, no local APIC; only
 * before the first vCPU), KVM_IRQ_LINE (irq 0-15) and KVM_CREATE_PIT2
 * (the 8254 at 0x40-0x43 and port 0x61; flags must be 0; needs the
 * irqchip) are KVM's ioctls.  The PIC's INTR reaches vCPU 0.  With the
 * irqchip, a HLT with RFLAGS.IF set blocks in KVM_RUN until an interrupt
 * can be taken (or a signal: EINTR); a HLT with IF clear exits as
 * KVM_EXIT_HLT (nothing can end it).  A port no device has still exits
 * as KVM_EXIT_IO.
 *
 * SVMHV_CREATE_UART (VM fd, argument 0): a 16550A at 0x3F8 on IRQ 4
 * (needs the irqchip: ENXIO; EEXIST the second time; EINVAL for a
 * nonzero argument).  Returns a new file descriptor for its line:
 *   read()   the guest's output, oldest first, as much as fits; blocks
 *	      while there is none, or EAGAIN with O_NONBLOCK
 *   write()  input for the guest: returns the bytes its receive FIFO
 *	      took (16 at most); EAGAIN when it took none (full, or the
 *	      UART in loopback mode).  Never blocks
 *   poll()   POLLIN when output is waiting, POLLOUT when input fits
 * The guest's output waits in a 4 KiB ring; while the ring is full the
 * UART's transmitter reads as busy.  The file holds a reference on the
 * VM.
 *
 * SVMHV_ENABLE_PC_PORTS (VM fd, argument 0): the CMOS RTC at 0x70/0x71
 * (the host's UTC date and time), reset through port 0x64 (command 0xFE)
 * or 0xCF9 (bit 2), and ports 0x80 and 0xED as no-ops.  EEXIST the
 * second time, EINVAL for a nonzero argument; needs no irqchip.  A reset
 * completes the OUT, resets the devices but the RTC (the serial output
 * not read yet is kept) and returns KVM_EXIT_SYSTEM_EVENT with
 * system_event.type KVM_SYSTEM_EVENT_RESET; the vCPU is left as it was:
 * KVM_RUN again goes on after the OUT.
 */
#define SVMHV_CREATE_UART	_IO(SVMHVIO, 0x83)
#define SVMHV_ENABLE_PC_PORTS	_IO(SVMHVIO, 0x84)

/*
 * KVM_EXIT_INTERNAL_ERROR's suberror when a #VMEXIT came back with the
 * host's own state in the VMCB instead of the guest's (RIP after svmhv's
 * VMRUN, the host's CR3).  No real CPU does that; QEMU's TCG (7.2) does
 * now and then when another CPU interrupts a running guest.  The guest's
 * state is lost: the vCPU has been reset, and internal.ndata is 0.
 */
#define SVMHV_INTERNAL_ERROR_LOST_STATE	0x53560001

/*
 * Hypercalls (VMMCALL with the number in RAX, result in RAX).  Unknown
 * numbers return -KVM_ENOSYS (-1000), as KVM's do.
 */
#define SVMHV_HC_NOP		0x5356	/* returns 0; for benchmarks */

#endif /* _UAPI_SVMHV_H */
