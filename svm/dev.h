/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/svmhv and its system ioctls (dev.c). */
#ifndef SVMHV_SVM_DEV_H
#define SVMHV_SVM_DEV_H

int svm_dev_register(void);
void svm_dev_unregister(void);

#endif /* SVMHV_SVM_DEV_H */
