// SPDX-License-Identifier: GPL-2.0
/*
 * reboot_spin: leaves two VMs running, one vCPU each in a guest that
 * spins, for the test machine to reboot under them (scripts/
 * initramfs-init.sh starts it after the suites of a boot, as the last
 * thing before "reboot -f").  The host must go down without a kernel
 * report, which the boot's kernel-log check judges: svmhv turns SVM off
 * on every CPU from its reboot notifier while these vCPUs run, and a vCPU
 * that went on to CLGI or VMRUN would fault (#UD) in the kernel.
 *
 * Prints "# svmhv-reboot-spin: N vCPUs in guest" once both have entered,
 * then waits to be killed by the reboot.  Once svmhv refuses to enter
 * (KVM_RUN fails with EIO as the host goes down), its threads stop.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest_code.h"
#include "vm_util.h"
#include "../uapi/svmhv.h"

#define CODE_GPA	0x10000
#define NR_VMS		2

static struct vm vms[NR_VMS];

static void *spin(void *arg)
{
	struct vm *vm = arg;

	while (vm_run(vm) == 0 || errno == EINTR)
		;
	return NULL;
}

int main(void)
{
	pthread_t th[NR_VMS];
	int i, runs;

	if (vm_device_up())
		return 4;
	for (i = 0; i < NR_VMS; i++) {
		if (vm_create(&vms[i], 2 << 20))
			return 1;
		vm_setup_long(&vms[i], CODE_GPA, spin_start, GUEST_LEN(spin));
		if (pthread_create(&th[i], NULL, spin, &vms[i]))
			return 1;
	}
	/* In the guest once the statistics count a VMRUN of each. */
	for (runs = 0; runs < NR_VMS && vms[0].is_svmhv; usleep(10000)) {
		struct svmhv_vm_stats st;

		runs = 0;
		for (i = 0; i < NR_VMS; i++)
			runs += !ioctl(vms[i].fd, SVMHV_GET_VM_STATS, &st) &&
				st.runs;
	}
	printf("# svmhv-reboot-spin: %d vCPUs in guest\n", NR_VMS);
	fflush(stdout);
	for (;;)
		pause();
}
