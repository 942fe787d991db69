// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "svmhv_util.h"

const char *svmhv_module_path(void)
{
	return getenv("SVMHV_MODULE");
}

int module_load(const char *path)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

bool module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return access(path, F_OK) == 0;
}

int module_probe(const char *name, bool remove)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "modprobe %s %s >/dev/null 2>&1",
		 remove ? "-r" : "", name);
	return system(cmd);
}

int svmhv_load(void)
{
	const char *path = svmhv_module_path();

	return path ? module_load(path) : -ENOENT;
}

int svmhv_unload(void)
{
	return module_unload("svmhv");
}

int read_file(const char *path, char *buf, int size)
{
	int fd, len = 0, n = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	n = n < 0 ? -errno : len;
	close(fd);
	buf[len] = '\0';
	return n;
}

bool host_has_svm(void)
{
	static char buf[1 << 16];
	char *flags, *tok, *save;

	if (read_file("/proc/cpuinfo", buf, sizeof(buf)) <= 0)
		return false;
	flags = strstr(buf, "\nflags");
	if (!flags)
		return false;
	*strchrnul(flags + 1, '\n') = '\0';
	for (tok = strtok_r(flags, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, "svm"))
			return true;
	return false;
}

int nr_cpus_configured(void)
{
	return sysconf(_SC_NPROCESSORS_CONF);
}

int cpu_online(int cpu)
{
	char path[96], buf[8];
	int ret;

	if (cpu == 0)
		return 1;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	ret = read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return buf[0] == '1';
}

int cpu_set_online(int cpu, bool online)
{
	char path[96];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, online ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/* One 8-byte read or write of @msr on @cpu through /dev/cpu/N/msr. */
static int msr_access(int cpu, uint32_t msr, uint64_t *val, bool write)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, val, sizeof(*val), msr) :
		    pread(fd, val, sizeof(*val), msr);
	n = n == sizeof(*val) ? 0 : -errno;
	close(fd);
	return n;
}

int msr_read(int cpu, uint32_t msr, uint64_t *val)
{
	return msr_access(cpu, msr, val, false);
}

int msr_write(int cpu, uint32_t msr, uint64_t val)
{
	return msr_access(cpu, msr, &val, true);
}

int cpu_set_svme(int cpu, bool on)
{
	uint64_t efer;
	int ret;

	ret = msr_read(cpu, MSR_EFER, &efer);
	if (ret)
		return ret;
	efer = on ? efer | EFER_SVME : efer & ~EFER_SVME;
	return msr_write(cpu, MSR_EFER, efer);
}

int cpu_svme(int cpu)
{
	uint64_t efer;
	int ret;

	ret = msr_read(cpu, MSR_EFER, &efer);
	if (ret)
		return ret;
	return !!(efer & EFER_SVME);
}

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

bool kmsg_contains(int fd, const char *needle)
{
	char rec[2048];
	bool found = false;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten; go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, needle))
			found = true;
	}
	return found;
}
