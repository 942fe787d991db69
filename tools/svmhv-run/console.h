/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's serial console on svmhv-run's terminal (console.c): on
 * /dev/svmhv the module's UART, on /dev/kvm pcdev.c's, which the console
 * feeds and never hears from: linux.c passes on what the UART did.
 */
#ifndef SVMHV_RUN_CONSOLE_H
#define SVMHV_RUN_CONSOLE_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcdev.h"

void console_init(void);
void console_start(struct kvm_run *run, int uart_fd, struct pcdev *pc);
void console_stop(void);
bool console_quit(void);
void console_rx_room(void);
void console_output(const uint8_t *buf, size_t len);

#endif /* SVMHV_RUN_CONSOLE_H */
