/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctls that create a VM's in-kernel devices, the UART's file, and
 * the devices' end with the VM (devices.c).  intr.h has the locking.
 */
#ifndef SVMHV_SVM_DEVICES_H
#define SVMHV_SVM_DEVICES_H

#include <linux/compiler_types.h>

#include "types.h"

int svm_create_irqchip(struct svm_vm *vm);
int svm_irq_line(struct svm_vm *vm, void __user *argp);
int svm_set_gsi_routing(struct svm_vm *vm, void __user *argp);
int svm_create_pit(struct svm_vm *vm, void __user *argp);
int svm_create_uart(struct svm_vm *vm, unsigned long arg);
int svm_enable_pc_ports(struct svm_vm *vm, unsigned long arg);
void svm_devices_destroy(struct svm_vm *vm);

#endif /* SVMHV_SVM_DEVICES_H */
