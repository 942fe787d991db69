/* SPDX-License-Identifier: GPL-2.0 */
/* svmhv-run --kernel: boot a Linux bzImage (linux.c). */
#ifndef SVMHV_RUN_LINUX_H
#define SVMHV_RUN_LINUX_H

#include "opts.h"

/* How a Linux guest ended, besides 0 (powered off or halted). */
#define EXIT_REBOOT	3	/* the guest reset the machine */
#define EXIT_QUIT	4	/* Ctrl-A x on the console */

#define LINUX_DEFAULT_MEM	(256ULL << 20)
#define LINUX_MAX_MEM		(3ULL << 30)	/* one RAM range below 4G */

int linux_main(const struct opts *o);

#endif /* SVMHV_RUN_LINUX_H */
