/* SPDX-License-Identifier: GPL-2.0 */
/* The diagnostics files under debugfs (debugfs.c). */
#ifndef SVMHV_SVM_DEBUGFS_H
#define SVMHV_SVM_DEBUGFS_H

void svm_debugfs_init(void);
void svm_debugfs_exit(void);

#endif /* SVMHV_SVM_DEBUGFS_H */
