// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_STATS_FD: a VM's and each vCPU's counters in KVM's binary
 * statistics format (api.rst, "KVM_GET_STATS_FD"), for tools written for
 * KVM.  The file is a header, the id string, the descriptors and the data,
 * in that order; every read builds the whole image afresh (it is small)
 * and copies the part asked for, so the values are live.
 *
 * The names are KVM's where the meaning is the same (pages_4k, exits,
 * io_exits, ...), svmhv's own otherwise.  SVMHV_GET_VM_STATS has more.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "stats.h"
#include "vm.h"

/* KVM's size for the id string and for each descriptor's name. */
#define SVM_STATS_NAME_SIZE	48

#define SVM_CUMULATIVE	(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE | \
			 KVM_STATS_BASE_POW10)
#define SVM_INSTANT	(KVM_STATS_TYPE_INSTANT | KVM_STATS_UNIT_NONE | \
			 KVM_STATS_BASE_POW10)

struct svm_stat {
	const char *name;
	u32 flags;
};

static const struct svm_stat svm_vm_stats[] = {
	{ "pages_4k", SVM_INSTANT },		/* leaves mapped now */
	{ "pages_2m", SVM_INSTANT },
	{ "pages_1g", SVM_INSTANT },
	{ "pinned_pages", SVM_INSTANT },
};

/* runs, exits, then one per enum svmhv_exit_stat, in its order. */
#define SVM_VCPU_EXIT_BASE	2
static const struct svm_stat svm_vcpu_stats[] = {
	{ "runs", SVM_CUMULATIVE },
	{ "exits", SVM_CUMULATIVE },
	{ "irq_exits", SVM_CUMULATIVE },
	{ "cpuid_exits", SVM_CUMULATIVE },
	{ "halt_exits", SVM_CUMULATIVE },
	{ "io_exits", SVM_CUMULATIVE },
	{ "msr_exits", SVM_CUMULATIVE },
	{ "mmio_exits", SVM_CUMULATIVE },
	{ "npf_exits", SVM_CUMULATIVE },
	{ "vmmcall_exits", SVM_CUMULATIVE },
	{ "svm_insn_exits", SVM_CUMULATIVE },
	{ "shutdown_exits", SVM_CUMULATIVE },
	{ "other_exits", SVM_CUMULATIVE },
	{ "cr_exits", SVM_CUMULATIVE },
	{ "pf_exits", SVM_CUMULATIVE },
	{ "invlpg_exits", SVM_CUMULATIVE },
	{ "task_switch_exits", SVM_CUMULATIVE },
	{ "irq_window_exits", SVM_CUMULATIVE },
};
static_assert(ARRAY_SIZE(svm_vcpu_stats) ==
	      SVM_VCPU_EXIT_BASE + SVMHV_EXIT_STAT_NR);

#define SVM_STATS_MAX	ARRAY_SIZE(svm_vcpu_stats)
static_assert(ARRAY_SIZE(svm_vm_stats) <= SVM_STATS_MAX);

/* One stats file: a VM's (vcpu NULL) or a vCPU's; holds a VM reference. */
struct svm_stats_file {
	struct svm_vm *vm;
	struct svm_vcpu *vcpu;
	char id[SVM_STATS_NAME_SIZE];
};

static void svm_vm_stats_data(struct svm_vm *vm, u64 *data)
{
	down_read(&vm->slots_lock);
	data[0] = vm->leaves[SVMHV_LEAF_4K];
	data[1] = vm->leaves[SVMHV_LEAF_2M];
	data[2] = vm->leaves[SVMHV_LEAF_1G];
	data[3] = vm->pinned_pages;
	up_read(&vm->slots_lock);
}

static void svm_vcpu_stats_data(struct svm_vcpu *vcpu, u64 *data)
{
	int i;

	data[0] = READ_ONCE(vcpu->runs);
	data[1] = 0;
	for (i = 0; i < SVMHV_EXIT_STAT_NR; i++) {
		data[SVM_VCPU_EXIT_BASE + i] = READ_ONCE(vcpu->exits[i]);
		data[1] += data[SVM_VCPU_EXIT_BASE + i];
	}
}

/* The whole file into @buf; returns its size. */
static size_t svm_stats_image(const struct svm_stats_file *sf, u8 *buf)
{
	const struct svm_stat *st = sf->vcpu ? svm_vcpu_stats : svm_vm_stats;
	u32 n = sf->vcpu ? ARRAY_SIZE(svm_vcpu_stats) :
			   ARRAY_SIZE(svm_vm_stats);
	size_t desc_size = sizeof(struct kvm_stats_desc) + SVM_STATS_NAME_SIZE;
	struct kvm_stats_header *h = (void *)buf;
	u64 data[SVM_STATS_MAX];
	u32 i;

	h->flags = 0;
	h->name_size = SVM_STATS_NAME_SIZE;
	h->num_desc = n;
	h->id_offset = sizeof(*h);
	h->desc_offset = h->id_offset + SVM_STATS_NAME_SIZE;
	h->data_offset = h->desc_offset + n * desc_size;
	memcpy(buf + h->id_offset, sf->id, SVM_STATS_NAME_SIZE);
	for (i = 0; i < n; i++) {
		struct kvm_stats_desc *d = (void *)(buf + h->desc_offset +
						     i * desc_size);

		memset(d, 0, desc_size);
		d->flags = st[i].flags;
		d->size = 1;
		d->offset = i * sizeof(u64);
		strscpy(d->name, st[i].name, SVM_STATS_NAME_SIZE);
	}
	if (sf->vcpu)
		svm_vcpu_stats_data(sf->vcpu, data);
	else
		svm_vm_stats_data(sf->vm, data);
	memcpy(buf + h->data_offset, data, n * sizeof(u64));
	return h->data_offset + n * sizeof(u64);
}

#define SVM_STATS_IMAGE_MAX						\
	(sizeof(struct kvm_stats_header) + SVM_STATS_NAME_SIZE +	\
	 SVM_STATS_MAX * (sizeof(struct kvm_stats_desc) +		\
			  SVM_STATS_NAME_SIZE + sizeof(u64)))

static ssize_t svm_stats_read(struct file *file, char __user *ubuf,
			      size_t size, loff_t *pos)
{
	u8 *buf = kzalloc(SVM_STATS_IMAGE_MAX, GFP_KERNEL_ACCOUNT);
	ssize_t ret;

	if (!buf)
		return -ENOMEM;
	ret = simple_read_from_buffer(ubuf, size, pos, buf,
				      svm_stats_image(file->private_data, buf));
	kfree(buf);
	return ret;
}

static int svm_stats_release(struct inode *inode, struct file *file)
{
	struct svm_stats_file *sf = file->private_data;

	svm_vm_put(sf->vm);
	kfree(sf);
	return 0;
}

static const struct file_operations svm_stats_fops = {
	.owner = THIS_MODULE,
	.read = svm_stats_read,
	.release = svm_stats_release,
	.llseek = noop_llseek,
};

/**
 * svm_get_stats_fd() - KVM_GET_STATS_FD on a VM or a vCPU.
 * @vm: the VM
 * @vcpu: the vCPU, or NULL for the VM's statistics
 *
 * Return: a new read-only file descriptor, or a negative errno.
 */
int svm_get_stats_fd(struct svm_vm *vm, struct svm_vcpu *vcpu)
{
	struct svm_stats_file *sf;
	struct file *file;
	int fd;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->vm = vm;
	sf->vcpu = vcpu;
	if (vcpu)
		snprintf(sf->id, sizeof(sf->id), "kvm-%d/vcpu-%u",
			 task_pid_nr(current), vcpu->id);
	else
		snprintf(sf->id, sizeof(sf->id), "kvm-%d",
			 task_pid_nr(current));
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto out_free;
	file = anon_inode_getfile("svmhv-stats", &svm_stats_fops, sf,
				  O_RDONLY);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto out_free;
	}
	/* Read at offsets (pread), as KVM's statistics files are. */
	file->f_mode |= FMODE_PREAD;
	kref_get(&vm->ref);
	fd_install(fd, file);
	return fd;

out_free:
	kfree(sf);
	return fd;
}
