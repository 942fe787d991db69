/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svmhv-run's KVM client: the device (/dev/svmhv or /dev/kvm), a VM under
 * the MMU asked for, its memory, its one vCPU, and the CPU modes with
 * their GDT and identity page tables.  Errors of the device die(); a
 * guest that stopped is reported by crashed().
 */
#ifndef SVMHV_RUN_KVMC_H
#define SVMHV_RUN_KVMC_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../uapi/svmhv.h"

/* The exit status of a guest that crashed (the guest's own are 0-123). */
#define EXIT_GUEST	126

enum mode { REAL, PROT32, PAGED32, PAE, LONG, NR_MODES };

enum mmu { MMU_DEFAULT, MMU_NPT, MMU_SHADOW, NR_MMUS };

enum backing { B_4K, B_THP, B_HUGE2M, B_HUGE1G, NR_BACKINGS };

extern const char *const mode_names[NR_MODES];
extern const char *const mmu_names[NR_MMUS];
extern const char *const backing_names[NR_BACKINGS];

/* Exit counts by kind: svmhv's enum svmhv_exit_stat. */
#define NR_KINDS	SVMHV_EXIT_STAT_NR

extern const char *const exit_names[NR_KINDS];

/* The device and the VMs made on it: what the command line chose. */
struct vm_cfg {
	const char *device;
	enum mmu mmu;
	enum backing backing;
	uint64_t mem;
};

struct guest {
	int sys, vm, vcpu;
	struct kvm_run *run;
	int run_size;
	uint8_t *mem;
	uint64_t mem_size;
	void *raw;			/* the mapping behind mem */
	uint64_t raw_size;
	uint64_t entry;
	bool svmhv;
	int kvm_npt;			/* kvm_amd's npt: 1, 0, -1 unknown */
	struct kvm_cpuid2 *cpuid;	/* the device's, read once */
};

void open_device(struct guest *g, const struct vm_cfg *c);
void close_device(struct guest *g);
void create_vm(struct guest *g, const struct vm_cfg *c);
void add_memory(struct guest *g, const struct vm_cfg *c);
void add_vcpu(struct guest *g);
void create_guest(struct guest *g, const struct vm_cfg *c);
void destroy_vm(struct guest *g);

void copy_in(struct guest *g, uint64_t gpa, const void *src, uint64_t len,
	     const char *what);

void get_regs(struct guest *g, struct kvm_regs *r);
void set_regs(struct guest *g, const struct kvm_regs *r);
void get_sregs(struct guest *g, struct kvm_sregs *sr);
void set_sregs(struct guest *g, const struct kvm_sregs *sr);
void seg(struct kvm_segment *s, uint16_t sel, uint64_t base, uint32_t limit,
	 uint8_t type, bool db, bool l, bool g);
uint64_t build_page_tables(struct guest *g, enum mode mode);
void set_mode(struct guest *g, enum mode mode);

int crashed(const char *fmt, ...);
int crashed_exit(const struct kvm_run *run);

#endif /* SVMHV_RUN_KVMC_H */
