/* SPDX-License-Identifier: GPL-2.0 */
/* What torture.c and torture_entry.S share. */
#ifndef SVMHV_SELFTESTS_TORTURE_H
#define SVMHV_SELFTESTS_TORTURE_H

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long ulong;

/* Set by pf_entry; a probe call is a compiler barrier for them. */
extern ulong fault_error, fault_addr;
extern u32 faulted;

void pf_entry(void);
void bad_entry(void);
u32 probe_read(ulong addr);
void probe_write(ulong addr, u32 val);
void probe_exec(ulong addr);

#endif /* SVMHV_SELFTESTS_TORTURE_H */
