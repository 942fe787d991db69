/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by svmhv's kselftests: loading the module, reading MSRs
 * through /dev/cpu/N/msr, CPU hotplug, and watching the kernel log.
 */
#ifndef SVMHV_SELFTESTS_UTIL_H
#define SVMHV_SELFTESTS_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_EFER		0xc0000080
#define EFER_SVME		(1ULL << 12)
#define SVMHV_DEV		"/dev/svmhv"
#define SVMHV_DEBUGFS_CPUS	"/sys/kernel/debug/svmhv/cpus"

/* Path of svmhv.ko: $SVMHV_MODULE, or NULL when it is not set. */
const char *svmhv_module_path(void);
/* finit_module() of a .ko file; 0 or -errno. */
int module_load(const char *path);
/* Non-blocking delete_module(); 0 or -errno. */
int module_unload(const char *name);
bool module_loaded(const char *name);
/* Run modprobe (busybox or kmod) for @name; its exit status. */
int module_probe(const char *name, bool remove);

int svmhv_load(void);
int svmhv_unload(void);

/* Does /proc/cpuinfo list the svm flag? */
bool host_has_svm(void);

int nr_cpus_configured(void);
/* 1 online, 0 offline, -errno when the CPU cannot be hotplugged. */
int cpu_online(int cpu);
int cpu_set_online(int cpu, bool online);
/* 0 or -errno; needs the msr driver. */
int msr_read(int cpu, uint32_t msr, uint64_t *val);
int msr_write(int cpu, uint32_t msr, uint64_t val);
/* EFER.SVME of @cpu: 1, 0, or -errno. */
int cpu_svme(int cpu);
/* Set or clear EFER.SVME of @cpu behind any module's back; 0 or -errno. */
int cpu_set_svme(int cpu, bool on);

/* A reader of /dev/kmsg that sees only records logged after it opened. */
int kmsg_open(void);
/* Has a record containing @needle been logged since kmsg_open()? */
bool kmsg_contains(int fd, const char *needle);

/* Read a whole small file into @buf (NUL-terminated); length or -errno. */
int read_file(const char *path, char *buf, int size);

#endif /* SVMHV_SELFTESTS_UTIL_H */
