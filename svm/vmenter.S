/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch, alone in this file.
 *
 * VMRUN saves only part of the host state (APM vol. 2, 15.5.1 "Basic
 * Operation": RIP, RSP, RAX, flags, CR0/3/4, EFER, ES/CS/SS/DS, GDTR,
 * IDTR) and loads only part of the guest's; the general-purpose registers
 * other than RAX are shared, and the rest of the segment and syscall
 * state moves with VMSAVE/VMLOAD.  So around VMRUN this code saves the
 * host's callee-saved registers, VMSAVEs the host's extra state to the
 * per-CPU host save page, loads the guest's GPRs, VMLOADs the
 * guest's extra state, runs the guest, VMSAVEs it back, stores the
 * guest's GPRs, and VMLOADs the host's extra state back.  It runs with GIF clear, so no interrupt or NMI can
 * see the guest's GS base in between.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "regs.h"

/*
 * void svm_vmrun(struct svm_gprs *regs, u64 vmcb_pa, u64 host_save_pa)
 *
 * regs in %rdi, vmcb_pa in %rsi, host_save_pa in %rdx.
 */
SYM_FUNC_START(svm_vmrun)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	/* Kept on the stack across VMRUN: regs, then host_save_pa. */
	push	%rdx
	push	%rdi

	/* The host's FS, GS, TR, LDTR and syscall MSRs, for afterwards. */
	mov	%rdx, %rax
	vmsave	%rax

	/* Guest GPRs; RAX, RSP and RIP live in the VMCB. */
	mov	%rsi, %rax
	mov	SVM_GPR_RCX(%rdi), %rcx
	mov	SVM_GPR_RDX(%rdi), %rdx
	mov	SVM_GPR_RBX(%rdi), %rbx
	mov	SVM_GPR_RBP(%rdi), %rbp
	mov	SVM_GPR_RSI(%rdi), %rsi
	mov	SVM_GPR_R8(%rdi), %r8
	mov	SVM_GPR_R9(%rdi), %r9
	mov	SVM_GPR_R10(%rdi), %r10
	mov	SVM_GPR_R11(%rdi), %r11
	mov	SVM_GPR_R12(%rdi), %r12
	mov	SVM_GPR_R13(%rdi), %r13
	mov	SVM_GPR_R14(%rdi), %r14
	mov	SVM_GPR_R15(%rdi), %r15
	mov	SVM_GPR_RDI(%rdi), %rdi

	vmload	%rax
	vmrun	%rax
	/* Where the host resumes: svm_save_is_host() looks for it. */
SYM_INNER_LABEL(svm_vmrun_resume, SYM_L_GLOBAL)
	vmsave	%rax

	/*
	 * Back in the host.  Before any RET, overwrite the return stack
	 * buffer the guest may have filled (as KVM does on #VMEXIT).
	 */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	mov	(%rsp), %rax
	mov	%rcx, SVM_GPR_RCX(%rax)
	mov	%rdx, SVM_GPR_RDX(%rax)
	mov	%rbx, SVM_GPR_RBX(%rax)
	mov	%rbp, SVM_GPR_RBP(%rax)
	mov	%rsi, SVM_GPR_RSI(%rax)
	mov	%rdi, SVM_GPR_RDI(%rax)
	mov	%r8, SVM_GPR_R8(%rax)
	mov	%r9, SVM_GPR_R9(%rax)
	mov	%r10, SVM_GPR_R10(%rax)
	mov	%r11, SVM_GPR_R11(%rax)
	mov	%r12, SVM_GPR_R12(%rax)
	mov	%r13, SVM_GPR_R13(%rax)
	mov	%r14, SVM_GPR_R14(%rax)
	mov	%r15, SVM_GPR_R15(%rax)

	/* Host FS, GS, TR, LDTR and syscall MSRs. */
	mov	8(%rsp), %rax
	vmload	%rax

	/* No guest value may steer host speculation (APM vol. 2, 15.3). */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$16, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(svm_vmrun)
