/* SPDX-License-Identifier: GPL-2.0 */
/* The payloads in guest_code.S. */
#ifndef SVMHV_SELFTESTS_GUEST_CODE_H
#define SVMHV_SELFTESTS_GUEST_CODE_H

extern const unsigned char real_out_start[], real_out_end[];
extern const unsigned char cpuid_out_start[], cpuid_out_end[];
extern const unsigned char mmio_start[], mmio_end[];
extern const unsigned char hypercall_start[], hypercall_end[];
extern const unsigned char msr_start[], msr_end[];
extern const unsigned char bad_msr_start[], bad_msr_end[];
extern const unsigned char user_msr_start[], user_msr_end[];
extern const unsigned char user_irq_start[], user_irq_end[];
extern const unsigned char mtrr_start[], mtrr_end[];
extern const unsigned char user_irq_handler_start[], user_irq_handler_end[];
extern const unsigned char nmi_start[], nmi_end[];
extern const unsigned char mce_start[], mce_end[];
extern const unsigned char mce_handler_start[], mce_handler_end[];
extern const unsigned char nmi_handler_start[], nmi_handler_end[];
extern const unsigned char spin_start[], spin_end[];
extern const unsigned char outs_start[], outs_end[];
extern const unsigned char counter_start[], counter_end[];
extern const unsigned char mmio_cmpxchg_start[], mmio_cmpxchg_end[];
extern const unsigned char mmio_alu_start[], mmio_alu_end[];
extern const unsigned char mmio_string_start[], mmio_string_end[];
extern const unsigned char report_start[], report_end[];
extern const unsigned char port_in_start[], port_in_end[];
extern const unsigned char svm_insns_start[], svm_insns_end[];
extern const unsigned char sum_flip_start[], sum_flip_end[];
extern const unsigned char scan_start[], scan_end[];
extern const unsigned char store_start[], store_end[];
extern const unsigned char features_start[], features_end[];
extern const unsigned char vmmcall_loop_start[], vmmcall_loop_end[];
extern const unsigned char vmmcall_remap_start[], vmmcall_remap_end[];
extern const unsigned char vmmcall_real_start[], vmmcall_real_end[];

/* Bytes of a payload. */
#define GUEST_LEN(name) ((size_t)(name##_end - name##_start))

#endif /* SVMHV_SELFTESTS_GUEST_CODE_H */
