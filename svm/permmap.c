// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O and MSR permission maps, one pair shared by every VMCB: all
 * ones, so every port access and every MSR access is intercepted (APM
 * vol. 2, 15.10 "I/O Interception" and 15.11 "MSR Intercepts").
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "permmap.h"

#define SVM_IOPM_ORDER	2	/* 12K used */
#define SVM_MSRPM_ORDER	1	/* 8K */

static struct page *svm_iopm, *svm_msrpm;

int svm_permission_maps_init(void)
{
	svm_iopm = alloc_pages(GFP_KERNEL, SVM_IOPM_ORDER);
	svm_msrpm = alloc_pages(GFP_KERNEL, SVM_MSRPM_ORDER);
	if (!svm_iopm || !svm_msrpm) {
		svm_permission_maps_exit();
		return -ENOMEM;
	}
	memset(page_address(svm_iopm), 0xff, PAGE_SIZE << SVM_IOPM_ORDER);
	memset(page_address(svm_msrpm), 0xff, PAGE_SIZE << SVM_MSRPM_ORDER);
	return 0;
}

void svm_permission_maps_exit(void)
{
	if (svm_iopm)
		__free_pages(svm_iopm, SVM_IOPM_ORDER);
	if (svm_msrpm)
		__free_pages(svm_msrpm, SVM_MSRPM_ORDER);
	svm_iopm = NULL;
	svm_msrpm = NULL;
}

u64 svm_iopm_pa(void)
{
	return page_to_phys(svm_iopm);
}

u64 svm_msrpm_pa(void)
{
	return page_to_phys(svm_msrpm);
}
