// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "svmhv.h"
#include "svmhv_util.h"
#include "vm_util.h"

const char *vm_device(void)
{
	const char *d = getenv("SVMHV_DEVICE");

	return d ? d : "/dev/svmhv";
}

bool vm_device_is_svmhv(void)
{
	return !strcmp(vm_device(), "/dev/svmhv");
}

int vm_device_up(void)
{
	if (!vm_device_is_svmhv())
		return module_probe("kvm_amd", false) ? -ENODEV : 0;
	return module_loaded("svmhv") ? 0 : svmhv_load();
}

/*
 * SVMHV_MMU=npt or shadow picks the MMU of every VM the tests create:
 * through SVMHV_SET_MMU on svmhv; on /dev/kvm it is kvm_amd's npt
 * parameter, which run-suites.sh set when it loaded kvm_amd.
 */
int vm_mmu(void)
{
	const char *m = getenv("SVMHV_MMU");

	if (m && !strcmp(m, "shadow"))
		return SVMHV_MMU_SHADOW;
	if (m && !strcmp(m, "npt"))
		return SVMHV_MMU_NPT;
	return 0;
}

int vm_create(struct vm *vm, size_t mem_size)
{
	int ret = vm_create_bare(vm, mem_size);

	return ret ? ret : vm_create_vcpu0(vm);
}

int vm_open(struct vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->fd = vm->vcpu_fd = -1;
	vm->is_svmhv = vm_device_is_svmhv();
	vm->sys_fd = open(vm_device(), O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0)
		return -errno;
	vm->fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return -errno;
	if (vm->is_svmhv && vm_mmu() && ioctl(vm->fd, SVMHV_SET_MMU, vm_mmu()))
		return -errno;
	return 0;
}

int vm_create_bare(struct vm *vm, size_t mem_size)
{
	struct kvm_userspace_memory_region mr = { 0 };
	int ret = vm_open(vm);

	if (ret)
		return ret;
	vm->mem_size = mem_size;
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		return -errno;
	mr.memory_size = mem_size;
	mr.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr))
		return -errno;
	return 0;
}

int vm_create_vcpu0(struct vm *vm)
{
	int ret;

	vm->vcpu_fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return -errno;
	ret = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ret < 0)
		return -errno;
	vm->run_size = ret;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		return -errno;
	return 0;
}

int vm_set_cpuid(struct vm *vm)
{
	static struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[256];
	} cpuid;

	cpuid.c.nent = 256;
	if (ioctl(vm->sys_fd, KVM_GET_SUPPORTED_CPUID, &cpuid) ||
	    ioctl(vm->vcpu_fd, KVM_SET_CPUID2, &cpuid))
		return -errno;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->run && vm->run != MAP_FAILED)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	if (vm->mem && vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->mem_size);
}

void vm_setup_real(struct vm *vm, uint64_t gpa, const void *code, size_t len)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };

	memcpy(vm->mem + gpa, code, len);
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs);
	regs.rip = gpa;
	regs.rflags = 2;
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
}

static void vm_seg64(struct kvm_segment *s, uint16_t sel, bool code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = code ? 0xb : 0x3;
	s->present = 1;
	s->s = 1;
	s->l = code;
	s->db = !code;
	s->g = 1;
}

void vm_setup_long(struct vm *vm, uint64_t gpa, const void *code, size_t len)
{
	uint64_t *pml4 = (uint64_t *)(vm->mem + 0x2000);
	uint64_t *pdpt = (uint64_t *)(vm->mem + 0x3000);
	uint64_t *pd = (uint64_t *)(vm->mem + 0x4000);
	uint64_t *gdt = (uint64_t *)(vm->mem + 0x1000);
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };
	int i;

	pml4[0] = 0x3000 | 3;
	pdpt[0] = 0x4000 | 3;
	for (i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;
	gdt[1] = 0x00af9b000000ffffULL;	/* 64-bit code */
	gdt[2] = 0x00cf93000000ffffULL;	/* data */
	memcpy(vm->mem + gpa, code, len);

	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs);
	vm_seg64(&sregs.cs, 8, true);
	vm_seg64(&sregs.ds, 16, false);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.gdt.base = 0x1000;
	sregs.gdt.limit = 23;
	sregs.cr3 = 0x2000;
	sregs.cr4 = 1 << 5;				/* PAE */
	sregs.cr0 = 0x80050033;				/* PG WP NE ET MP PE */
	sregs.efer = (1 << 8) | (1 << 10);		/* LME LMA */
	ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs);
	regs.rip = gpa;
	regs.rsp = 0x80000;
	regs.rflags = 2;
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
}

void vm_set_idt_stub(struct vm *vm, uint64_t idt, uint64_t stubs, int v,
		     uint64_t handler, bool push_zero)
{
	uint64_t stub = stubs + v * 16;
	uint64_t *gate = (uint64_t *)(vm->mem + idt + v * 16);
	uint8_t *p = vm->mem + stub;
	int32_t rel;

	gate[0] = (stub & 0xffff) | (8 << 16) | (0x8eULL << 40) |
		  ((stub >> 16 & 0xffff) << 48);
	gate[1] = stub >> 32;
	if (push_zero) {
		*p++ = 0x6a;		/* push $0 */
		*p++ = 0;
	}
	*p++ = 0x68;			/* push $v */
	memcpy(p, &v, 4);
	p += 4;
	*p++ = 0xe9;			/* jmp handler */
	rel = handler - (stub + (p + 4 - (vm->mem + stub)));
	memcpy(p, &rel, 4);
}

bool vm_has_error_code(int v)
{
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX */
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
	       v == 29 || v == 30;
}

int vm_run(struct vm *vm)
{
	return ioctl(vm->vcpu_fd, KVM_RUN, 0);
}

uint64_t vm_get_reg(struct vm *vm, int which)
{
	struct kvm_regs r;

	ioctl(vm->vcpu_fd, KVM_GET_REGS, &r);
	switch (which) {
	case VM_RAX: return r.rax;
	case VM_RBX: return r.rbx;
	case VM_RCX: return r.rcx;
	case VM_RDX: return r.rdx;
	case VM_RDI: return r.rdi;
	case VM_R8: return r.r8;
	case VM_R9: return r.r9;
	default: return r.rip;
	}
}
