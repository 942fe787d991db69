/* SPDX-License-Identifier: GPL-2.0 */
/* The payloads in isolation_code.S. */
#ifndef SVMHV_SELFTESTS_ISOLATION_CODE_H
#define SVMHV_SELFTESTS_ISOLATION_CODE_H

extern const unsigned char iso_real_out_start[], iso_real_out_end[];
extern const unsigned char iso_prot32_read_start[], iso_prot32_read_end[];
extern const unsigned char iso_exc_start[], iso_exc_end[];
extern const unsigned char iso_load_start[], iso_load_end[];
extern const unsigned char iso_in_out_start[], iso_in_out_end[];
extern const unsigned char iso_mmio_out_start[], iso_mmio_out_end[];
extern const unsigned char iso_rdtscp_start[], iso_rdtscp_end[];
extern const unsigned char iso_rdpid_start[], iso_rdpid_end[];
extern const unsigned char iso_cache_pmc_start[], iso_cache_pmc_end[];
extern const unsigned char iso_osxsave_start[], iso_osxsave_end[];
extern const unsigned char iso_dr_read_start[], iso_dr_read_end[];
extern const unsigned char iso_db_start[], iso_db_end[];
extern const unsigned char iso_db_bp_here[], iso_db_after_cpuid[];
extern const unsigned char iso_db_handler[];
extern const unsigned char iso_cr4_mce_start[], iso_cr4_mce_end[];

#define ISO_LEN(name) ((size_t)(name##_end - name##_start))

#endif /* SVMHV_SELFTESTS_ISOLATION_CODE_H */
