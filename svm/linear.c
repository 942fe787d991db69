// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-linear memory: copies through the guest's own page tables (as
 * the CPU would walk them for the access, with gwalk()), a small cache
 * of the translations, and the fetch of the instruction at CS:RIP.
 */
#include <linux/highmem.h>
#include <linux/mm.h>

#include "emulate.h"
#include "gpa.h"
#include "linear.h"
#include "paging_regs.h"

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
			   const struct gwalk_result *res, struct page *data,
			   u64 data_gpa)
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
	x->data_gpa = data_gpa;
	x->valid = true;
}

/*
 * Walk the guest's tables for @linear as the CPU would for @access: 0;
 * -EFAULT for a page fault, described in @fault; -EIO when the tables
 * are not RAM.
 */
static int svm_walk(struct svm_vcpu *vcpu, const struct gwalk_regs *regs,
		    u64 linear, u32 access, struct gwalk_result *res,
		    struct svm_fault *fault)
{
	struct gwalk_mem mem = svm_walk_mem(vcpu->vm);
	int ret = gwalk(regs, linear, access, &mem, res);

	if (ret == -EFAULT) {
		fault->addr = linear;
		fault->error = res->error;
		return -EFAULT;
	}
	return ret ? -EIO : 0;
}

/*
 * The host page that guest-linear @linear maps to for @access, and its
 * guest-physical address (@gpa, page-aligned).  Return 0; -EFAULT for a
 * page fault, described in @fault; -EIO when the guest's tables or the
 * page are not RAM.
 */
static int svm_translate(struct svm_vcpu *vcpu, const struct gwalk_regs *regs,
			 u64 linear, u32 access, struct page **data, u64 *gpa,
			 struct svm_fault *fault)
{
	u64 page = linear >> PAGE_SHIFT;
	struct svm_xlate *x = svm_xlate_slot(vcpu, page, access);
	struct gwalk_result res;
	int ret;

	if (svm_xlate_hit(vcpu, x, regs, page, access)) {
		*data = x->data;
		*gpa = x->data_gpa;
		return 0;
	}
	x->valid = false;
	ret = svm_walk(vcpu, regs, linear, access, &res, fault);
	if (ret)
		return ret;
	*data = svm_gpa_to_page(vcpu->vm, res.gpa);
	if (!*data ||
	    ((access & PFERR_WRITE) && svm_gpa_readonly(vcpu->vm, res.gpa)))
		return -EIO;
	*gpa = res.gpa & PAGE_MASK;
	svm_xlate_fill(vcpu, x, regs, page, access, &res, *data, *gpa);
	return 0;
}

/*
 * The guest's paging registers into @regs, and @access as the guest's
 * CPL makes it: a user access at CPL 3.
 */
static u32 svm_linear_setup(struct svm_vcpu *vcpu, struct gwalk_regs *regs,
			    u32 access)
{
	svm_guest_paging(vcpu, regs);
	return vcpu->vmcb->save.cpl == 3 ? access | PFERR_USER : access;
}

/*
 * Copy between a kernel buffer and guest-linear memory, translating page
 * by page with the guest's tables; a write is logged in the dirty log
 * where it lands (the cached translation gives the page).  Return 0;
 * -EFAULT for a page fault, described in @fault; -EIO when the guest's
 * tables or data are not RAM, or a write's data is in a read-only slot.
 */
int svm_access_linear(struct svm_vcpu *vcpu, u64 linear, void *buf,
		      int len, u32 access, struct svm_fault *fault)
{
	struct gwalk_regs regs;
	struct page *data;
	void *va;
	u64 gpa;
	int ret;

	access = svm_linear_setup(vcpu, &regs, access);
	while (len > 0) {
		int off = offset_in_page(linear);
		int n = min_t(int, len, PAGE_SIZE - off);

		ret = svm_translate(vcpu, &regs, linear, access, &data, &gpa,
				    fault);
		if (ret)
			return ret;
		va = kmap_local_page(data);
		if (access & PFERR_WRITE) {
			memcpy(va + off, buf, n);
			svm_gpa_log_write(vcpu->vm, gpa + off, n);
		} else {
			memcpy(buf, va + off, n);
		}
		kunmap_local(va);
		linear += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/**
 * svm_linear_gpa() - the guest-physical address of guest-linear @linear.
 * @vcpu: the vCPU, whose paging registers and tables translate it
 * @linear: the address
 * @access: PFERR_WRITE for a write, 0 for a read
 * @gpa: the result, RAM or not
 * @fault: the page fault, on -EFAULT
 *
 * The walk sets accessed and dirty bits, as the CPU's for the access.
 *
 * Return: 0; -EFAULT for a page fault; -EIO when the guest's tables are
 * not in RAM.
 */
int svm_linear_gpa(struct svm_vcpu *vcpu, u64 linear, u32 access, u64 *gpa,
		   struct svm_fault *fault)
{
	struct gwalk_regs regs;
	struct gwalk_result res;
	int ret;

	access = svm_linear_setup(vcpu, &regs, access);
	ret = svm_walk(vcpu, &regs, linear, access, &res, fault);
	if (!ret)
		*gpa = res.gpa;
	return ret;
}

/**
 * svm_linear_fault() - an emulated access to guest-linear memory failed.
 * @vcpu: the vCPU
 * @ret: what svm_access_linear() or svm_linear_gpa() returned
 * @fault: the page fault, for -EFAULT
 *
 * Return: 1 to go on into the guest with the #PF injected; else 0, with
 * KVM_EXIT_INTERNAL_ERROR (emulation) for userspace.
 */
int svm_linear_fault(struct svm_vcpu *vcpu, int ret,
		     const struct svm_fault *fault)
{
	if (ret != -EFAULT)
		return svm_internal_error(vcpu, KVM_INTERNAL_ERROR_EMULATION);
	svm_inject_pf(vcpu, fault);
	return 1;
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
