// SPDX-License-Identifier: GPL-2.0
/*
 * vdev: port routing, the interrupt lines from the devices to the PIC,
 * the reset and delay ports.  See vdev.h for how svm/ is to use it.
 */
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "vdev.h"

#define PORT_I8042_CMD		0x64
#define PORT_RESET_CTL		0xcf9
#define PORT_POST		0x80
#define PORT_DELAY		0xed

/* The device that owns byte port @port, or 0. */
static unsigned int vdev_port_device(u16 port)
{
	switch (port) {
	case VDEV_PIC_MASTER_CMD:
	case VDEV_PIC_MASTER_DATA:
	case VDEV_PIC_SLAVE_CMD:
	case VDEV_PIC_SLAVE_DATA:
	case VDEV_PIC_ELCR_MASTER:
	case VDEV_PIC_ELCR_SLAVE:
		return VDEV_PIC;
	case VDEV_PIT_CH0 ... VDEV_PIT_CMD:
	case VDEV_PIT_PORT61:
		return VDEV_PIT;
	case VDEV_UART_BASE ... VDEV_UART_BASE + 7:
		return VDEV_UART;
	case VDEV_RTC_INDEX:
	case VDEV_RTC_DATA:
		return VDEV_RTC;
	case PORT_I8042_CMD:
	case PORT_RESET_CTL:
	case PORT_POST:
	case PORT_DELAY:
		return VDEV_SYSTEM;
	}
	return 0;
}

/*
 * Does vdev answer this byte of an access?  Only byte accesses reach the
 * reset control register: the PCI configuration ports around it are not
 * vdev's.
 */
static bool vdev_owns(const struct vdev *vd, u16 port, int size)
{
	if (port == PORT_RESET_CTL && size != 1)
		return false;
	return vd->devices & vdev_port_device(port);
}

static void vdev_request_reset(struct vdev *vd)
{
	vd->reset_requested = true;
	if (vd->notify)
		vd->notify(vd->ctx, VDEV_EV_RESET);
}

/*
 * Port 0x64 reads 0xFD: the output buffer full (bit 0) and never
 * emptying makes Linux's i8042 probe give up at once ("No controller
 * found"), while the input buffer empty (bit 1) lets its reboot path
 * write the reset command without waiting.
 */
static u8 vdev_system_read(struct vdev *vd, u16 port)
{
	switch (port) {
	case PORT_I8042_CMD:
		return 0xfd;
	case PORT_RESET_CTL:
		return vd->cf9;
	default:
		return 0xff;
	}
}

static void vdev_system_write(struct vdev *vd, u16 port, u8 val)
{
	switch (port) {
	case PORT_I8042_CMD:
		if (val == VDEV_I8042_RESET)
			vdev_request_reset(vd);
		break;
	case PORT_RESET_CTL:
		vd->cf9 = val & VDEV_CF9_KEEP;
		if (val & VDEV_CF9_RST_CPU)
			vdev_request_reset(vd);
		break;
	}
}

static u64 vdev_wall(const struct vdev *vd, u64 now)
{
	return now + vd->wall_offset_ns;
}

static u8 vdev_read_byte(struct vdev *vd, u16 port, int size, u64 now)
{
	if (!vdev_owns(vd, port, size))
		return 0xff;
	switch (vdev_port_device(port)) {
	case VDEV_PIC:
		return vdev_pic_read(&vd->pic, port);
	case VDEV_PIT:
		return vdev_pit_read(&vd->pit, port, now);
	case VDEV_UART:
		return vdev_uart_read(&vd->uart, port - VDEV_UART_BASE);
	case VDEV_RTC:
		return vdev_rtc_read(&vd->rtc, port, vdev_wall(vd, now));
	default:
		return vdev_system_read(vd, port);
	}
}

static void vdev_write_byte(struct vdev *vd, u16 port, int size, u8 val,
			    u64 now)
{
	if (!vdev_owns(vd, port, size))
		return;
	switch (vdev_port_device(port)) {
	case VDEV_PIC:
		vdev_pic_write(&vd->pic, port, val);
		break;
	case VDEV_PIT:
		vdev_pit_write(&vd->pit, port, val, now);
		break;
	case VDEV_UART:
		vdev_uart_write(&vd->uart, port - VDEV_UART_BASE, val);
		break;
	case VDEV_RTC:
		vdev_rtc_write(&vd->rtc, port, val, vdev_wall(vd, now));
		break;
	default:
		vdev_system_write(vd, port, val);
		break;
	}
}

/* Drive @gsi: the PIC inputs the routing table gives it; how many. */
static int vdev_gsi(struct vdev *vd, u32 gsi, int level)
{
	unsigned long inputs = vdev_routing_pic_inputs(vd->routing, gsi);
	unsigned int in;

	if (!(vd->devices & VDEV_PIC))
		return 0;
	for_each_set_bit(in, &inputs, VDEV_PIC_INPUTS)
		vdev_pic_set_irq(&vd->pic, in, level);
	return hweight_long(inputs);
}

/* The vdev_irq set() of the devices' lines: @irq is their GSI. */
static void vdev_line(void *ctx, int irq, int level)
{
	vdev_gsi(ctx, irq, level);
}

/* Tell the caller about what an operation that began at @before did. */
static void vdev_notify(struct vdev *vd, bool intr_before, size_t tx_before)
{
	unsigned int ev = 0;
	size_t tx = vd->uart.tx_count;

	if (!intr_before && vdev_intr(vd))
		ev |= VDEV_EV_INTR;
	if (tx > tx_before && (tx >= VDEV_TX_MARK) != (tx_before >= VDEV_TX_MARK))
		ev |= VDEV_EV_TX;
	if (tx > tx_before && tx == VDEV_UART_TX_SIZE)
		ev |= VDEV_EV_TX;
	if (ev && vd->notify)
		vd->notify(vd->ctx, ev);
}

/**
 * vdev_create() - a VM's devices, at power-on.
 * @devices: which (VDEV_PIC, VDEV_PIT, ...); the others' ports are not
 *	handled and their interrupt lines go nowhere
 * @notify: called (optional) with VDEV_EV_* as things happen
 * @ctx: for @notify
 * @now: the time (CLOCK_MONOTONIC ns)
 *
 * Return: the devices, or NULL without memory.
 */
struct vdev *vdev_create(unsigned int devices,
			 void (*notify)(void *ctx, unsigned int events),
			 void *ctx, u64 now)
{
	struct vdev *vd = kzalloc(sizeof(*vd), GFP_KERNEL_ACCOUNT);

	if (!vd)
		return NULL;
	vd->routing = vdev_routing_default();
	if (!vd->routing) {
		kfree(vd);
		return NULL;
	}
	vd->devices = devices & VDEV_ALL;
	vd->notify = notify;
	vd->ctx = ctx;
	vd->wall_offset_ns = ktime_get_real_ns() - ktime_get_ns();
	vd->pit.irq = (struct vdev_irq){ .set = vdev_line, .ctx = vd, .irq = 0 };
	vd->uart.irq = (struct vdev_irq){
		.set = vdev_line, .ctx = vd, .irq = VDEV_UART_IRQ,
	};
	vdev_rtc_init(&vd->rtc);
	vdev_reset(vd, now);
	return vd;
}

/**
 * vdev_destroy() - free what vdev_create() made.
 * @vd: the devices, or NULL
 */
void vdev_destroy(struct vdev *vd)
{
	if (vd)
		vdev_routing_free(vd->routing);
	kfree(vd);
}

/**
 * vdev_set_routing() - KVM_SET_GSI_ROUTING: take @rt as the GSI routing.
 * @vd: the devices
 * @rt: the new table (vdev_routing_build()), now the devices'
 *
 * Lines already raised stay raised, as in KVM.
 *
 * Return: the old table, for the caller to free once it has dropped the
 * devices' lock.
 */
struct vdev_routing *vdev_set_routing(struct vdev *vd, struct vdev_routing *rt)
{
	struct vdev_routing *old = vd->routing;

	vd->routing = rt;
	return old;
}

/**
 * vdev_enable() - add devices (KVM_CREATE_PIT2 after KVM_CREATE_IRQCHIP).
 * @vd: the devices
 * @devices: VDEV_PIC, ...; they were in their power-on state all along
 */
void vdev_enable(struct vdev *vd, unsigned int devices)
{
	vd->devices |= devices & VDEV_ALL;
}

/**
 * vdev_reset() - the machine's reset: everything but the battery-backed
 * RTC and CMOS to power-on state, the reset request cleared.
 * @vd: the devices
 * @now: the time
 */
void vdev_reset(struct vdev *vd, u64 now)
{
	vdev_pic_reset(&vd->pic);
	vdev_pit_reset(&vd->pit, now);
	vdev_uart_reset(&vd->uart);
	vd->cf9 = 0;
	vd->reset_requested = false;
}

/**
 * vdev_pio() - a guest IN or OUT, if vdev owns the port.
 * @vd: the devices
 * @port: the first port
 * @size: 1, 2 or 4 bytes
 * @is_write: OUT
 * @val: OUT: the value; IN: where the value goes (zero-extended)
 * @now: the time
 *
 * A wider access is a sequence of byte accesses at @port, @port + 1, ...
 * as the ISA bus makes it; vdev takes it when it owns @port, and bytes on
 * ports it does not own read 0xFF and ignore writes.
 *
 * Return: VDEV_HANDLED, or VDEV_UNHANDLED (to userspace).
 */
int vdev_pio(struct vdev *vd, u16 port, int size, bool is_write, u32 *val,
	     u64 now)
{
	bool intr = vdev_intr(vd);
	size_t tx = vd->uart.tx_count;
	u32 v = 0;
	int i;

	if ((size != 1 && size != 2 && size != 4) || !vdev_owns(vd, port, size))
		return VDEV_UNHANDLED;
	vdev_advance(vd, now);
	for (i = 0; i < size; i++) {
		if (is_write)
			vdev_write_byte(vd, port + i, size, *val >> (8 * i),
					now);
		else
			v |= (u32)vdev_read_byte(vd, port + i, size, now) <<
			     (8 * i);
	}
	if (!is_write)
		*val = v;
	vdev_notify(vd, intr, tx);
	return VDEV_HANDLED;
}

/* IRQ 0 waits in the master PIC (latched, not yet taken by the CPU). */
static bool vdev_irq0_waiting(const struct vdev *vd)
{
	return vd->pic.chip[0].irr & 1;
}

/*
 * Channel 0's periods, one IRQ 0 each for the guest.  An edge that comes
 * while the last one still waits in the PIC is lost there, and periods
 * that passed while we did not look (the vCPU thread was not running)
 * are merged into one edge; a guest that keeps time by counting them
 * (Linux on the PIT: refined-jiffies) would fall behind.  So they are
 * owed instead, and given one at a time, each once the guest has taken
 * the last, as KVM's PIT does by default (its reinject mode).  Nothing
 * is owed while IRQ 0 is masked, for a one-shot or a too fast count, or
 * without our PIC, and never more than VDEV_PIT_MAX_OWED.  This watches
 * the master's input 0, where the routing table sends the PIT's GSI 0
 * unless userspace moved it (then ticks are not held back).
 */
static void vdev_advance_pit(struct vdev *vd, u64 now)
{
	struct vdev_pit *pit = &vd->pit;
	bool waiting = vdev_irq0_waiting(vd);
	u64 periods;

	vdev_pit_advance(pit, now);
	periods = pit->irqs + pit->merged - pit->counted;
	pit->counted = pit->irqs + pit->merged;
	if (!(vd->devices & VDEV_PIC) || (vd->pic.chip[0].imr & 1) ||
	    !vdev_pit_periodic(pit)) {
		pit->owed = 0;
		return;
	}
	/* The edge vdev_pit_advance() raised counts unless it was lost. */
	if (periods && !waiting)
		periods--;
	pit->owed = min_t(u64, pit->owed + periods, VDEV_PIT_MAX_OWED);
	if (pit->owed && !vdev_irq0_waiting(vd)) {
		pit->owed--;
		vdev_irq_drive(&pit->irq, 1);
		vdev_irq_drive(&pit->irq, 0);
	}
}

/**
 * vdev_advance() - let the timers catch up with @now: raise the IRQs that
 * came due, and an owed IRQ 0 (vdev_advance_pit()).
 * @vd: the devices
 * @now: the time
 */
void vdev_advance(struct vdev *vd, u64 now)
{
	bool intr = vdev_intr(vd);

	if (vd->devices & VDEV_PIT)
		vdev_advance_pit(vd, now);
	vdev_notify(vd, intr, vd->uart.tx_count);
}

/**
 * vdev_next_deadline() - when vdev_advance() next has something to do.
 * @vd: the devices
 *
 * Return: CLOCK_MONOTONIC ns, or VDEV_NO_DEADLINE.
 */
u64 vdev_next_deadline(const struct vdev *vd)
{
	if (!(vd->devices & VDEV_PIT))
		return VDEV_NO_DEADLINE;
	/* An owed IRQ 0 goes as soon as the last one was taken. */
	if (vd->pit.owed && !vdev_irq0_waiting(vd))
		return 0;
	return vdev_pit_deadline(&vd->pit);
}

/**
 * vdev_intr() - is the CPU's INTR line asserted?
 * @vd: the devices
 *
 * Return: true when vdev_pending_irq() has a vector to give.
 */
bool vdev_intr(const struct vdev *vd)
{
	return (vd->devices & VDEV_PIC) && vdev_pic_intr(&vd->pic);
}

/**
 * vdev_pending_irq() - acknowledge the interrupt INTR stands for (INTA).
 * @vd: the devices
 *
 * The PIC marks it in service (unless in auto-EOI mode) and the guest's
 * EOI ends it; call this only when the vector will be injected.
 *
 * Return: the vector, or -1 when INTR is not asserted.
 */
int vdev_pending_irq(struct vdev *vd)
{
	if (!vdev_intr(vd))
		return -1;
	return vdev_pic_inta(&vd->pic);
}

/**
 * vdev_irq_line() - KVM_IRQ_LINE: drive GSI @gsi from userspace, through
 * the routing table.
 * @vd: the devices
 * @gsi: any number; one the table does not route goes nowhere, as in KVM
 * @level: 0 or 1
 *
 * Return: how many controller inputs @gsi drives (0: none).
 */
int vdev_irq_line(struct vdev *vd, u32 gsi, int level)
{
	bool intr = vdev_intr(vd);
	int n = vdev_gsi(vd, gsi, !!level);

	vdev_notify(vd, intr, vd->uart.tx_count);
	return n;
}

/**
 * vdev_reset_requested() - did the guest ask for a reset (port 0x64
 * command 0xFE, or port 0xCF9 bit 2) since vdev_reset()?
 * @vd: the devices
 *
 * Return: true if so.
 */
bool vdev_reset_requested(const struct vdev *vd)
{
	return vd->reset_requested;
}

/**
 * vdev_uart_tx_drain() - take the guest's serial output, oldest first.
 * @vd: the devices
 * @buf: where to copy it
 * @len: room in @buf
 *
 * Return: bytes copied.
 */
size_t vdev_uart_tx_drain(struct vdev *vd, u8 *buf, size_t len)
{
	bool intr = vdev_intr(vd);
	size_t n = vdev_uart_tx_take(&vd->uart, buf, len);

	vdev_notify(vd, intr, vd->uart.tx_count);
	return n;
}

/**
 * vdev_uart_tx_pending() - bytes of serial output not yet drained.
 * @vd: the devices
 *
 * Return: the count.
 */
size_t vdev_uart_tx_pending(const struct vdev *vd)
{
	return vd->uart.tx_count;
}

/**
 * vdev_uart_rx_room() - bytes of serial input the UART would take now.
 * @vd: the devices
 *
 * Return: what vdev_uart_rx_push() would take: the receive FIFO's room
 * (one byte with FIFOs off), 0 without a UART or in loopback mode.
 */
size_t vdev_uart_rx_room(const struct vdev *vd)
{
	const struct vdev_uart *u = &vd->uart;

	if (!(vd->devices & VDEV_UART) || (u->mcr & VDEV_UART_MCR_LOOP))
		return 0;
	return ((u->fcr & VDEV_UART_FCR_ENABLE) ? VDEV_UART_FIFO : 1) -
	       u->rx_count;
}

/**
 * vdev_uart_rx_push() - serial input for the guest.
 * @vd: the devices
 * @buf: the bytes
 * @len: how many
 *
 * Return: bytes taken (the receive FIFO's room); push the rest later,
 * e.g. at the next exit.
 */
size_t vdev_uart_rx_push(struct vdev *vd, const u8 *buf, size_t len)
{
	bool intr = vdev_intr(vd);
	size_t n;

	if (!(vd->devices & VDEV_UART))
		return 0;
	n = vdev_uart_rx_put(&vd->uart, buf, len);
	vdev_notify(vd, intr, vd->uart.tx_count);
	return n;
}

/**
 * vdev_set_rtc_offset() - the RTC reads the host's clock plus @offset_ns.
 * @vd: the devices
 * @offset_ns: may be negative
 */
void vdev_set_rtc_offset(struct vdev *vd, s64 offset_ns)
{
	vdev_rtc_set_offset(&vd->rtc, offset_ns);
}
