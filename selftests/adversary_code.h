/* SPDX-License-Identifier: GPL-2.0 */
/* The guest code in adversary_code.S. */
#ifndef SVMHV_SELFTESTS_ADVERSARY_CODE_H
#define SVMHV_SELFTESTS_ADVERSARY_CODE_H

extern const unsigned char adv_handler_start[], adv_handler_end[];
extern const unsigned char msr_sweep_start[], msr_sweep_end[];

#endif /* SVMHV_SELFTESTS_ADVERSARY_CODE_H */
