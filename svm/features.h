/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of the CPUID leaves and MSRs that say whether, and how well, a
 * CPU supports SVM.  Pure functions of register values, so KUnit can feed
 * them fabricated values.
 *
 * AMD64 APM vol. 2, 15.4 "Enabling SVM" and vol. 3, appendix E "CPUID":
 * CPUID 8000_0001h ECX bit 2 is SVM; CPUID 8000_000Ah gives the SVM
 * revision (EAX[7:0]), the number of ASIDs (EBX) and the optional
 * features (EDX).  VM_CR (C001_0114h) bit 4, SVMDIS, is firmware's switch.
 */
#ifndef SVMHV_SVM_FEATURES_H
#define SVMHV_SVM_FEATURES_H

#include <linux/bits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>

#define SVM_CPUID_EXT_FEATURES		0x80000001
#define SVM_CPUID_EXT_ECX_SVM		BIT(2)
#define SVM_CPUID_LEAF			0x8000000a

/* CPUID 8000_000Ah EDX */
#define SVM_FEAT_NPT			BIT(0)
#define SVM_FEAT_LBRV			BIT(1)
#define SVM_FEAT_SVML			BIT(2)
#define SVM_FEAT_NRIPS			BIT(3)
#define SVM_FEAT_TSC_RATE		BIT(4)
#define SVM_FEAT_VMCB_CLEAN		BIT(5)
#define SVM_FEAT_FLUSH_BY_ASID		BIT(6)
#define SVM_FEAT_DECODE_ASSISTS		BIT(7)
#define SVM_FEAT_PAUSE_FILTER		BIT(10)
#define SVM_FEAT_AVIC			BIT(13)
#define SVM_FEAT_VGIF			BIT(16)

#define SVM_MSR_VM_CR			0xc0010114
#define SVM_VM_CR_LOCK			BIT_ULL(3)
#define SVM_VM_CR_SVMDIS		BIT_ULL(4)
#define SVM_MSR_VM_HSAVE_PA		0xc0010117

/* What one CPU reports about its SVM implementation. */
struct svm_features {
	u8 revision;
	u32 nr_asids;
	bool npt;
	bool nrips;
	bool vmcb_clean;
	bool flush_by_asid;
	bool decode_assists;
	bool pause_filter;
	/*
	 * OS visible workarounds (CPUID 8000_0001h ECX bit 9): the errata
	 * the OSVW_ID_LENGTH and OSVW_STATUS MSRs cover, and those present;
	 * 0 and 0 on a CPU without OSVW.
	 */
	u64 osvw_len;
	u64 osvw_status;
};

/**
 * svm_vendor_ok() - is this CPUID leaf 0 vendor one whose SVM we drive?
 * @ebx: CPUID 0 EBX, @edx: CPUID 0 EDX, @ecx: CPUID 0 ECX
 *
 * The vendor string is EBX, EDX, ECX in that order: "AuthenticAMD" or
 * "HygonGenuine" (Hygon's Dhyana is a licensed Zen and has AMD's SVM).
 */
static inline bool svm_vendor_ok(u32 ebx, u32 edx, u32 ecx)
{
	char vendor[12];

	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	return !memcmp(vendor, "AuthenticAMD", 12) ||
	       !memcmp(vendor, "HygonGenuine", 12);
}

/* CPUID 8000_0001h ECX: does the CPU implement SVM at all? */
static inline bool svm_cpuid_has_svm(u32 ext_ecx)
{
	return ext_ecx & SVM_CPUID_EXT_ECX_SVM;
}

/* VM_CR: has firmware disabled SVM (and possibly locked it that way)? */
static inline bool svm_vm_cr_disabled(u64 vm_cr)
{
	return vm_cr & SVM_VM_CR_SVMDIS;
}

/* Decode CPUID 8000_000Ah into @f. */
static inline void svm_decode_features(u32 eax, u32 ebx, u32 edx,
				       struct svm_features *f)
{
	f->revision = eax & 0xff;
	f->nr_asids = ebx;
	f->npt = edx & SVM_FEAT_NPT;
	f->nrips = edx & SVM_FEAT_NRIPS;
	f->vmcb_clean = edx & SVM_FEAT_VMCB_CLEAN;
	f->flush_by_asid = edx & SVM_FEAT_FLUSH_BY_ASID;
	f->decode_assists = edx & SVM_FEAT_DECODE_ASSISTS;
	f->pause_filter = edx & SVM_FEAT_PAUSE_FILTER;
}

/*
 * The features every CPU shares: a VM may run on any of them, so only
 * what all of them have may be used.
 */
static inline void svm_features_intersect(struct svm_features *acc,
					  const struct svm_features *f)
{
	acc->revision = min(acc->revision, f->revision);
	acc->nr_asids = min(acc->nr_asids, f->nr_asids);
	acc->npt &= f->npt;
	acc->nrips &= f->nrips;
	acc->vmcb_clean &= f->vmcb_clean;
	acc->flush_by_asid &= f->flush_by_asid;
	acc->decode_assists &= f->decode_assists;
	acc->pause_filter &= f->pause_filter;
	/* An erratum is known absent only where every CPU says so. */
	acc->osvw_len = min(acc->osvw_len, f->osvw_len);
	acc->osvw_status |= f->osvw_status;
}

/**
 * svm_osvw_guest() - the OSVW length and status a new vCPU reads.
 * @host: the host CPUs' OSVW (svm_features_intersect())
 * @family: the host's CPU family
 * @len: the guest's OSVW_ID_LENGTH
 * @status: the guest's OSVW_STATUS
 *
 * As KVM gives them: errata 400 and 415 (status bits 1 and 2: the C1E
 * halt and port I/O errata) read as fixed, since HLT and port I/O exit
 * here; the length is at least 3, so those bits count.  A host whose
 * OSVW says nothing (length 0) has erratum 298 (bit 0, family 10h only)
 * reported present: it is not known to be absent.
 */
static inline void svm_osvw_guest(const struct svm_features *host, u8 family,
				  u64 *len, u64 *status)
{
	*len = max_t(u64, host->osvw_len, 3);
	*status = host->osvw_status & ~(BIT_ULL(1) | BIT_ULL(2));
	if (!host->osvw_len && family == 0x10)
		*status |= BIT_ULL(0);
}

#endif /* SVMHV_SVM_FEATURES_H */
