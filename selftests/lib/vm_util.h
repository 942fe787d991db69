/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small KVM-API client for the guest tests: the same code drives
 * /dev/svmhv and /dev/kvm ($SVMHV_DEVICE picks one), so every guest can
 * run on kvm_amd as the oracle.
 */
#ifndef SVMHV_SELFTESTS_VM_UTIL_H
#define SVMHV_SELFTESTS_VM_UTIL_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm {
	int sys_fd;
	int fd;
	int vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;		/* slot 0, at guest-physical 0 */
	size_t mem_size;
	bool is_svmhv;
};

/* The device under test: $SVMHV_DEVICE, else /dev/svmhv. */
const char *vm_device(void);
bool vm_device_is_svmhv(void);
/* Load the hypervisor under test unless it is up: svmhv or kvm_amd. */
int vm_device_up(void);

/* SVMHV_MMU_* from $SVMHV_MMU (npt, shadow), or 0 for the default. */
int vm_mmu(void);

/* Open the device and create a VM under the MMU vm_mmu() picks. */
int vm_open(struct vm *vm);
/* Open the device, create a VM with @mem_size bytes at GPA 0 and vCPU 0. */
int vm_create(struct vm *vm, size_t mem_size);
/*
 * vm_create() in two steps, for what must come before the first vCPU
 * (KVM_CREATE_IRQCHIP): the VM and its memory, then vCPU 0 and its run
 * page.
 */
int vm_create_bare(struct vm *vm, size_t mem_size);
int vm_create_vcpu0(struct vm *vm);
void vm_destroy(struct vm *vm);
/* Give the vCPU all the CPUID the device supports (1G pages, NX...). */
int vm_set_cpuid(struct vm *vm);

/* Load @len bytes of code at @gpa; set real mode at 0:@gpa. */
void vm_setup_real(struct vm *vm, uint64_t gpa, const void *code, size_t len);
/*
 * Flat 64-bit long mode, identity-mapped with 2M pages over the first
 * 1 GiB; the tables and GDT live at 0x1000-0x8fff; code at @gpa.
 */
void vm_setup_long(struct vm *vm, uint64_t gpa, const void *code, size_t len);

/*
 * Vector @v through a 64-bit interrupt gate (selector 8, DPL 0) in the
 * IDT at @idt to a 16-byte stub at @stubs + 16 * @v, which pushes a 0
 * first when @push_zero (where the CPU pushes no error code, so that
 * every frame has one), then @v, and jumps to @handler.  All addresses
 * guest-physical, in slot 0.
 */
void vm_set_idt_stub(struct vm *vm, uint64_t idt, uint64_t stubs, int v,
		     uint64_t handler, bool push_zero);
/* Does exception @v push an error code? */
bool vm_has_error_code(int v);

/* KVM_RUN; returns its result (errno in errno), exit reason in run. */
int vm_run(struct vm *vm);
uint64_t vm_get_reg(struct vm *vm, int which);

#define VM_RAX 0
#define VM_RBX 1
#define VM_RCX 2
#define VM_RDX 3
#define VM_RIP 4
#define VM_RDI 5
#define VM_R8 6
#define VM_R9 7

#endif /* SVMHV_SELFTESTS_VM_UTIL_H */
