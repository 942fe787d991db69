/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU's pending events as KVM_GET/SET_VCPU_EVENTS show them
 * (events.c): part of the vCPU-state layer.
 */
#ifndef SVMHV_SVM_EVENTS_H
#define SVMHV_SVM_EVENTS_H

#include "types.h"

struct kvm_vcpu_events;

void svm_get_vcpu_events(struct svm_vcpu *vcpu, struct kvm_vcpu_events *ev);
int svm_set_vcpu_events(struct svm_vcpu *vcpu,
			const struct kvm_vcpu_events *ev);

#endif /* SVMHV_SVM_EVENTS_H */
