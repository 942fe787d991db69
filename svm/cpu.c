// SPDX-License-Identifier: GPL-2.0
/*
 * Owning SVM on every host CPU.
 *
 * AMD64 APM vol. 2, 15.4 "Enabling SVM": SVM instructions work once
 * EFER.SVME is set, and VMRUN needs VM_HSAVE_PA to point at a 4K page
 * where the CPU keeps host state across the world switch.  Both are
 * per-CPU, so a cpuhp state sets them on every CPU that comes online and
 * clears them on every CPU that goes offline; registering the state does
 * it for the CPUs already online, and a failure on any CPU rolls back the
 * ones done before it.
 */
#define pr_fmt(fmt) "svmhv: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>

#include "cpu.h"

/*
 * Per-CPU state.  The hotplug callbacks write all of it; the ASID fields
 * are also written by vCPUs entering the guest on this CPU, with
 * preemption off.
 */
struct svm_cpu {
	struct page *hsave;		/* VM_HSAVE_PA: the CPU's own use */
	struct page *host_save;		/* VMSAVE/VMLOAD of host state */
	struct svm_features features;
	bool enabled;
	u64 asid_gen;
	u32 next_asid;
	u32 max_asid;
	u64 last_vmcb;			/* the VMCB that ran here last */
	/*
	 * TSC_AUX as the kernel set it here (the CPU and node number that
	 * RDTSCP and RDPID return); -1 when the CPU has neither.
	 */
	u64 host_tsc_aux;
};

static DEFINE_PER_CPU(struct svm_cpu, svm_cpus);
static enum cpuhp_state svm_cpuhp_state;
static bool svm_host_features_valid;

/* Written only from hotplug callbacks, which the hotplug lock serializes. */
struct svm_features svm_host_features;

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* Can this CPU run SVM?  Runs on @cpu; fills in its features. */
static int svm_probe_this_cpu(unsigned int cpu, struct svm_features *f)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr;

	cpuid(0, &eax, &ebx, &ecx, &edx);
	if (!svm_vendor_ok(ebx, edx, ecx)) {
		pr_err("cpu%u: not an AMD or Hygon CPU\n", cpu);
		return -ENODEV;
	}
	if (eax < 1 || cpuid_eax(0x80000000) < SVM_CPUID_LEAF ||
	    !svm_cpuid_has_svm(cpuid_ecx(SVM_CPUID_EXT_FEATURES))) {
		pr_err("cpu%u: CPU does not support SVM (AMD-V)\n", cpu);
		return -ENODEV;
	}
	if (rdmsrl_safe(SVM_MSR_VM_CR, &vm_cr)) {
		pr_err("cpu%u: cannot read VM_CR\n", cpu);
		return -ENODEV;
	}
	if (svm_vm_cr_disabled(vm_cr)) {
		pr_err("cpu%u: SVM is disabled in firmware (VM_CR.SVMDIS is set%s); enable SVM/AMD-V in the BIOS setup\n",
		       cpu, vm_cr & SVM_VM_CR_LOCK ? " and locked" : "");
		return -ENODEV;
	}
	cpuid(SVM_CPUID_LEAF, &eax, &ebx, &ecx, &edx);
	svm_decode_features(eax, ebx, edx, f);
	f->osvw_len = 0;
	f->osvw_status = 0;
	if (boot_cpu_has(X86_FEATURE_OSVW) &&
	    (rdmsrl_safe(MSR_AMD64_OSVW_ID_LENGTH, &f->osvw_len) ||
	     rdmsrl_safe(MSR_AMD64_OSVW_STATUS, &f->osvw_status))) {
		f->osvw_len = 0;
		f->osvw_status = 0;
	}
	if (f->nr_asids < 2) {
		pr_err("cpu%u: SVM reports %u ASIDs; at least 2 are needed\n",
		       cpu, f->nr_asids);
		return -ENODEV;
	}
	return 0;
}

/*
 * Set EFER.SVME unless somebody else already did.  Interrupts are off so
 * that the check and the set are one step against kvm_amd, which enables
 * SVM from an IPI.
 */
static int svm_set_svme(unsigned int cpu)
{
	unsigned long flags;
	u64 efer;
	int ret = 0;

	local_irq_save(flags);
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		ret = -EBUSY;
	else
		wrmsrl(MSR_EFER, efer | EFER_SVME);
	local_irq_restore(flags);

	if (ret)
		pr_err("cpu%u: EFER.SVME is already set: another hypervisor (for example kvm_amd with a VM open) owns SVM\n",
		       cpu);
	return ret;
}

static void svm_clear_svme(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}

static void svm_log_features(unsigned int cpu, const struct svm_features *f)
{
	pr_info("cpu%u: SVM revision %u, %u ASIDs, NPT %s, NRIP save %s, decode assists %s, flush by ASID %s, VMCB clean bits %s\n",
		cpu, f->revision, f->nr_asids, yes_no(f->npt),
		yes_no(f->nrips), yes_no(f->decode_assists),
		yes_no(f->flush_by_asid), yes_no(f->vmcb_clean));
}

/* cpuhp startup callback: runs on @cpu in its hotplug thread. */
static int svm_cpu_online(unsigned int cpu)
{
	struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);
	struct page *hsave, *host_save;
	int ret;

	ret = svm_probe_this_cpu(cpu, &sc->features);
	if (ret)
		return ret;

	hsave = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	host_save = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO,
				     0);
	if (!hsave || !host_save) {
		ret = -ENOMEM;
		goto out_free;
	}

	ret = svm_set_svme(cpu);
	if (ret)
		goto out_free;
	wrmsrl(SVM_MSR_VM_HSAVE_PA, page_to_phys(hsave));
	sc->hsave = hsave;
	sc->host_save = host_save;
	/* ASID 0 is the host's; a new generation starts with a flush. */
	sc->max_asid = sc->features.nr_asids - 1;
	sc->next_asid = sc->max_asid + 1;
	sc->last_vmcb = 0;
	sc->host_tsc_aux = -1ULL;
	if (boot_cpu_has(X86_FEATURE_RDTSCP) || boot_cpu_has(X86_FEATURE_RDPID))
		rdmsrl(MSR_TSC_AUX, sc->host_tsc_aux);
	sc->enabled = true;

	if (svm_host_features_valid) {
		svm_features_intersect(&svm_host_features, &sc->features);
	} else {
		svm_host_features = sc->features;
		svm_host_features_valid = true;
	}
	svm_log_features(cpu, &sc->features);
	return 0;

out_free:
	if (host_save)
		__free_page(host_save);
	if (hsave)
		__free_page(hsave);
	return ret;
}

/* cpuhp teardown callback: runs on @cpu before it goes offline. */
static int svm_cpu_offline(unsigned int cpu)
{
	struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);

	if (!sc->enabled)
		return 0;

	wrmsrl(SVM_MSR_VM_HSAVE_PA, 0);
	svm_clear_svme();
	__free_page(sc->hsave);
	__free_page(sc->host_save);
	sc->hsave = NULL;
	sc->host_save = NULL;
	sc->enabled = false;
	return 0;
}

static void svm_emergency_disable(void *unused)
{
	if (this_cpu_read(svm_cpus.enabled))
		svm_clear_svme();
}

/* Set before SVM goes off for a reboot; never cleared. */
static bool svm_going_down;

/**
 * svm_cpus_going_down() - is SVM going off on every CPU for a reboot?
 *
 * Read with interrupts off just before CLGI: the reboot notifier sets it
 * before the IPIs that turn SVM off, which that CPU then takes only
 * after its STGI, so a CPU that reads false can finish its VMRUN.
 *
 * Return: true once svm_reboot() has begun.
 */
bool svm_cpus_going_down(void)
{
	return READ_ONCE(svm_going_down);
}

/*
 * Leave SVM off on every CPU before a reboot or kexec: the next kernel
 * (or firmware) must not find EFER.SVME set by us.  vCPUs may still be
 * running (the system goes down under them): svm_cpus_going_down() keeps
 * them from the SVM instructions from now on.
 */
static int svm_reboot(struct notifier_block *nb, unsigned long code, void *p)
{
	WRITE_ONCE(svm_going_down, true);
	/* Seen by every CPU before it takes the IPI below. */
	smp_mb();
	on_each_cpu(svm_emergency_disable, NULL, 1);
	return NOTIFY_OK;
}

static struct notifier_block svm_reboot_nb = {
	.notifier_call = svm_reboot,
};

/**
 * svm_cpu_host_save_pa() - this CPU's page for VMSAVE/VMLOAD of host state.
 *
 * Call with preemption disabled.
 */
u64 svm_cpu_host_save_pa(void)
{
	return page_to_phys(this_cpu_read(svm_cpus.host_save));
}

/**
 * svm_cpu_host_tsc_aux() - this CPU's own TSC_AUX.
 *
 * VMRUN does not switch TSC_AUX, and no intercept covers RDPID, so the
 * run loop gives the guest its own around VMRUN and puts this back.
 * Call with preemption disabled.
 *
 * Return: the host's value, or -1 when the CPU has no TSC_AUX.
 */
u64 svm_cpu_host_tsc_aux(void)
{
	return this_cpu_read(svm_cpus.host_tsc_aux);
}

/**
 * svm_cpu_host_cr4_mce() - the host's CR4.MCE, for the CPU's CR4 in guests.
 *
 * A machine check with CR4.MCE clear shuts the CPU down instead of raising
 * #MC (APM vol. 2, 9.3), so a guest that never set the bit would turn
 * the host's machine check into a shutdown of the guest.  The CPU's CR4
 * keeps the host's bit under every guest; the guest sees its own.
 *
 * Return: X86_CR4_MCE or 0.
 */
u64 svm_cpu_host_cr4_mce(void)
{
	return cr4_read_shadow() & X86_CR4_MCE;
}

/**
 * svm_cpu_switch_vmcb() - record that the VMCB at @pa runs on this CPU.
 * @pa: the VMCB's physical address
 *
 * Call with preemption disabled.
 *
 * Return: true when another VMCB (or none) ran here last.
 */
bool svm_cpu_switch_vmcb(u64 pa)
{
	if (this_cpu_read(svm_cpus.last_vmcb) == pa)
		return false;
	this_cpu_write(svm_cpus.last_vmcb, pa);
	return true;
}

/**
 * svm_cpu_assign_asid() - give a vCPU a valid ASID on this CPU.
 * @asid: the vCPU's ASID, updated when a new one is needed
 * @gen: the generation @asid belongs to, updated with it
 * @asid_cpu: the CPU @asid belongs to, updated with it
 *
 * ASIDs come from a per-CPU pool: a vCPU that moved here, or whose ASID
 * is from an older generation, takes the next free one.  TLB entries are
 * tagged by ASID, so a fresh ASID is a clean TLB.  When the pool runs
 * out, a new generation starts and the whole TLB must be flushed:
 *
 *   vCPU's ASID	pool		action
 *   this CPU, this gen	-		keep it (no flush)
 *   other CPU or gen	not empty	take next (no flush)
 *   other CPU or gen	empty		gen++, take 1, flush all ASIDs
 *
 * Call with preemption disabled.
 *
 * Return: true when the caller must flush the whole TLB on this VMRUN.
 */
bool svm_cpu_assign_asid(u32 *asid, u64 *gen, int *asid_cpu)
{
	struct svm_cpu *sc = this_cpu_ptr(&svm_cpus);
	int cpu = smp_processor_id();
	bool flush = false;

	if (*asid_cpu == cpu && *gen == sc->asid_gen)
		return false;
	if (sc->next_asid > sc->max_asid) {
		sc->asid_gen++;
		sc->next_asid = 1;
		flush = true;
	}
	*asid = sc->next_asid++;
	*gen = sc->asid_gen;
	*asid_cpu = cpu;
	return flush;
}

/**
 * svm_check_boot_cpu() - refuse early, with one clear line, on a host
 * that cannot run SVM at all.
 *
 * Return: 0, or -ENODEV when the boot CPU is not AMD/Hygon or has no SVM.
 */
int svm_check_boot_cpu(void)
{
	if (boot_cpu_data.x86_vendor != X86_VENDOR_AMD &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_HYGON) {
		pr_err("not an AMD or Hygon CPU: SVM (AMD-V) is not available\n");
		return -ENODEV;
	}
	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_err("CPU does not support SVM (AMD-V), or it is hidden from this kernel\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * svm_cpus_enable() - enable SVM on every online CPU and on every CPU that
 * comes online later.
 *
 * Return: 0, or the first CPU's error; on error no CPU is left enabled.
 */
int svm_cpus_enable(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "svmhv:online",
				svm_cpu_online, svm_cpu_offline);
	if (ret < 0)
		return ret;
	svm_cpuhp_state = ret;

	ret = register_reboot_notifier(&svm_reboot_nb);
	if (ret) {
		cpuhp_remove_state(svm_cpuhp_state);
		return ret;
	}
	return 0;
}

/**
 * svm_cpus_disable() - undo svm_cpus_enable() on every CPU.
 */
void svm_cpus_disable(void)
{
	unregister_reboot_notifier(&svm_reboot_nb);
	cpuhp_remove_state(svm_cpuhp_state);
}

/**
 * svm_cpus_show() - one line per CPU with its SVM state and features.
 * @m: the seq_file to print to
 */
void svm_cpus_show(struct seq_file *m)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		const struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);
		const struct svm_features *f = &sc->features;

		if (!sc->enabled) {
			seq_printf(m, "cpu%u enabled=0\n", cpu);
			continue;
		}
		seq_printf(m, "cpu%u enabled=1 revision=%u asids=%u npt=%d nrips=%d decode_assists=%d flush_by_asid=%d vmcb_clean=%d pause_filter=%d\n",
			   cpu, f->revision, f->nr_asids, f->npt, f->nrips,
			   f->decode_assists, f->flush_by_asid, f->vmcb_clean,
			   f->pause_filter);
	}
	cpus_read_unlock();
}
