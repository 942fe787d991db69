// SPDX-License-Identifier: GPL-2.0
/*
 * Accessed and dirty bits against another vCPU's writes (issue 16,
 * finding 5): one VM, two vCPUs, each on a thread of its own, share a
 * page table of 4K entries.  vCPU A goes over the pages again and again,
 * each page flushed from the TLB (INVLPG, or a CR3 reload), read and
 * written, so that its accesses walk the table and set A, then D, in the
 * entry: under shadow paging svmhv's walker (svm/gwalk.c) does it, under
 * nested paging the CPU.  vCPU B at the same time rewrites the same
 * entries with LOCK CMPXCHG: it counts its writes to each entry in bits
 * 52-58 (the count mod 128) and bit 9 (its parity), all available to
 * software, and clears A and D, so that A's next access walks again.  A
 * walker that sets A/D with a plain read-modify-write, as svmhv's did
 * before cb30786, puts back an entry that B changed after the walker
 * read it, and B's write is lost.  (Bit 9 alone misses a stale entry an
 * even number of B's writes old; a writer of only the low 32 bits of an
 * entry would lose bit 9 and never bits 52-58.)
 *
 * The check is exact, however the two interleave: B compares each entry
 * with its own last write to it before the next one and counts what it
 * finds changed (nothing may be); at the end each entry holds B's last
 * count, its address and rights as they were, and A and D, since A's
 * last pass came after B's last write and flushed, read and wrote every
 * page; each page holds A's last write, and A never read anything but its
 * own previous one.  How long B writes is a time, not a count, as the
 * speed of the MMUs differs a hundredfold.
 *
 * Before cb30786 this failed in every variant within seconds under
 * shadow paging on the test machine (thousands of B's writes lost).
 *
 * Runs on kvm_amd too ($SVMHV_DEVICE=/dev/kvm, npt=1 and npt=0).  make
 * check runs it under shadow paging only: under nested paging the race is
 * the CPU's own, and the emulated CPU of the test machine gets it wrong
 * (docs/testing.md, "The emulated CPU and its bugs").
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "ad_race_code.h"

#define MEM_SIZE	(4UL << 20)
#define RACE_MS		5000
#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL

FIXTURE(race) {
	struct vm vm;		/* the VM and vCPU A */
	struct vm b;		/* vCPU B: the VM's fds, its own vCPU */
};

FIXTURE_VARIANT(race) {
	int pages;		/* entries in the race */
	bool cr3;		/* A flushes by reloading CR3, not INVLPG */
};

/* B on the one entry that A walks, all the time. */
FIXTURE_VARIANT_ADD(race, one_entry) {
	.pages = 1,
};

/* The same with a CR3 reload (svmhv's resync of the whole root). */
FIXTURE_VARIANT_ADD(race, one_entry_cr3) {
	.pages = 1,
	.cr3 = true,
};

FIXTURE_VARIANT_ADD(race, eight_entries) {
	.pages = 8,
};

/* Every entry of the table: B comes back to each far less often. */
FIXTURE_VARIANT_ADD(race, whole_table) {
	.pages = AD_MAX_PAGES,
};

/* vCPU 1 of @vm in @b: a copy of @vm with its own vCPU fd and run page. */
static int create_vcpu1(struct vm *vm, struct vm *b)
{
	*b = *vm;
	b->run = NULL;
	b->vcpu_fd = ioctl(vm->fd, KVM_CREATE_VCPU, 1);
	if (b->vcpu_fd < 0)
		return -errno;
	b->run = mmap(NULL, b->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->vcpu_fd, 0);
	if (b->run == MAP_FAILED) {
		b->run = NULL;
		return -errno;
	}
	return 0;
}

/*
 * vCPU B in the long mode vm_setup_long() gave vCPU 0, at @rip: the same
 * segments, control registers and EFER; its own APIC base.
 */
static int setup_vcpu1(struct vm *vm, struct vm *b, uint64_t rip)
{
	struct kvm_regs regs = { .rip = rip, .rsp = AD_STACK_B, .rflags = 2 };
	struct kvm_sregs sa, sb;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sa) ||
	    ioctl(b->vcpu_fd, KVM_GET_SREGS, &sb))
		return -errno;
	sa.apic_base = sb.apic_base;
	if (ioctl(b->vcpu_fd, KVM_SET_SREGS, &sa) ||
	    ioctl(b->vcpu_fd, KVM_SET_REGS, &regs))
		return -errno;
	return 0;
}

/* The table at AD_PT_GPA under the 2M at AD_DATA_VA, with @pages pages. */
static void map_pages(struct vm *vm, int pages)
{
	uint64_t *pd = (uint64_t *)(vm->mem + 0x4000);
	uint64_t *pt = (uint64_t *)(vm->mem + AD_PT_GPA);
	int i;

	for (i = 0; i < pages; i++)
		pt[i] = (AD_DATA_VA + i * 4096ULL) | PTE_P | PTE_RW;
	pd[AD_DATA_VA >> 21] = AD_PT_GPA | PTE_P | PTE_RW;
}

FIXTURE_SETUP(race)
{
	uint64_t *ctl = NULL;
	int ret;

	self->b.run = NULL;
	self->b.vcpu_fd = -1;
	ASSERT_EQ(0, vm_device_up());
	ret = vm_create(&self->vm, MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("vm_create: %s", strerror(-ret));
	ret = create_vcpu1(&self->vm, &self->b);
	ASSERT_EQ(0, ret) TH_LOG("KVM_CREATE_VCPU 1: %s", strerror(-ret));
	vm_setup_long(&self->vm, AD_CODE_GPA, ad_race_start, AD_RACE_LEN);
	ret = setup_vcpu1(&self->vm, &self->b, AD_CODE_GPA + AD_RACE_B_OFF);
	ASSERT_EQ(0, ret) TH_LOG("vCPU 1's registers: %s", strerror(-ret));
	map_pages(&self->vm, variant->pages);
	ctl = (uint64_t *)(self->vm.mem + AD_CTL_GPA);
	ctl[AD_CTL_NPAGES / 8] = variant->pages;
	ctl[AD_CTL_CR3 / 8] = variant->cr3;
}

FIXTURE_TEARDOWN(race)
{
	if (self->b.run)
		munmap(self->b.run, self->b.run_size);
	if (self->b.vcpu_fd >= 0)
		close(self->b.vcpu_fd);
	vm_destroy(&self->vm);
}

/* One vCPU's thread: KVM_RUN until an exit other than a signal's. */
struct runner {
	struct vm *vm;
	int ret, err;
	uint32_t reason;
};

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	do {
		r->ret = vm_run(r->vm);
		r->err = r->ret ? errno : 0;
	} while (r->ret && r->err == EINTR);
	r->reason = r->vm->run->exit_reason;
	return NULL;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* What B's count @c puts in the bits B owns. */
static uint64_t own_bits(uint64_t c)
{
	return (c & AD_OWN_FIELD) << AD_OWN_SHIFT | (c & 1 ? AD_OWN_LOW : 0);
}

/* A control word, as the guests left it. */
#define CTL(self, x) \
	__atomic_load_n((uint64_t *)((self)->vm.mem + AD_CTL_GPA) + \
			AD_CTL_##x / 8, __ATOMIC_SEQ_CST)

TEST_F_TIMEOUT(race, b_keeps_its_writes, 90)
{
	uint64_t *stop = (uint64_t *)(self->vm.mem + AD_CTL_GPA + AD_CTL_STOP);
	uint64_t *pt = (uint64_t *)(self->vm.mem + AD_PT_GPA);
	uint64_t *count = (uint64_t *)(self->vm.mem + AD_COUNT_GPA);
	struct runner a = { .vm = &self->vm }, b = { .vm = &self->b };
	uint64_t rounds, passes, want, page;
	long long start = now_ms();
	pthread_t ta, tb;
	int i, bad = 0;

	ASSERT_EQ(0, pthread_create(&ta, NULL, run_vcpu, &a));
	ASSERT_EQ(0, pthread_create(&tb, NULL, run_vcpu, &b));
	usleep(RACE_MS * 1000);
	__atomic_store_n(stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(tb, NULL);
	pthread_join(ta, NULL);

	rounds = CTL(self, B_ROUNDS);
	passes = CTL(self, A_PASSES);
	TH_LOG("%d entries, %s, %lld ms: A %llu passes, B %llu rounds, %llu CMPXCHGs failed",
	       variant->pages, variant->cr3 ? "CR3 reloads" : "INVLPG",
	       now_ms() - start, (unsigned long long)passes,
	       (unsigned long long)rounds,
	       (unsigned long long)CTL(self, B_RETRY));
	ASSERT_EQ(0, a.ret) TH_LOG("A's KVM_RUN: %s", strerror(a.err));
	ASSERT_EQ(0, b.ret) TH_LOG("B's KVM_RUN: %s", strerror(b.err));
	ASSERT_EQ(KVM_EXIT_HLT, a.reason);
	ASSERT_EQ(KVM_EXIT_HLT, b.reason);
	ASSERT_EQ(1, CTL(self, A_GO));
	ASSERT_EQ(1, CTL(self, B_DONE));
	EXPECT_LT(0, rounds);
	EXPECT_LT(1, passes);
	/* Reads of B's that found a write of its own overwritten. */
	EXPECT_EQ(0, CTL(self, B_LOST)) TH_LOG("bits 52-58 lost");
	EXPECT_EQ(0, CTL(self, B_LOST9)) TH_LOG("bit 9 lost");
	EXPECT_EQ(0, CTL(self, A_BAD)) TH_LOG("A read what it did not write");
	for (i = 0; i < variant->pages && bad < 8; i++) {
		want = (AD_DATA_VA + i * 4096ULL) | PTE_P | PTE_RW |
		       AD_PTE_A | AD_PTE_D | own_bits(rounds);
		memcpy(&page, self->vm.mem + AD_DATA_VA + i * 4096ULL, 8);
		if (pt[i] == want && count[i] == rounds && page == passes)
			continue;
		bad++;
		TH_LOG("entry %d: %#llx, want %#llx; B's count %llu; page %llu",
		       i, (unsigned long long)pt[i], (unsigned long long)want,
		       (unsigned long long)count[i], (unsigned long long)page);
	}
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
