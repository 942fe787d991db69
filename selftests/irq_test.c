// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts, halting and the in-kernel devices: long-mode guests with an
 * IDT program the PIC and the PIT and take their interrupts.  The PIT's
 * interrupts are counted over a measured host time (the count must fit
 * the programmed rate, loosely: a count, not a benchmark), with the guest
 * in HLT and spinning; KVM_IRQ_LINE from another thread wakes a guest
 * blocked in HLT with the right vector; an IRQ raised while IF=0 is taken
 * right after STI's shadow; an IRQ masked in the IMR is not taken until
 * unmasked; KVM_SET_GSI_ROUTING moves KVM_IRQ_LINE's GSIs; the local
 * APIC KVM_CREATE_IRQCHIP gives vCPU 0 takes a self-IPI, keeps it in
 * service until the EOI and holds vectors back by the TPR, set through
 * its register or CR8, and its page reads all ones while it is
 * disabled; its timer interrupts a HLTing guest at its periodic rate
 * and once, on time, in one-shot mode.  svmhv only: a HLT with IF=0 exits as KVM_EXIT_HLT; the UART
 * file carries the guest's output out and input in (IRQ 4); the CMOS RTC
 * has today's date; the reset ports end KVM_RUN with
 * KVM_EXIT_SYSTEM_EVENT; ports no device has still exit.  Bad requests
 * get KVM's errnos (svmhv's where it differs on purpose, marked), and a
 * process killed while its vCPU is blocked in HLT leaves nothing behind.
 *
 * Runs on kvm_amd too ($SVMHV_DEVICE=/dev/kvm, with KVM's irqchip and
 * PIT), where what is svmhv's own is skipped.
 *
 * Guest memory (4 MiB at 0, identity-mapped by vm_setup_long()):
 *   0x1000 GDT  0x2000-0x4fff page tables  0x5000 the APIC's page
 *   directory (map_apic())  0x6000 IDT  0x7000 stubs
 *   0x9000 interrupt handler  0x9800 exception handler  0xc000 cells
 *   (irq_code.S)  0x10000 the program  0x80000 stack
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "svmhv_util.h"
#include "vm_util.h"
#include "../uapi/svmhv.h"
#include "irq_code.h"

#define MEM_SIZE	(4UL << 20)
#define IDT_GPA		0x6000
#define STUB_GPA	0x7000
#define HANDLER_GPA	0x9000
#define EXC_GPA		0x9800
#define CODE_GPA	0x10000
#define NR_VECTORS	64
#define PIT_HZ		1193182
#define PINNED_PAGES	"/sys/kernel/debug/svmhv/pinned_pages"

/* Devices for irq_vm_create(). */
#define WITH_IRQCHIP	0x1
#define WITH_PIT	0x2
#define WITH_UART	0x4
#define WITH_PORTS	0x8

/* How one KVM_RUN ended. */
struct stop {
	int ret, err;
	uint32_t reason;
	uint16_t port;
	uint8_t dir;
	uint32_t val;		/* an OUT's first element */
};

static struct stop run_vcpu(struct vm *vm)
{
	struct kvm_run *r = vm->run;
	struct stop s = { 0 };

	s.ret = vm_run(vm);
	s.err = s.ret ? errno : 0;
	s.reason = r->exit_reason;
	if (!s.ret && r->exit_reason == KVM_EXIT_IO) {
		s.port = r->io.port;
		s.dir = r->io.direction;
		memcpy(&s.val, (uint8_t *)r + r->io.data_offset,
		       r->io.size < 4 ? r->io.size : 4);
	}
	return s;
}

/* The guest's exception report, for a message; -1 if it is not one. */
static int exception_of(const struct stop *s)
{
	return !s->ret && s->reason == KVM_EXIT_IO && s->port == EXC_PORT ?
	       (int)s->val : -1;
}

/* A KVM_RUN that must end with an OUT of a result on the report port. */
#define ASSERT_REPORT(vm, expected) do {				\
	struct stop __s = run_vcpu(vm);					\
									\
	ASSERT_EQ(0, __s.ret) TH_LOG("KVM_RUN: %s", strerror(__s.err));	\
	ASSERT_EQ(KVM_EXIT_IO, __s.reason);				\
	ASSERT_EQ(REPORT_PORT, __s.port)				\
		TH_LOG("port %#x, exception %d", __s.port,		\
		       exception_of(&__s));				\
	ASSERT_EQ((uint32_t)(expected), __s.val);			\
} while (0)

static uint64_t cell(struct vm *vm, uint64_t gpa)
{
	return __atomic_load_n((uint64_t *)(vm->mem + gpa), __ATOMIC_RELAXED);
}

static uint64_t irq_count(struct vm *vm, int irq)
{
	return cell(vm, COUNTS + 8 * (PIC_BASE + irq));
}

/*
 * A VM with @with's devices (created before the vCPU, as KVM wants the
 * irqchip), its memory and vCPU 0 with all the CPUID there is; the
 * UART's descriptor in *@uart_fd.
 */
static int irq_vm_create(struct vm *vm, int with, int *uart_fd)
{
	struct kvm_pit_config pit = { 0 };
	int ret;

	ret = vm_create_bare(vm, MEM_SIZE);
	if (ret)
		return ret;
	if ((with & WITH_IRQCHIP) && ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
		return -errno;
	if ((with & WITH_PIT) && ioctl(vm->fd, KVM_CREATE_PIT2, &pit))
		return -errno;
	if (with & WITH_UART) {
		*uart_fd = ioctl(vm->fd, SVMHV_CREATE_UART, 0);
		if (*uart_fd < 0)
			return -errno;
	}
	if ((with & WITH_PORTS) && ioctl(vm->fd, SVMHV_ENABLE_PC_PORTS, 0))
		return -errno;
	ret = vm_create_vcpu0(vm);
	return ret ? ret : vm_set_cpuid(vm);
}

/* Long mode, the IDT and handlers, the program at CODE_GPA; RDI, RSI. */
static void guest_setup(struct vm *vm, const unsigned char *start,
			const unsigned char *end, uint64_t rdi, uint64_t rsi)
{
	struct kvm_sregs sr;
	struct kvm_regs r;
	int v;

	vm_setup_long(vm, CODE_GPA, start, end - start);
	memcpy(vm->mem + HANDLER_GPA, irq_handler_start,
	       IRQ_CODE_LEN(irq_handler));
	memcpy(vm->mem + EXC_GPA, exc_handler_start,
	       IRQ_CODE_LEN(exc_handler));
	/* Exceptions to exc_handler, with an error code; the rest as is. */
	for (v = 0; v < 32; v++)
		vm_set_idt_stub(vm, IDT_GPA, STUB_GPA, v, EXC_GPA,
				!vm_has_error_code(v));
	for (; v < NR_VECTORS; v++)
		vm_set_idt_stub(vm, IDT_GPA, STUB_GPA, v, HANDLER_GPA, false);
	ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sr);
	sr.idt.base = IDT_GPA;
	sr.idt.limit = NR_VECTORS * 16 - 1;
	ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr);
	ioctl(vm->vcpu_fd, KVM_GET_REGS, &r);
	r.rdi = rdi;
	r.rsi = rsi;
	ioctl(vm->vcpu_fd, KVM_SET_REGS, &r);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

/*
 * Wait (up to 20 s) until task @tid of process @pid sleeps in a vCPU's
 * halt: state S in a function that says so (svm_vcpu_halt on svmhv,
 * kvm_vcpu_block/halt on KVM).  wchan "0" (hidden) counts as a match.
 */
static bool wait_halted(pid_t pid, pid_t tid)
{
	char path[96], buf[512], *p;
	int i;

	for (i = 0; i < 4000; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
		if (read_file(path, buf, sizeof(buf)) > 0) {
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S') {
				snprintf(path, sizeof(path),
					 "/proc/%d/task/%d/wchan", pid, tid);
				if (read_file(path, buf, sizeof(buf)) < 0 ||
				    !strcmp(buf, "0") || strstr(buf, "halt") ||
				    strstr(buf, "block"))
					return true;
			}
		}
		usleep(5000);
	}
	return false;
}

FIXTURE(irq) {
	struct vm vm;
	int uart_fd;
};

FIXTURE_SETUP(irq)
{
	memset(&self->vm, 0, sizeof(self->vm));
	self->vm.sys_fd = self->vm.fd = self->vm.vcpu_fd = -1;
	self->uart_fd = -1;
	ASSERT_EQ(0, vm_device_up());
}

FIXTURE_TEARDOWN(irq)
{
	if (self->uart_fd >= 0)
		close(self->uart_fd);
	vm_destroy(&self->vm);
}

static void on_alarm(int sig)
{
}

/*
 * Run the PIT guest (mode 2, @count PIT ticks per IRQ 0) for about a second
 * of host time, until SIGALRM; the IRQ 0 count must fit the rate: never
 * more than the periods that passed (they cannot come early), and at
 * least a quarter of them (generous: the emulated machine is slow and
 * shared; late periods are merged, not queued).
 */
static void pit_counts(struct __test_metadata *_metadata, struct vm *vm,
		       uint32_t count, bool spin)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_sec = 1 } };
	uint64_t start, ns, n, periods;
	struct stop s;

	guest_setup(vm, irq_pit_start, irq_pit_end, count, spin);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	start = now_ns();
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	s = run_vcpu(vm);
	ns = now_ns() - start;
	ASSERT_EQ(-1, s.ret) TH_LOG("exit %u port %#x exception %d",
				    s.reason, s.port, exception_of(&s));
	ASSERT_EQ(EINTR, s.err);
	EXPECT_EQ(KVM_EXIT_INTR, vm->run->exit_reason);
	n = irq_count(vm, 0);
	periods = ns * PIT_HZ / 1000000000ULL / count;
	TH_LOG("%llu IRQ 0 in %llu ms: %llu periods", (unsigned long long)n,
	       (unsigned long long)(ns / 1000000),
	       (unsigned long long)periods);
	EXPECT_LE(n, periods + 1);
	EXPECT_GE(n, periods / 4);
	EXPECT_LT(10, n);
	/* Only IRQ 0 came, and no exception. */
	EXPECT_EQ(PIC_BASE, cell(vm, LAST_VEC));
}

/* The guest HLTs with IF=1: each IRQ 0 wakes it (the hrtimer). */
TEST_F(irq, pit_wakes_hlt)
{
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP | WITH_PIT, NULL));
	pit_counts(_metadata, &self->vm, 4773, false);	/* 250 Hz */
	if (self->vm.is_svmhv) {
		struct svmhv_vm_stats st;

		ASSERT_EQ(0, ioctl(self->vm.fd, SVMHV_GET_VM_STATS, &st));
		/*
		 * About a HLT per interrupt (one may come while the guest
		 * is not halted yet), each blocked in the kernel: none
		 * came back as KVM_EXIT_HLT.
		 */
		EXPECT_LE(irq_count(&self->vm, 0) / 2,
			  st.exits[SVMHV_EXIT_HLT]);
	}
}

/*
 * The guest spins with IF=1: its interrupts must still come.  The host's
 * own tick also brings a spinning guest out (250 Hz on the test
 * machine's kernels), so this shows the interrupts reach it, not that
 * the vCPU's hrtimer is what brought them: a rate above the tick's that
 * a correct svmhv always meets would be a timing assertion on a loaded,
 * emulated machine (2 kHz gave 75% of the periods idle, 20% under load).
 */
TEST_F(irq, pit_interrupts_spinning_guest)
{
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP | WITH_PIT, NULL));
	pit_counts(_metadata, &self->vm, 2386, true);	/* 500 Hz */
}

struct raiser {
	struct vm *vm;
	pid_t tid;		/* the vCPU thread, in HLT */
	int irq;
	bool halted;
	int ret, err;
};

static void *raise_when_halted(void *arg)
{
	struct raiser *r = arg;
	struct kvm_irq_level l = { .irq = r->irq, .level = 1 };

	r->halted = wait_halted(getpid(), r->tid);
	r->ret = ioctl(r->vm->fd, KVM_IRQ_LINE, &l);
	r->err = errno;
	l.level = 0;
	ioctl(r->vm->fd, KVM_IRQ_LINE, &l);
	return NULL;
}

/* KVM_IRQ_LINE from another thread ends a HLT blocked in KVM_RUN. */
TEST_F(irq, irq_line_wakes_hlt)
{
	struct raiser r = { .vm = &self->vm, .tid = gettid_(), .irq = 3 };
	pthread_t t;

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_wait_start, irq_wait_end, 0, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, raise_when_halted, &r));
	ASSERT_REPORT(&self->vm, PIC_BASE + 3);
	pthread_join(t, NULL);
	EXPECT_TRUE(r.halted) TH_LOG("the vCPU never slept in HLT");
	EXPECT_EQ(0, r.ret) TH_LOG("KVM_IRQ_LINE: %s", strerror(r.err));
	EXPECT_EQ(1, irq_count(&self->vm, 3));
	if (self->vm.is_svmhv) {
		struct svmhv_vm_stats st;

		ASSERT_EQ(0, ioctl(self->vm.fd, SVMHV_GET_VM_STATS, &st));
		EXPECT_LE(1, st.exits[SVMHV_EXIT_HLT]);
	}
}

/* KVM_RUN until the guest asks for its IRQ, then edge on @irq. */
static void raise_on_request(struct __test_metadata *_metadata,
			     struct vm *vm, int irq)
{
	struct kvm_irq_level l = { .irq = irq, .level = 1 };
	struct stop s = run_vcpu(vm);

	ASSERT_EQ(0, s.ret);
	ASSERT_EQ(KVM_EXIT_IO, s.reason);
	ASSERT_EQ(RAISE_PORT, s.port) TH_LOG("exception %d", exception_of(&s));
	ASSERT_EQ(0, ioctl(vm->fd, KVM_IRQ_LINE, &l));
	l.level = 0;
	ASSERT_EQ(0, ioctl(vm->fd, KVM_IRQ_LINE, &l));
}

/* Does @vm run under shadow paging? */
static bool under_shadow(struct vm *vm)
{
	struct svmhv_vm_stats st;

	if (!vm->is_svmhv)
		return vm_mmu() == SVMHV_MMU_SHADOW;
	return !ioctl(vm->fd, SVMHV_GET_VM_STATS, &st) &&
	       st.mmu == SVMHV_MMU_SHADOW;
}

/* svmhv: interrupt windows opened so far (VINTR exits). */
static uint64_t vintr_exits(struct vm *vm)
{
	struct svmhv_vm_stats st;

	if (ioctl(vm->fd, SVMHV_GET_VM_STATS, &st))
		return -1;
	return st.exits[SVMHV_EXIT_VINTR];
}

/*
 * An IRQ raised while IF=0 waits (interrupt window): it is taken after
 * STI and the instruction in its shadow, whether that instruction exits
 * without completing (a first write to a page: a #PF exit under shadow
 * paging) or is a HLT that the host completes.
 *
 * On svmhv, one window in all: the first IRQ waits for it (under shadow
 * paging the write's #PF exit comes in the shadow, and the IRQ is not
 * injected there); the HLT ends the shadow, so the second IRQ is
 * injected at once.
 *
 * When the write exits (svmhv's shadow paging, kvm_amd's nested tables,
 * filled on first touch), the emulated CPU (QEMU's TCG) opens the window
 * before the write: its VMRUN ignores the VMCB's interrupt shadow, which
 * a real CPU honours.  There the IRQ interrupts the write itself.
 */
TEST_F(irq, window_after_sti_shadow)
{
	uint64_t after = CODE_GPA + (irq_window_after - irq_window_start);
	uint64_t hlt = CODE_GPA + (irq_window_hlt - irq_window_start);
	uint64_t write = after - 12;	/* movq $1, 0x300000 */
	struct stop s;

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_window_start, irq_window_end, 0, 0);
	raise_on_request(_metadata, &self->vm, 3);
	ASSERT_REPORT(&self->vm, 0);		/* not while IF=0 */
	s = run_vcpu(&self->vm);
	ASSERT_EQ(REPORT_PORT, s.port) TH_LOG("exception %d",
					      exception_of(&s));
	if (s.val == write && !(self->vm.is_svmhv &&
				!under_shadow(&self->vm)))
		TH_LOG("taken before the write: the emulated CPU's VMRUN");
	else
		EXPECT_EQ(after, s.val);	/* right after the shadow */
	ASSERT_REPORT(&self->vm, 1);		/* once */
	if (self->vm.is_svmhv)
		EXPECT_EQ(1, vintr_exits(&self->vm));
	raise_on_request(_metadata, &self->vm, 3);
	ASSERT_REPORT(&self->vm, hlt);		/* STI; HLT: past it */
	ASSERT_REPORT(&self->vm, 2);
	if (self->vm.is_svmhv)
		EXPECT_EQ(1, vintr_exits(&self->vm));
	EXPECT_EQ(PIC_BASE + 3, cell(&self->vm, LAST_VEC));
}

/* An IRQ masked in the IMR stays pending and comes when unmasked. */
TEST_F(irq, masked_irq_waits_for_unmask)
{
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_mask_start, irq_mask_end, 0, 0);
	raise_on_request(_metadata, &self->vm, 5);
	ASSERT_REPORT(&self->vm, 0);		/* masked, IF=1 */
	ASSERT_REPORT(&self->vm, 1);		/* unmasked */
	EXPECT_EQ(PIC_BASE + 5, cell(&self->vm, LAST_VEC));
}

/* A table for KVM_SET_GSI_ROUTING. */
struct routing {
	struct kvm_irq_routing r;
	struct kvm_irq_routing_entry e[4];
};

static struct kvm_irq_routing_entry pic_route(uint32_t gsi, uint32_t chip,
					      uint32_t pin)
{
	return (struct kvm_irq_routing_entry){
		.gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
		.u.irqchip = { .irqchip = chip, .pin = pin },
	};
}

/*
 * KVM_SET_GSI_ROUTING replaces the whole table: GSI 3, routed nowhere
 * now, raises nothing; GSI 40 is now the master PIC's input 3.
 */
TEST_F(irq, gsi_routing_moves_lines)
{
	uint64_t hlt = CODE_GPA + (irq_window_hlt - irq_window_start);
	struct routing t = {
		.r.nr = 1, .e[0] = pic_route(40, KVM_IRQCHIP_PIC_MASTER, 3),
	};

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	EXPECT_EQ(4096, ioctl(self->vm.fd, KVM_CHECK_EXTENSION,
			      KVM_CAP_IRQ_ROUTING));
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_SET_GSI_ROUTING, &t));
	guest_setup(&self->vm, irq_window_start, irq_window_end, 0, 0);
	raise_on_request(_metadata, &self->vm, 3);
	ASSERT_REPORT(&self->vm, 0);		/* IF=0 */
	ASSERT_REPORT(&self->vm, 0);		/* no interrupt after STI */
	ASSERT_REPORT(&self->vm, 0);
	raise_on_request(_metadata, &self->vm, 40);
	ASSERT_REPORT(&self->vm, hlt);		/* STI; HLT: woken */
	ASSERT_REPORT(&self->vm, 1);
	EXPECT_EQ(PIC_BASE + 3, cell(&self->vm, LAST_VEC));
}

/*
 * Routing tables KVM refuses, and those svmhv cannot take yet (IOAPIC
 * pins and MSIs, which KVM's IOAPIC and local APIC take).
 */
static void bad_routing(struct __test_metadata *_metadata, struct vm *vm)
{
	bool svmhv = vm_device_is_svmhv();
	struct routing t = { .r.nr = 2 };

	t.e[0] = pic_route(5, KVM_IRQCHIP_PIC_MASTER, 1);
	t.e[1] = pic_route(5, KVM_IRQCHIP_PIC_SLAVE, 1);
	EXPECT_EQ(0, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	t.e[1] = pic_route(5, KVM_IRQCHIP_PIC_MASTER, 2);	/* chip twice */
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.e[1] = pic_route(4096, KVM_IRQCHIP_PIC_MASTER, 2);
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.e[1] = pic_route(6, KVM_IRQCHIP_PIC_SLAVE, 8);
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.e[1] = pic_route(6, 3, 0);
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.e[1] = pic_route(6, KVM_IRQCHIP_PIC_SLAVE, 0);
	t.e[1].flags = 1;
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.e[1].flags = 0;
	t.e[1].type = 99;
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.r.flags = 1;
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.r = (struct kvm_irq_routing){ .nr = 4097 };
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	EXPECT_EQ(EINVAL, errno);
	t.r.nr = 2;
	EXPECT_EQ(-1, ioctl(vm->fd, KVM_SET_GSI_ROUTING, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* svmhv has no IOAPIC and no local APIC yet. */
	t.e[1] = pic_route(6, KVM_IRQCHIP_IOAPIC, 23);
	EXPECT_EQ(svmhv ? -1 : 0, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	if (svmhv)
		EXPECT_EQ(EINVAL, errno);
	t.e[1] = (struct kvm_irq_routing_entry){
		.gsi = 6, .type = KVM_IRQ_ROUTING_MSI,
		.u.msi = { .address_lo = 0xfee00000, .data = 0x30 },
	};
	EXPECT_EQ(svmhv ? -1 : 0, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
	if (svmhv)
		EXPECT_EQ(EINVAL, errno);
	t.r.nr = 0;
	EXPECT_EQ(0, ioctl(vm->fd, KVM_SET_GSI_ROUTING, &t));
}

/* svmhv: a HLT with IF=0 cannot end: KVM_EXIT_HLT, past the HLT. */
TEST_F(irq, hlt_with_if0_exits)
{
	struct stop s;

	if (!vm_device_is_svmhv())
		SKIP(return, "KVM blocks in such a HLT until a signal");
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP | WITH_PIT, NULL));
	guest_setup(&self->vm, irq_hlt_if0_start, irq_hlt_if0_end, 4773, 0);
	s = run_vcpu(&self->vm);
	ASSERT_EQ(0, s.ret);
	ASSERT_EQ(KVM_EXIT_HLT, s.reason) TH_LOG("exception %d",
						  exception_of(&s));
	/* The PIT ran all along; a KVM_RUN goes on past the HLT. */
	ASSERT_REPORT(&self->vm, 0x1234);
	EXPECT_EQ(0, irq_count(&self->vm, 0));
}

struct uart_run {
	struct vm *vm;
	struct stop s;
};

static void *run_until_stop(void *arg)
{
	struct uart_run *u = arg;

	u->s = run_vcpu(u->vm);
	return NULL;
}

/* Read from @fd until @len bytes came (blocking reads). */
static ssize_t read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return n < 0 ? -errno : (ssize_t)got;
		got += n;
	}
	return got;
}

/*
 * svmhv's UART: the guest's output comes out of the file (both lines,
 * the second by REP OUTSB); a byte written to the file reaches the guest
 * through IRQ 4; then the receive FIFO fills and refuses more.
 */
TEST_F(irq, uart_output_and_input)
{
	static const char out[] = "hello from the guest\nand from rep outsb\n";
	struct uart_run u = { .vm = &self->vm };
	struct pollfd pfd;
	char buf[64];
	pthread_t t;

	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own UART");
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP | WITH_UART,
				   &self->uart_fd));
	EXPECT_EQ(-1, ioctl(self->vm.fd, SVMHV_CREATE_UART, 0));
	EXPECT_EQ(EEXIST, errno);
	guest_setup(&self->vm, irq_uart_start, irq_uart_end, 0, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, run_until_stop, &u));

	ASSERT_EQ(strlen(out), read_all(self->uart_fd, buf, strlen(out)));
	EXPECT_EQ(0, memcmp(buf, out, strlen(out)));
	/* Nothing more to read: EAGAIN without blocking; POLLOUT only. */
	ASSERT_EQ(0, fcntl(self->uart_fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->uart_fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	pfd = (struct pollfd){
		.fd = self->uart_fd, .events = POLLIN | POLLOUT,
	};
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);

	EXPECT_EQ(1, write(self->uart_fd, "x", 1));
	pthread_join(t, NULL);
	ASSERT_EQ(0, u.s.ret) TH_LOG("KVM_RUN: %s", strerror(u.s.err));
	ASSERT_EQ(KVM_EXIT_IO, u.s.reason);
	ASSERT_EQ(REPORT_PORT, u.s.port) TH_LOG("exception %d",
						exception_of(&u.s));
	EXPECT_EQ('x', u.s.val);
	EXPECT_EQ(1, cell(&self->vm, UART_N));
	EXPECT_LE(1, irq_count(&self->vm, 4));

	/* The guest reads no more: 16 bytes fill the FIFO, then EAGAIN. */
	memset(buf, 'y', sizeof(buf));
	EXPECT_EQ(16, write(self->uart_fd, buf, 20));
	EXPECT_EQ(-1, write(self->uart_fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll(&pfd, 1, 0));
}

static int from_bcd(int v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

/* svmhv's CMOS RTC: the date the guest reads is the host's (UTC). */
TEST_F(irq, rtc_has_host_date)
{
	struct tm before, after;
	const uint8_t *c;
	time_t t0, t1;
	bool binary;
	int y, m, d, i;

	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own RTC");
	/* The ports need no irqchip. */
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_PORTS, NULL));
	guest_setup(&self->vm, irq_rtc_start, irq_rtc_end, 0, 0);
	c = self->vm.mem + RTC_OUT;
	t0 = time(NULL);
	ASSERT_REPORT(&self->vm, 0x32);
	t1 = time(NULL);
	gmtime_r(&t0, &before);
	gmtime_r(&t1, &after);
	/* c[]: B, seconds, minutes, hours, day, month, year, century. */
	EXPECT_EQ(0x02, c[0] & 0x02) TH_LOG("register B %#x: 24-hour", c[0]);
	binary = c[0] & 0x04;
	d = from_bcd(c[4], binary);
	m = from_bcd(c[5], binary);
	y = from_bcd(c[7], binary) * 100 + from_bcd(c[6], binary);
	TH_LOG("RTC %04d-%02d-%02d %02d:%02d:%02d", y, m, d,
	       from_bcd(c[3], binary), from_bcd(c[2], binary),
	       from_bcd(c[1], binary));
	EXPECT_TRUE((y == before.tm_year + 1900 && m == before.tm_mon + 1 &&
		     d == before.tm_mday) ||
		    (y == after.tm_year + 1900 && m == after.tm_mon + 1 &&
		     d == after.tm_mday));
	/* REP INSB of the century register: four times the same byte. */
	for (i = 8; i < 12; i++)
		EXPECT_EQ(c[7], c[i]);
}

/*
 * svmhv's reset ports: 0x64 command 0xFE and 0xCF9 bit 2 end KVM_RUN
 * with KVM_EXIT_SYSTEM_EVENT (RESET), 0xCF9 without bit 2 does not, the
 * delay ports do not exit at all, and COM1's port (no UART here) still
 * goes to userspace.
 */
TEST_F(irq, reset_ports_end_the_run)
{
	struct svmhv_vm_stats st;
	struct stop s;
	int i;

	if (!vm_device_is_svmhv())
		SKIP(return, "svmhv's own reset ports");
	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_PORTS, NULL));
	guest_setup(&self->vm, irq_reset_start, irq_reset_end, 0, 0);
	for (i = 0; i < 2; i++) {
		s = run_vcpu(&self->vm);
		ASSERT_EQ(0, s.ret);
		ASSERT_EQ(KVM_EXIT_SYSTEM_EVENT, s.reason)
			TH_LOG("exit %u port %#x", s.reason, s.port);
		EXPECT_EQ(KVM_SYSTEM_EVENT_RESET,
			  self->vm.run->system_event.type);
	}
	ASSERT_REPORT(&self->vm, 0x02);
	s = run_vcpu(&self->vm);
	ASSERT_EQ(KVM_EXIT_IO, s.reason);
	EXPECT_EQ(0x3f8, s.port);
	EXPECT_EQ(KVM_EXIT_IO_OUT, s.dir);
	s = run_vcpu(&self->vm);
	EXPECT_EQ(KVM_EXIT_HLT, s.reason);
	/* Each IN and OUT was an I/O exit, six answered in the kernel. */
	ASSERT_EQ(0, ioctl(self->vm.fd, SVMHV_GET_VM_STATS, &st));
	EXPECT_EQ(8, st.exits[SVMHV_EXIT_IO]);
}

/*
 * Bad requests.  KVM's errnos, except where svmhv differs on purpose:
 * a PIT without an irqchip or with flags (KVM accepts both).
 */
TEST_F(irq, bad_requests)
{
	struct kvm_pit_config pit = { 0 };
	struct kvm_irq_level l = { .irq = 3, .level = 1 };
	struct kvm_irq_routing none = { 0 };
	bool svmhv = vm_device_is_svmhv();
	struct vm v2;
	int fd;

	ASSERT_EQ(0, vm_create_bare(&self->vm, MEM_SIZE));
	EXPECT_EQ(1, ioctl(self->vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP));
	EXPECT_EQ(1, ioctl(self->vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_PIT2));
	EXPECT_EQ(1, ioctl(self->vm.sys_fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_IRQCHIP));

	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_IRQ_LINE, &l));
	EXPECT_EQ(ENXIO, errno);
	EXPECT_EQ(4096, ioctl(self->vm.sys_fd, KVM_CHECK_EXTENSION,
			      KVM_CAP_IRQ_ROUTING));
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_SET_GSI_ROUTING, &none));
	EXPECT_EQ(EINVAL, errno);
	if (svmhv) {
		EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_CREATE_PIT2, &pit));
		EXPECT_EQ(ENXIO, errno);
		EXPECT_EQ(-1, ioctl(self->vm.fd, SVMHV_CREATE_UART, 0));
		EXPECT_EQ(ENXIO, errno);
	}

	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_CREATE_IRQCHIP, 0));
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_CREATE_IRQCHIP, 0));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(0, ioctl(self->vm.fd, KVM_IRQ_LINE, &l));
	l.irq = 15;
	EXPECT_EQ(0, ioctl(self->vm.fd, KVM_IRQ_LINE, &l));
	/* GSIs without a route go nowhere (16-23: KVM's IOAPIC's). */
	l.irq = 16;
	EXPECT_EQ(0, ioctl(self->vm.fd, KVM_IRQ_LINE, &l));
	l.irq = 5000;
	EXPECT_EQ(0, ioctl(self->vm.fd, KVM_IRQ_LINE, &l));
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_IRQ_LINE, NULL));
	EXPECT_EQ(EFAULT, errno);
	bad_routing(_metadata, &self->vm);

	if (svmhv) {
		pit.flags = 1;
		EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_CREATE_PIT2, &pit));
		EXPECT_EQ(EINVAL, errno);
		pit.flags = 0;
	}
	EXPECT_EQ(0, ioctl(self->vm.fd, KVM_CREATE_PIT2, &pit));
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_CREATE_PIT2, &pit));
	EXPECT_EQ(EEXIST, errno);

	if (svmhv) {
		EXPECT_EQ(-1, ioctl(self->vm.fd, SVMHV_CREATE_UART, 1));
		EXPECT_EQ(EINVAL, errno);
		fd = ioctl(self->vm.fd, SVMHV_CREATE_UART, 0);
		EXPECT_LE(0, fd);
		EXPECT_EQ(-1, ioctl(self->vm.fd, SVMHV_CREATE_UART, 0));
		EXPECT_EQ(EEXIST, errno);
		/* The UART's file answers no ioctl. */
		EXPECT_EQ(-1, ioctl(fd, KVM_RUN, 0));
		EXPECT_EQ(ENOTTY, errno);
		close(fd);
		EXPECT_EQ(-1, ioctl(self->vm.fd, SVMHV_ENABLE_PC_PORTS, 1));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, ioctl(self->vm.fd, SVMHV_ENABLE_PC_PORTS, 0));
		EXPECT_EQ(-1, ioctl(self->vm.fd, SVMHV_ENABLE_PC_PORTS, 0));
		EXPECT_EQ(EEXIST, errno);
	}

	/* As KVM: the irqchip comes before the first vCPU. */
	ASSERT_EQ(0, vm_create(&v2, MEM_SIZE));
	EXPECT_EQ(-1, ioctl(v2.fd, KVM_CREATE_IRQCHIP, 0));
	EXPECT_EQ(EINVAL, errno);
	vm_destroy(&v2);
}

/*
 * The child of killed_while_halted: a VM with the PIC and a slow PIT,
 * its vCPU blocked in HLT; it says so on @ready (with its vCPU thread's
 * id) and waits to be killed.
 */
static void halted_child(int ready)
{
	struct vm vm;
	pid_t tid = gettid_();

	if (irq_vm_create(&vm, WITH_IRQCHIP | WITH_PIT, NULL))
		_exit(1);
	/* A count of 0 is 65536: 18.2 Hz. */
	guest_setup(&vm, irq_pit_start, irq_pit_end, 0, 0);
	if (write(ready, &tid, sizeof(tid)) != sizeof(tid))
		_exit(2);
	for (;;)
		vm_run(&vm);
}

/*
 * SIGKILL a process while its vCPU is blocked in HLT (its hrtimer armed
 * for the next PIT tick): the VM goes, with every pin, and nothing is
 * left holding the module.
 */
TEST_F(irq, killed_while_halted)
{
	long base = 0;
	int ready[2], status;
	pid_t pid, tid;

	if (vm_device_is_svmhv()) {
		char buf[64];

		ASSERT_LT(0, read_file(PINNED_PAGES, buf, sizeof(buf)));
		base = strtol(buf, NULL, 10);
	}
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(ready[0]);
		halted_child(ready[1]);
	}
	close(ready[1]);
	ASSERT_EQ(sizeof(tid), read(ready[0], &tid, sizeof(tid))) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_TRUE(wait_halted(pid, tid));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	if (vm_device_is_svmhv()) {
		char buf[64];

		ASSERT_LT(0, read_file(PINNED_PAGES, buf, sizeof(buf)));
		EXPECT_EQ(base, strtol(buf, NULL, 10));
		EXPECT_EQ(0, svmhv_unload());
	}
}

/*
 * Map the local APIC's page (2 MiB at APIC_GPA, uncached) into the
 * guest's page tables, beside vm_setup_long()'s first gigabyte: a
 * second page directory at 0x5000 for the fourth.
 */
static void map_apic(struct vm *vm)
{
	uint64_t *pdpt = (uint64_t *)(vm->mem + 0x3000);
	uint64_t *pd = (uint64_t *)(vm->mem + 0x5000);

	pdpt[3] = 0x5000 | 3;
	pd[(APIC_GPA >> 21) & 511] = APIC_GPA | 0x93;	/* P W PCD PS */
}

/*
 * The in-kernel local APIC of vCPU 0 (KVM_CREATE_IRQCHIP gives one to
 * each vCPU): its registers, a self-IPI taken, in service until the EOI;
 * the TPR holding a vector back, and letting it in as soon as MOV to CR8
 * or the TPR register lowers it; a software-disabled APIC dropping one.
 */
TEST_F(irq, local_apic_self_ipi_and_tpr)
{
	const uint32_t v = LAPIC_VEC;

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_lapic_start, irq_lapic_end, APIC_GPA, 0);
	map_apic(&self->vm);
	ASSERT_REPORT(&self->vm, 0x50014);	/* version, six LVT entries */
	ASSERT_REPORT(&self->vm, 1);		/* taken */
	ASSERT_REPORT(&self->vm, 1U << (v - 32));	/* in service */
	ASSERT_REPORT(&self->vm, 0);		/* after the EOI */
	ASSERT_REPORT(&self->vm, 0);		/* held back by the TPR */
	ASSERT_REPORT(&self->vm, 1U << (v + 1 - 32));	/* requested */
	ASSERT_REPORT(&self->vm, v >> 4);	/* CR8: the TPR's class */
	ASSERT_REPORT(&self->vm, 1);		/* in right after MOV to CR8 */
	ASSERT_REPORT(&self->vm, ((v >> 4) - 1) << 4);	/* TPR from CR8 */
	ASSERT_REPORT(&self->vm, 0);		/* held back... */
	ASSERT_REPORT(&self->vm, 1);		/* ...until the TPR write */
	ASSERT_REPORT(&self->vm, 0);		/* disabled: not requested */
	ASSERT_REPORT(&self->vm, 0);		/* nor taken */
	ASSERT_REPORT(&self->vm, 0x600d);
	EXPECT_EQ(v + 2, cell(&self->vm, LAST_VEC));
}

/*
 * With the APIC disabled in the APIC base its page stays the kernel's,
 * as in KVM (its LAPIC_MMIO_HOLE quirk): loads read all ones, stores
 * are dropped, so the self-IPI goes nowhere.
 */
TEST_F(irq, local_apic_disabled_reads_ones)
{
	struct kvm_sregs sr;

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_lapic_start, irq_lapic_end, APIC_GPA, 0);
	map_apic(&self->vm);
	ASSERT_EQ(0, ioctl(self->vm.vcpu_fd, KVM_GET_SREGS, &sr));
	sr.apic_base &= ~(1ULL << 11);
	ASSERT_EQ(0, ioctl(self->vm.vcpu_fd, KVM_SET_SREGS, &sr));
	ASSERT_REPORT(&self->vm, 0xff00ff);	/* the version, masked */
	ASSERT_REPORT(&self->vm, 0);		/* the self-IPI: not taken */
	ASSERT_REPORT(&self->vm, 0xffffffff);	/* ISR */
}

/*
 * The APIC timer, periodic every 4 ms (4000000 counts at divide by 1 on
 * the 1 GHz bus KVM and svmhv both have), while the guest HLTs: run for
 * about a second of host time, until SIGALRM; the count must fit the
 * periods, loosely, as pit_counts() has it.
 */
TEST_F(irq, local_apic_timer_periodic)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_sec = 1 } };
	const uint64_t period_ns = 4000000;
	uint64_t start, ns, n, periods;
	struct stop s;

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_apic_periodic_start, irq_apic_periodic_end,
		    APIC_GPA, period_ns);
	map_apic(&self->vm);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	start = now_ns();
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	s = run_vcpu(&self->vm);
	ns = now_ns() - start;
	ASSERT_EQ(-1, s.ret) TH_LOG("exit %u port %#x exception %d",
				    s.reason, s.port, exception_of(&s));
	ASSERT_EQ(EINTR, s.err);
	n = cell(&self->vm, COUNTS + 8 * TIMER_VEC);
	periods = ns / period_ns;
	TH_LOG("%llu APIC timer interrupts in %llu ms: %llu periods",
	       (unsigned long long)n, (unsigned long long)(ns / 1000000),
	       (unsigned long long)periods);
	EXPECT_LE(n, periods + 1);
	EXPECT_GE(n, periods / 4);
	EXPECT_LT(10, n);
	EXPECT_EQ(TIMER_VEC, cell(&self->vm, LAST_VEC));
}

/*
 * The APIC timer, one-shot for 20 ms: it counts down from the start,
 * its interrupt ends the HLT no sooner than the count said (loosely:
 * half of it, for the time between the read and the report), once, and
 * the current count is 0 after it.
 */
TEST_F(irq, local_apic_timer_one_shot)
{
	const uint32_t count = 20000000;
	uint64_t t0, ns;
	struct stop s;

	ASSERT_EQ(0, irq_vm_create(&self->vm, WITH_IRQCHIP, NULL));
	guest_setup(&self->vm, irq_apic_one_shot_start, irq_apic_one_shot_end,
		    APIC_GPA, count);
	map_apic(&self->vm);
	s = run_vcpu(&self->vm);
	t0 = now_ns();
	ASSERT_EQ(0, s.ret);
	ASSERT_EQ(KVM_EXIT_IO, s.reason);
	ASSERT_EQ(REPORT_PORT, s.port);
	EXPECT_GT(s.val, 0);
	EXPECT_LE(s.val, count);
	ASSERT_REPORT(&self->vm, 1);		/* one interrupt... */
	ns = now_ns() - t0;
	EXPECT_GE(ns, s.val / 2) TH_LOG("woken %llu ns after %u counts",
					(unsigned long long)ns, s.val);
	ASSERT_REPORT(&self->vm, 0);		/* ...and the count ran out */
	EXPECT_EQ(TIMER_VEC + 1, cell(&self->vm, LAST_VEC));
}

TEST_HARNESS_MAIN
