// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's serial console on svmhv-run's terminal: stdin goes to the
 * UART's receive line, what the guest transmits goes to stdout.
 *
 * When stdin is a terminal it is put in raw mode (every key goes to the
 * guest, Ctrl-C included) and restored at exit and on SIGINT, SIGTERM
 * and SIGHUP.  Output processing stays on, so svmhv-run's own messages
 * end their lines; the guest's CR LF gets one more CR.  Ctrl-A x ends
 * the run (console_quit()); Ctrl-A Ctrl-A sends one Ctrl-A; Ctrl-A and
 * any other key are dropped.  This holds for any stdin, not only a
 * terminal.
 *
 * A thread of its own moves the input: on /dev/svmhv to and from the
 * UART's file descriptor (SVMHV_CREATE_UART), on /dev/kvm into pcdev.c's
 * receive FIFO.  There the vCPU thread writes the output itself and says
 * when the FIFO has room again (console_output(), console_rx_room()):
 * the console calls pcdev.c, never the other way.  On /dev/kvm it also
 * interrupts KVM_RUN every KICK_MS so the run loop can see a guest
 * halted for good: KVM keeps a vCPU that halts in the kernel when the
 * irqchip is there, interrupts off or not.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../lib/util.h"
#include "console.h"

#define CTRL_A		0x01
#define KICK_MS		100
#define KICK_SIGNAL	SIGUSR1

static struct {
	bool raw;			/* saved holds the terminal's mode */
	struct termios saved;
	/* one run */
	pthread_t thread, vcpu_thread;
	bool running;
	int uart_fd;			/* svmhv: the UART's fd, else -1 */
	struct pcdev *pc;		/* kvm: the UART model, else NULL */
	int wake[2];			/* stop, or room in the RX FIFO */
	bool in_eof;
	bool escape;			/* Ctrl-A seen */
	uint8_t in[256];		/* input the UART has not taken */
	size_t in_len;
	bool stop;			/* __atomic: console_stop() */
	bool quit;			/* __atomic: Ctrl-A x */
} con = { .uart_fd = -1, .wake = { -1, -1 } };

/* Set and read with __atomic: the vCPU's kvm_run, for kick_signal(). */
static struct kvm_run *kick_run;

static void term_restore(void)
{
	if (con.raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &con.saved);
}

static void fatal_signal(int sig)
{
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* KVM_RUN returns EINTR at once, even if the signal came before it. */
static void kick_signal(int sig)
{
	struct kvm_run *run = __atomic_load_n(&kick_run, __ATOMIC_ACQUIRE);

	(void)sig;
	if (run)
		run->immediate_exit = 1;
}

/**
 * console_init() - once per process: raw mode if stdin is a terminal,
 * and the signal handlers.
 */
void console_init(void)
{
	struct sigaction sa = { .sa_handler = fatal_signal };
	struct termios t;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = kick_signal;
	sigaction(KICK_SIGNAL, &sa, NULL);	/* no SA_RESTART */
	signal(SIGPIPE, SIG_IGN);
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &con.saved))
		return;
	t = con.saved;
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
		       ICRNL | IXON);
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB)) | CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	con.raw = true;
	atexit(term_restore);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t))
		con.raw = false;
}

/* Bytes for the guest's terminal, whatever stdout is. */
void console_output(const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* nobody reads: drop it */
		buf += n;
		len -= n;
	}
}

static void wake_thread(void)
{
	char c = 0;

	if (con.wake[1] >= 0 && write(con.wake[1], &c, 1) < 0)
		return;			/* a full pipe wakes it already */
}

/* On /dev/kvm: pcdev.c's receive FIFO has room again. */
void console_rx_room(void)
{
	if (__atomic_load_n(&con.in_len, __ATOMIC_RELAXED))
		wake_thread();
}

bool console_quit(void)
{
	return __atomic_load_n(&con.quit, __ATOMIC_ACQUIRE);
}

static void kick_vcpu(void)
{
	pthread_kill(con.vcpu_thread, KICK_SIGNAL);
}

/* Ctrl-A escapes; the rest is queued for the UART. */
static void take_input(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t b = buf[i];

		if (con.escape) {
			con.escape = false;
			if (b == 'x' || b == 'X') {
				__atomic_store_n(&con.quit, true,
						 __ATOMIC_RELEASE);
				kick_vcpu();
				return;
			}
			if (b != CTRL_A)
				continue;
		} else if (b == CTRL_A) {
			con.escape = true;
			continue;
		}
		con.in[con.in_len++] = b;
	}
}

static void read_stdin(void)
{
	uint8_t buf[sizeof(con.in)];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(con.in) - con.in_len);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		con.in_eof = true;	/* the guest runs on without input */
		return;
	}
	take_input(buf, n);
}

/* Hand queued input to the UART, as much as it takes. */
static void push_input(void)
{
	ssize_t n;

	if (!con.in_len)
		return;
	if (con.pc) {
		n = pcdev_rx_put(con.pc, con.in, con.in_len);
	} else {
		n = write(con.uart_fd, con.in, con.in_len);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			die("writing to the guest's UART: %s", strerror(errno));
		if (n < 0)
			n = 0;
	}
	memmove(con.in, con.in + n, con.in_len - n);
	__atomic_store_n(&con.in_len, con.in_len - n, __ATOMIC_RELAXED);
}

/* svmhv: what the guest transmitted, to stdout. */
static void drain_output(void)
{
	uint8_t buf[4096];
	ssize_t n;

	for (;;) {
		n = read(con.uart_fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		console_output(buf, n);
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static void *console_thread(void *arg)
{
	struct pollfd p[3];
	uint64_t next_kick = now_ms() + KICK_MS;
	int n, timeout;
	char drop[64];

	(void)arg;
	while (!__atomic_load_n(&con.stop, __ATOMIC_ACQUIRE)) {
		n = 0;
		p[n++] = (struct pollfd){ .fd = con.wake[0], .events = POLLIN };
		p[n++] = (struct pollfd){
			.fd = con.in_eof || con.in_len ? -1 : STDIN_FILENO,
			.events = POLLIN };
		if (con.uart_fd >= 0)
			p[n++] = (struct pollfd){ .fd = con.uart_fd,
				.events = POLLIN | (con.in_len ? POLLOUT : 0) };
		timeout = -1;
		if (con.pc) {
			uint64_t t = now_ms();

			if (t >= next_kick) {
				kick_vcpu();
				next_kick = t + KICK_MS;
			}
			timeout = next_kick - t;
		}
		if (poll(p, n, timeout) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (p[0].revents && read(con.wake[0], drop, sizeof(drop)) < 0)
			continue;
		if (p[1].revents)
			read_stdin();
		if (con.uart_fd >= 0 && p[2].revents & POLLIN)
			drain_output();
		push_input();
	}
	return NULL;
}

/**
 * console_start() - connect the terminal to one guest's UART.
 * @run: the vCPU's kvm_run, for immediate_exit
 * @uart_fd: svmhv's UART file descriptor, or -1
 * @pc: on /dev/kvm, the UART model, else NULL
 *
 * The calling thread is the one that runs the vCPU.
 */
void console_start(struct kvm_run *run, int uart_fd, struct pcdev *pc)
{
	con.vcpu_thread = pthread_self();
	con.uart_fd = uart_fd;
	con.pc = pc;
	con.stop = false;
	con.escape = false;
	con.in_len = 0;
	__atomic_store_n(&kick_run, run, __ATOMIC_RELEASE);
	if (uart_fd >= 0 && fcntl(uart_fd, F_SETFL, O_NONBLOCK))
		die("O_NONBLOCK on the UART: %s", strerror(errno));
	if (pipe2(con.wake, O_CLOEXEC | O_NONBLOCK))
		die("pipe: %s", strerror(errno));
	if (pthread_create(&con.thread, NULL, console_thread, NULL))
		die("cannot start the console thread");
	con.running = true;
}

/* The run is over: stop the thread, print what the guest left. */
void console_stop(void)
{
	if (!con.running)
		return;
	__atomic_store_n(&con.stop, true, __ATOMIC_RELEASE);
	wake_thread();
	pthread_join(con.thread, NULL);
	con.running = false;
	if (con.uart_fd >= 0)
		drain_output();
	close(con.wake[0]);
	close(con.wake[1]);
	con.wake[0] = con.wake[1] = -1;
	con.uart_fd = -1;
	__atomic_store_n(&kick_run, NULL, __ATOMIC_RELEASE);
}
