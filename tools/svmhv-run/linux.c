// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv-run --kernel: boot a Linux bzImage through the x86 64-bit boot
 * protocol (Documentation/x86/boot.rst, "64-bit Boot Protocol"; the zero
 * page is Documentation/x86/zero-page.rst) on a machine of one vCPU with
 * the PIC pair, the PIT, a 16550A at 0x3F8, the CMOS RTC and the reset
 * ports, and run it with its serial console on the terminal.
 *
 * Guest-physical memory is one RAM range from 0 (at most 3G, so it stays
 * below the 32-bit PCI hole and the 4G of identity map the kernel starts
 * on); the e820 map gives the guest all of it but the legacy hole
 * 0xA0000-0xFFFFF.  Below 1M: the GDT at 0x1000, the page tables from
 * 0x2000, the zero page at 0x10000, the command line at 0x20000.  The
 * kernel goes at its pref_address (relocatable) or 1M, the initrd as high
 * as the kernel allows.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bench.h"
#include "console.h"
#include "kvmc.h"
#include "linux.h"
#include "pcdev.h"

#define GDT_GPA		0x1000
#define ZERO_PAGE_GPA	0x10000
#define CMDLINE_GPA	0x20000
#define STACK_TOP	0x80000
#define LEGACY_HOLE	0xa0000		/* to 1M: reserved in the e820 map */
#define HIGH_MEM	0x100000

#define BOOT_CS		0x10		/* __BOOT_CS: GDT entry 2 */
#define BOOT_DS		0x18		/* __BOOT_DS: GDT entry 3 */

#define HDR_MAGIC	0x53726448	/* "HdrS" */
#define BOOT_FLAG	0xaa55
#define MIN_PROTOCOL	0x020c		/* 2.12: xloadflags */
#define XLF_KERNEL_64	0x01		/* the 64-bit entry at +0x200 */
#define XLF_ABOVE_4G	0x02		/* kernel, initrd... above 4G */
#define TYPE_UNKNOWN	0xff		/* type_of_loader: no assigned id */
#define VID_NORMAL	0xffff

#define E820_RAM	1
#define E820_RESERVED	2

#define APIC_BASE_ENABLE	(1ULL << 11)
#define RFLAGS_IF		(1ULL << 9)

/* Byte-packed, as in the file: */
#pragma pack(push, 1)

/* The setup header, at 0x1f1 of the bzImage and of the zero page. */
struct setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;
	uint16_t jump;
	uint32_t header;
	uint16_t version;
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
};

#define HDR_OFFSET	0x1f1
#define HDR_AT(field, off) \
	_Static_assert(HDR_OFFSET + offsetof(struct setup_header, field) == \
		       (off), #field)
HDR_AT(boot_flag, 0x1fe);
HDR_AT(header, 0x202);
HDR_AT(type_of_loader, 0x210);
HDR_AT(code32_start, 0x214);
HDR_AT(cmd_line_ptr, 0x228);
HDR_AT(xloadflags, 0x236);
HDR_AT(pref_address, 0x258);
HDR_AT(init_size, 0x260);

/* The rest of the zero page that svmhv-run fills. */
#define ZP_EXT_RAMDISK_IMAGE	0x0c0
#define ZP_EXT_RAMDISK_SIZE	0x0c4
#define ZP_EXT_CMD_LINE_PTR	0x0c8
#define ZP_E820_ENTRIES		0x1e8
#define ZP_HDR_END		0x290	/* edd_mbr_sig_buffer follows hdr */
#define ZP_E820_TABLE		0x2d0

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

#pragma pack(pop)
_Static_assert(sizeof(struct e820_entry) == 20, "e820 entry");

/* A bzImage, checked, and where its parts go in this guest. */
struct bzimage {
	const uint8_t *file;
	size_t hdr_len;			/* of the setup header, from 0x1f1 */
	struct setup_header hdr;
	uint64_t code_off, code_len;	/* the protected-mode kernel */
	uint64_t load;			/* where it goes */
	uint64_t end;			/* load + what it needs there */
	const uint8_t *initrd;
	uint64_t initrd_len;
	uint64_t initrd_gpa;
	const char *cmdline;
};

/* The devices of the run: svmhv's UART fd, or KVM's userspace ones. */
static struct {
	int uart_fd;
	struct pcdev pc;
	bool console_on;
} mach = { .uart_fd = -1 };

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static void parse_bzimage(struct bzimage *bz, const char *path,
			  const uint8_t *f, size_t len)
{
	struct setup_header *h = &bz->hdr;
	uint64_t runtime;
	unsigned int sects;

	if (len < HDR_OFFSET + sizeof(*h))
		die("%s: too short for a bzImage", path);
	memcpy(h, f + HDR_OFFSET, sizeof(*h));
	if (h->boot_flag != BOOT_FLAG || h->header != HDR_MAGIC)
		die("%s: not a bzImage (no \"HdrS\" setup header)", path);
	if (h->version < MIN_PROTOCOL)
		die("%s: boot protocol %u.%02u; svmhv-run needs 2.12 or later",
		    path, h->version >> 8, h->version & 0xff);
	if (!(h->xloadflags & XLF_KERNEL_64))
		die("%s: no 64-bit entry point (XLF_KERNEL_64 clear)", path);
	/* boot.rst: the header ends at 0x202 + the byte at 0x201. */
	bz->hdr_len = 0x202 + f[0x201] - HDR_OFFSET;
	if (bz->hdr_len > ZP_HDR_END - HDR_OFFSET)
		bz->hdr_len = ZP_HDR_END - HDR_OFFSET;
	sects = h->setup_sects ? h->setup_sects : 4;
	bz->code_off = (sects + 1) * 512ULL;
	if (bz->code_off >= len)
		die("%s: no protected-mode kernel after %u setup sectors",
		    path, sects);
	bz->code_len = len - bz->code_off;
	bz->file = f;
	bz->load = HIGH_MEM;
	if (h->relocatable_kernel && h->pref_address) {
		bz->load = h->pref_address;
		if (h->kernel_alignment)
			bz->load = align_up(bz->load, h->kernel_alignment);
	}
	/*
	 * boot.rst, init_size: a kernel that is not relocatable runs at
	 * pref_address whatever the load address, and needs init_size
	 * bytes from where it runs.
	 */
	runtime = h->relocatable_kernel || !h->pref_address ? bz->load :
							      h->pref_address;
	bz->end = bz->load + bz->code_len;
	if (bz->end < runtime + h->init_size)
		bz->end = runtime + h->init_size;
}

static unsigned long long mib(uint64_t bytes)
{
	return (bytes + (1 << 20) - 1) >> 20;
}

/* Where the initrd goes: as high as the kernel takes it, below mem_end. */
static void place_initrd(struct bzimage *bz, uint64_t mem_end)
{
	uint64_t top = mem_end;

	if (!bz->initrd_len)
		return;
	if (!(bz->hdr.xloadflags & XLF_ABOVE_4G) &&
	    top > (uint64_t)bz->hdr.initrd_addr_max + 1)
		top = (uint64_t)bz->hdr.initrd_addr_max + 1;
	if (bz->initrd_len > top || ((top - bz->initrd_len) & ~0xfffULL) <
				    bz->end) {
		if (top < mem_end)
			die("the initrd (%lluM) does not fit between the kernel (to %#llx) and its initrd_addr_max %#x",
			    mib(bz->initrd_len), (unsigned long long)bz->end,
			    bz->hdr.initrd_addr_max);
		die("--mem %lluM is too small for the kernel (%#llx-%#llx, its init_size) and the initrd (%lluM): give at least --mem %lluM",
		    mib(mem_end), (unsigned long long)bz->load,
		    (unsigned long long)bz->end, mib(bz->initrd_len),
		    mib(bz->end + align_up(bz->initrd_len, 4096)));
	}
	bz->initrd_gpa = (top - bz->initrd_len) & ~0xfffULL;
}

/* Everything about the guest's memory that can be checked up front. */
static void plan(struct bzimage *bz, const struct opts *o)
{
	if (bz->end > o->vm.mem)
		die("--mem %lluM is too small for the kernel: it needs %#llx-%#llx (its init_size); give at least --mem %lluM",
		    mib(o->vm.mem), (unsigned long long)bz->load,
		    (unsigned long long)bz->end, mib(bz->end));
	if (strlen(bz->cmdline) > bz->hdr.cmdline_size)
		die("the command line is %zu bytes; the kernel takes %u",
		    strlen(bz->cmdline), bz->hdr.cmdline_size);
	place_initrd(bz, o->vm.mem);
}

static int build_e820(struct e820_entry *e, uint64_t mem_end)
{
	e[0] = (struct e820_entry){ 0, LEGACY_HOLE, E820_RAM };
	e[1] = (struct e820_entry){ LEGACY_HOLE, HIGH_MEM - LEGACY_HOLE,
				    E820_RESERVED };
	e[2] = (struct e820_entry){ HIGH_MEM, mem_end - HIGH_MEM, E820_RAM };
	return 3;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The zero page: the kernel's own header, then what a loader fills. */
static void build_zero_page(struct guest *g, const struct bzimage *bz)
{
	uint8_t *zp = g->mem + ZERO_PAGE_GPA;
	struct setup_header h;

	memset(zp, 0, 4096);
	memcpy(zp + HDR_OFFSET, bz->file + HDR_OFFSET, bz->hdr_len);
	memcpy(&h, zp + HDR_OFFSET, sizeof(h));
	h.vid_mode = VID_NORMAL;
	h.type_of_loader = TYPE_UNKNOWN;
	h.code32_start = bz->load;
	h.cmd_line_ptr = CMDLINE_GPA;
	h.ramdisk_image = (uint32_t)bz->initrd_gpa;
	h.ramdisk_size = (uint32_t)bz->initrd_len;
	memcpy(zp + HDR_OFFSET, &h, bz->hdr_len < sizeof(h) ? bz->hdr_len :
			      sizeof(h));
	put32(zp + ZP_EXT_RAMDISK_IMAGE, bz->initrd_gpa >> 32);
	put32(zp + ZP_EXT_RAMDISK_SIZE, bz->initrd_len >> 32);
	put32(zp + ZP_EXT_CMD_LINE_PTR, 0);
	zp[ZP_E820_ENTRIES] = build_e820((void *)(zp + ZP_E820_TABLE),
					 g->mem_size);
}

/*
 * boot.rst's 64-bit entry state: long mode, paging on with the kernel,
 * the zero page and the command line identity-mapped (all of the first
 * 4G here), __BOOT_CS and __BOOT_DS flat, interrupts off, RSI = the zero
 * page.
 */
static void set_entry_state(struct guest *g, const struct bzimage *bz)
{
	uint64_t *gdt = (uint64_t *)(g->mem + GDT_GPA);
	struct kvm_regs r = { .rflags = 2, .rip = bz->load + 0x200,
			      .rsi = ZERO_PAGE_GPA, .rsp = STACK_TOP };
	struct kvm_sregs sr;

	memset(gdt, 0, 4 * 8);
	gdt[BOOT_CS / 8] = 0x00af9b000000ffffULL;	/* 64-bit code */
	gdt[BOOT_DS / 8] = 0x00cf93000000ffffULL;	/* data */
	get_sregs(g, &sr);
	sr.gdt.base = GDT_GPA;
	sr.gdt.limit = 4 * 8 - 1;
	seg(&sr.cs, BOOT_CS, 0, 0xffffffff, 0xb, false, true, true);
	seg(&sr.ds, BOOT_DS, 0, 0xffffffff, 0x3, true, false, true);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.cr3 = build_page_tables(g, LONG);
	sr.cr0 = 0x80000011;				/* PG, ET, PE */
	sr.cr4 = 0x20;					/* PAE */
	sr.efer = 0x500;				/* LMA, LME */
	/*
	 * No local APIC for the guest: svmhv has none in the kernel, and
	 * KVM's would keep the PIC's interrupts from the CPU (LVT0 is
	 * masked at reset).  Disabled in the APIC base, it is gone from
	 * CPUID too (1.EDX.APIC follows the enable bit, on both).
	 */
	sr.apic_base &= ~APIC_BASE_ENABLE;
	set_sregs(g, &sr);
	set_regs(g, &r);
}

static void load_linux(struct guest *g, const struct bzimage *bz)
{
	copy_in(g, bz->load, bz->file + bz->code_off, bz->code_len,
		"the kernel");
	if (bz->initrd_len)
		copy_in(g, bz->initrd_gpa, bz->initrd, bz->initrd_len,
			"the initrd");
	copy_in(g, CMDLINE_GPA, bz->cmdline, strlen(bz->cmdline) + 1,
		"the command line");
	build_zero_page(g, bz);
	set_entry_state(g, bz);
}

/* A VM ioctl svmhv may not have yet: say which one is missing. */
static int vm_ioctl(struct guest *g, const struct opts *o, unsigned long req,
		    unsigned long arg, const char *name, const char *what)
{
	int r = ioctl(g->vm, req, arg);

	if (r >= 0)
		return r;
	if (g->svmhv && (errno == ENOTTY || errno == EINVAL))
		die("%s lacks %s (%s): this svmhv.ko has no %s, which --kernel needs",
		    o->vm.device, name, strerror(errno), what);
	die("%s: %s", name, strerror(errno));
	return -1;
}

/*
 * The VM's devices, before its vCPU exists.  Both devices get their
 * in-kernel PIC pair and PIT.  On svmhv the module also has the UART, the
 * RTC and the reset and delay ports; on KVM pcdev.c emulates those.  Dies
 * naming the ioctl svmhv lacks, if any.
 */
static void create_devices(struct guest *g, const struct opts *o)
{
	struct kvm_pit_config pit = { .flags = 0 };
	uint64_t ident = 0xfeffc000;

	if (!g->svmhv) {
		/* VMX needs these two below 4G; SVM ignores them. */
		if (ioctl(g->vm, KVM_SET_IDENTITY_MAP_ADDR, &ident))
			die("KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(errno));
		if (ioctl(g->vm, KVM_SET_TSS_ADDR, 0xfeffd000UL))
			die("KVM_SET_TSS_ADDR: %s", strerror(errno));
	}
	vm_ioctl(g, o, KVM_CREATE_IRQCHIP, 0, "KVM_CREATE_IRQCHIP",
		 "in-kernel PIC");
	vm_ioctl(g, o, KVM_CREATE_PIT2, (unsigned long)&pit,
		 "KVM_CREATE_PIT2", "in-kernel PIT");
	if (!g->svmhv) {
		pcdev_init(&mach.pc, g->vm);
		return;
	}
	mach.uart_fd = vm_ioctl(g, o, SVMHV_CREATE_UART, 0,
				"SVMHV_CREATE_UART", "in-kernel UART");
	vm_ioctl(g, o, SVMHV_ENABLE_PC_PORTS, 0, "SVMHV_ENABLE_PC_PORTS",
		 "in-kernel RTC and reset ports");
}

/*
 * On /dev/kvm, a one-byte access to a port of pcdev.c, if it is one; what
 * the UART did goes on to the terminal.
 */
static bool pcdev_port(uint16_t port, bool write, uint8_t *val)
{
	struct pcdev_io io;

	if (!pcdev_pio(&mach.pc, port, write, val, &io))
		return false;
	if (io.tx)
		console_output(&io.tx_byte, 1);
	if (io.rx_room)
		console_rx_room();
	return true;
}

/* KVM_EXIT_IO; returns the status when the run ends (*done). */
static int linux_io(struct guest *g, const struct opts *o, bool *done)
{
	struct kvm_run *run = g->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool write = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t i;

	for (i = 0; i < run->io.count; i++, data += run->io.size) {
		if (o->nphases && write && run->io.port == PORT_MARK) {
			if (bench_linux_mark(g, o))
				continue;
			*done = true;
			return EXIT_GUEST;
		}
		if (!g->svmhv && run->io.size == 1 &&
		    pcdev_port(run->io.port, write, data))
			continue;
		if (write && run->io.port == o->exit_port) {
			*done = true;
			return data[0] & 0x7f;
		}
		if (!write)
			memset(data, 0xff, run->io.size);	/* nobody */
		else if (o->verbose)
			fprintf(stderr, "svmhv-run: out %#x to port %#x ignored\n",
				data[0], run->io.port);
	}
	if (!g->svmhv && mach.pc.reset) {
		*done = true;
		return EXIT_REBOOT;
	}
	return 0;
}

/*
 * KVM halts the vCPU in the kernel when the irqchip is there, interrupts
 * off or not; the console thread's kicks bring KVM_RUN back now and then
 * to look.  Halted with IF=0 and no NMI source: halted for good.
 */
static bool kvm_halted_for_good(struct guest *g)
{
	struct kvm_mp_state mp;
	struct kvm_regs r;

	if (ioctl(g->vcpu, KVM_GET_MP_STATE, &mp))
		die("KVM_GET_MP_STATE: %s", strerror(errno));
	if (mp.mp_state != KVM_MP_STATE_HALTED)
		return false;
	get_regs(g, &r);
	return !(r.rflags & RFLAGS_IF);
}

static int system_event(struct guest *g)
{
	switch (g->run->system_event.type) {
	case KVM_SYSTEM_EVENT_RESET:
		return EXIT_REBOOT;
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		return 0;
	default:
		return crashed("system event %u",
			       g->run->system_event.type);
	}
}

/* Returns the exit status once the run ends. */
static int linux_exit(struct guest *g, const struct opts *o, bool *done)
{
	struct kvm_run *run = g->run;

	*done = true;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		*done = false;
		return linux_io(g, o, done);
	case KVM_EXIT_MMIO:		/* nothing there */
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		*done = false;
		return 0;
	case KVM_EXIT_HLT:		/* svmhv: halted with nothing to wake it */
		return 0;
	case KVM_EXIT_SHUTDOWN:		/* a triple fault resets a PC */
		return EXIT_REBOOT;
	case KVM_EXIT_SYSTEM_EVENT:
		return system_event(g);
	default:
		return crashed_exit(run);
	}
}

static int run_linux(struct guest *g, const struct opts *o)
{
	bool done = false;
	int status = 0;

	while (!done) {
		if (console_quit())	/* Ctrl-A x between two boots */
			return EXIT_QUIT;
		if (ioctl(g->vcpu, KVM_RUN, 0) < 0) {
			if (errno != EINTR && errno != EAGAIN)
				die("KVM_RUN: %s", strerror(errno));
			g->run->immediate_exit = 0;
			if (console_quit())
				return EXIT_QUIT;
			if (!g->svmhv && kvm_halted_for_good(g))
				return 0;
			continue;
		}
		status = linux_exit(g, o, &done);
	}
	return status;
}

static int boot_once(struct guest *g, const struct opts *o,
		     const struct bzimage *bz)
{
	int status;

	create_vm(g, &o->vm);
	create_devices(g, o);
	add_memory(g, &o->vm);
	add_vcpu(g);
	bench_vm_start();
	load_linux(g, bz);
	if (!mach.console_on) {
		console_init();
		mach.console_on = true;
	}
	console_start(g->run, mach.uart_fd, g->svmhv ? NULL : &mach.pc);
	if (o->nphases)
		bench_linux_start(g);
	status = run_linux(g, o);
	console_stop();
	if (mach.uart_fd >= 0)
		close(mach.uart_fd);
	mach.uart_fd = -1;
	bench_vm_end();
	destroy_vm(g);
	return status;
}

/**
 * linux_main() - svmhv-run --kernel.
 * @o: the options
 *
 * Return: the exit status: 0 when the guest powered off or halted for
 * good, EXIT_REBOOT when it reset the machine (unless o->reboot_restart),
 * EXIT_QUIT for Ctrl-A x, the guest's own through the exit port, or
 * EXIT_GUEST when it crashed.
 */
int linux_main(const struct opts *o)
{
	struct guest g = { 0 };
	struct bzimage bz = { 0 };
	size_t len, initrd_len = 0;
	const uint8_t *kernel = read_file(o->kernel, &len);
	int status;

	parse_bzimage(&bz, o->kernel, kernel, len);
	if (o->initrd)
		bz.initrd = read_file(o->initrd, &initrd_len);
	bz.initrd_len = initrd_len;
	bz.cmdline = o->append;
	plan(&bz, o);
	open_device(&g, &o->vm);
	for (;;) {
		status = boot_once(&g, o, &bz);
		if (o->nphases)
			return bench_linux_finish(&g, o, status);
		if (status != EXIT_REBOOT || !o->reboot_restart)
			return status;
		fprintf(stderr, "\nsvmhv-run: the guest rebooted: booting it again\n");
	}
}
