// SPDX-License-Identifier: GPL-2.0
/*
 * The paging torture guest: a freestanding program that svmhv-run starts
 * in long mode (TORTURE_LONG), PAE (TORTURE_PAE) or two-level 32-bit
 * paging, with its memory identity-mapped.  It builds four address
 * spaces of its own and, driven by a fixed pseudo-random sequence, maps,
 * unmaps, remaps and re-permissions pages, swaps page tables under a
 * directory entry, edits address spaces that are not loaded, toggles
 * CR0.WP, switches CR3, flushes with INVLPG or a CR3 reload, and probes
 * reads, writes and instruction fetches.
 *
 * Every probe's outcome (the value read, or the #PF error code and CR2)
 * is checked against what the guest's own tables say it must be, and
 * the accessed and dirty bits against the accesses made; every outcome
 * also goes into a digest.  It prints
 *	torture: steps=N probes=N mismatches=N digest=X
 * and ends with status 0 when nothing mismatched.  The digest must be
 * the same under every hypervisor and MMU: tests compare it.
 *
 * A probe only ever follows a flush of what it depends on, so the
 * outcome is architecturally defined; what a TLB may or may not still
 * hold is never probed.
 */
#include "torture.h"

#ifdef TORTURE_LONG
typedef u64 pte_t;
#define LARGE		(2UL << 20)
#define NX		(1ULL << 63)
#define HAS_NX		1
#elif defined(TORTURE_PAE)
typedef u64 pte_t;
#define LARGE		(2UL << 20)
#define NX		(1ULL << 63)
#define HAS_NX		1
#else
typedef u32 pte_t;
#define LARGE		(4UL << 20)
#define NX		0
#define HAS_NX		0
#endif

#define P		0x1
#define RW		0x2
#define A		0x20
#define D		0x40
#define PS		0x80
#define ADDR(e)		((e) & 0xfffff000ULL)

#define PF_P		0x1
#define PF_W		0x2
#define PF_ID		0x10

#define NAS		4		/* address spaces */
#define NPAGES		16		/* 4K pages in the window */
#define NFRAMES		32
#define WINDOW		0x40000000UL	/* the 4K window */
#define LWINDOW		(WINDOW + LARGE)	/* one large page */
#define POOL		0x1000000UL	/* page tables from here */
#define FRAMES		0x1800000UL	/* data frames (LARGE aligned) */
#define IDENTITY	(32UL << 20)	/* identity-mapped in every space */
#define STEPS		10000

ulong fault_error, fault_addr;
u32 faulted;

static ulong pool_next = POOL;
static u64 rng = 0x2545f4914f6cdd1dULL;
static u64 digest = 0xcbf29ce484222325ULL;
static u32 probes, mismatches;

struct space {
	ulong root;			/* what CR3 gets */
	pte_t *pd_win;			/* the entry over the window */
	pte_t *pt[2];			/* two page tables for the window */
	int cur;			/* which one the directory points at */
	u8 a[2][NPAGES], d[2][NPAGES], known[2][NPAGES];
	u8 la, ld, lknown;		/* the large page's A/D model */
};

static struct space as[NAS];
static int cur_as;
static u32 frame_val[NFRAMES];
static int wp = 1;

static void port_out(int port, u8 v)
{
	asm volatile("outb %0, %w1" : : "a"(v), "Nd"(port));
}

static void puts_(const char *s)
{
	while (*s)
		port_out(0x3f8, *s++);
}

static void putnum(u64 v, int base)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		port_out(0x3f8, buf[--i]);
}

static u32 rnd(u32 n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(rng >> 32) % n;
}

static void mix(u64 v)
{
	int i;

	for (i = 0; i < 8; i++) {
		digest ^= (v >> (8 * i)) & 0xff;
		digest *= 0x100000001b3ULL;
	}
}

static void *zalloc_page(void)
{
	u64 *p = (u64 *)pool_next;
	int i;

	pool_next += 4096;
	for (i = 0; i < 512; i++)
		p[i] = 0;
	return p;
}

static ulong read_cr0(void)
{
	ulong v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static void write_cr0(ulong v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static ulong read_cr3(void)
{
	ulong v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static void write_cr3(ulong v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static void flush_page(ulong va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static void fail(const char *what, u64 got, u64 want)
{
	mismatches++;
	if (mismatches > 10)
		return;
	puts_("torture: mismatch: ");
	puts_(what);
	puts_(" got ");
	putnum(got, 16);
	puts_(" want ");
	putnum(want, 16);
	puts_("\n");
}

/* The IDT: #PF to pf_entry, everything else to bad_entry. */
#ifdef TORTURE_LONG
static u64 idt[2 * 32];

static void set_gate(int vec, void (*fn)(void))
{
	u64 a = (u64)fn;

	idt[2 * vec] = (a & 0xffff) | (24ULL << 16) | (0x8eULL << 40) |
		       ((a >> 16) & 0xffff) << 48;
	idt[2 * vec + 1] = a >> 32;
}
#else
static u64 idt[32];

static void set_gate(int vec, void (*fn)(void))
{
	u64 a = (ulong)fn;

	idt[vec] = (a & 0xffff) | (8ULL << 16) | (0x8eULL << 40) |
		   ((a >> 16) & 0xffff) << 48;
}
#endif

static void setup_idt(void)
{
	/* The IDTR image: a 16-bit limit, then the base. */
	unsigned short idtr[5] = { sizeof(idt) - 1 };
	ulong base = (ulong)idt;
	int i;

	for (i = 0; i < (int)(sizeof(base) / 2); i++)
		idtr[1 + i] = base >> (16 * i);
	for (i = 0; i < 32; i++)
		set_gate(i, i == 14 ? pf_entry : bad_entry);
	asm volatile("lidt %0" : : "m"(idtr));
}

/* EFER.NXE, so NX bits mean something (PAE and long mode). */
static void enable_nx(void)
{
#if HAS_NX
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
	lo |= 1 << 11;
	asm volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(0xc0000080));
#endif
}

/* Build one address space. */
static void build_space(struct space *s, pte_t *pd_low)
{
	int i;

	s->pt[0] = zalloc_page();
	s->pt[1] = zalloc_page();
#ifdef TORTURE_LONG
	{
		pte_t *pml4 = zalloc_page(), *pdpt = zalloc_page();

		s->pd_win = zalloc_page();
		pml4[0] = (ulong)pdpt | P | RW;
		pdpt[0] = (ulong)pd_low | P | RW;
		pdpt[1] = (ulong)s->pd_win | P | RW;
		s->root = (ulong)pml4;
	}
#elif defined(TORTURE_PAE)
	{
		pte_t *pdpt = zalloc_page();

		s->pd_win = zalloc_page();
		pdpt[0] = (ulong)pd_low | P;
		pdpt[1] = (ulong)s->pd_win | P;
		s->root = (ulong)pdpt;
	}
#else
	{
		pte_t *pd = zalloc_page();

		for (i = 0; i < (int)(IDENTITY / LARGE); i++)
			pd[i] = i * LARGE | P | RW | PS;
		s->pd_win = pd + (WINDOW >> 22);
		s->root = (ulong)pd;
	}
#endif
	(void)pd_low;
	s->pd_win[0] = (ulong)s->pt[0] | P | RW;
	s->cur = 0;
	for (i = 0; i < NPAGES; i++) {
		s->known[0][i] = s->known[1][i] = 1;
		s->a[0][i] = s->a[1][i] = 0;
		s->d[0][i] = s->d[1][i] = 0;
	}
	s->lknown = 1;
	s->la = s->ld = 0;
}

/* The large page's directory entry (the one after the window's). */
static pte_t *large_entry(struct space *s)
{
	return s->pd_win + 1;
}

/* Make the current space see a change to @s at @va. */
static void flush(struct space *s, ulong va)
{
	if (s != &as[cur_as])
		return;		/* loading its CR3 later flushes */
	if (rnd(2))
		flush_page(va);
	else
		write_cr3(read_cr3());
}

static pte_t random_perms(void)
{
	pte_t e = P;

	if (rnd(3))
		e |= RW;
	if (HAS_NX && !rnd(3))
		e |= NX;
	return e;
}

/* What an access must give, from the guest's own entry. */
static u32 expect_fault(pte_t e, int write, int fetch)
{
	u32 err = (write ? PF_W : 0) | (fetch && HAS_NX ? PF_ID : 0);

	if (!(e & P))
		return err | 0x100;	/* marker: not present (P clear) */
	if (write && !(e & RW) && wp)
		return err | PF_P;
	if (fetch && (e & NX))
		return err | PF_P;
	return 0;
}

static void probe(int kind, ulong va, pte_t *pte, u8 *a, u8 *d, u8 *known,
		  int frame)
{
	u32 want = expect_fault(*pte, kind == 1, kind == 2);
	u32 val = 0, wrote = 0;

	probes++;
	faulted = 0;
	if (kind == 0) {
		val = probe_read(va);
	} else if (kind == 1) {
		wrote = (u32)rng ^ probes;
		probe_write(va, wrote);
	} else {
		probe_exec(va + 8);
	}
	if (faulted) {
		mix(fault_error);
		mix(fault_addr);
		if (!want)
			fail("unexpected #PF, error", fault_error, 0);
		else if (fault_error != (want & ~0x100))
			fail("#PF error code", fault_error, want & ~0x100);
		if (fault_addr != (kind == 2 ? va + 8 : va))
			fail("CR2", fault_addr, kind == 2 ? va + 8 : va);
		*known = 0;	/* A/D after a fault are not defined */
		return;
	}
	if (want) {
		fail("no #PF, wanted error", 0, want & ~0x100);
		*known = 0;
		return;
	}
	if (kind == 0) {
		mix(val);
		if (val != frame_val[frame])
			fail("read value", val, frame_val[frame]);
	} else if (kind == 1) {
		frame_val[frame] = wrote;
		mix(wrote);
	}
	*a = 1;
	if (kind == 1)
		*d = 1;
	if (*known) {
		if (!!(*pte & A) != *a)
			fail("accessed bit", *pte & A, *a);
		if (!!(*pte & D) != *d)
			fail("dirty bit", *pte & D, *d);
	}
	mix(*pte & (A | D));
}

/* A frame: its value in the word at offset 0, a RET at offset 8. */
static void fill_frame(int f)
{
	u32 *w = (u32 *)(FRAMES + f * 4096UL);

	w[0] = frame_val[f];
	((u8 *)w)[8] = 0xc3;
}

static void step(void)
{
	struct space *s = &as[rnd(4) ? (u32)cur_as : rnd(NAS)];
	int p = rnd(NPAGES), t = s->cur;
	pte_t *pte = &s->pt[t][p];
	ulong va = WINDOW + p * 4096UL;
	int op = rnd(20), f;

	switch (op) {
	case 0: case 1:			/* map a frame */
		f = rnd(NFRAMES);
		*pte = (FRAMES + f * 4096UL) | random_perms();
		s->a[t][p] = s->d[t][p] = 0;
		s->known[t][p] = 1;
		flush(s, va);
		break;
	case 2:				/* unmap */
		*pte = 0;
		flush(s, va);
		break;
	case 3:				/* new rights, same frame */
		if (*pte & P)
			*pte = (*pte & ~(pte_t)(RW | NX)) |
			       (random_perms() & (RW | NX));
		flush(s, va);
		break;
	case 4:				/* clear A and D */
		*pte &= ~(pte_t)(A | D);
		s->a[t][p] = s->d[t][p] = 0;
		s->known[t][p] = 1;
		flush(s, va);
		break;
	case 5:				/* swap the page table */
		s->cur ^= 1;
		s->pd_win[0] = (ulong)s->pt[s->cur] | P | RW;
		if (s == &as[cur_as])
			write_cr3(read_cr3());
		break;
	case 6: case 7:			/* switch address space */
		cur_as = rnd(NAS);
		write_cr3(as[cur_as].root);
		break;
	case 8:				/* the large page */
		f = rnd(3);
		if (f == 0)
			*large_entry(s) = 0;
		else
			*large_entry(s) = FRAMES | PS | random_perms();
		s->la = s->ld = 0;
		s->lknown = 1;
		flush(s, LWINDOW + rnd(NFRAMES) * 4096UL);
		if (s == &as[cur_as])
			write_cr3(read_cr3());	/* all of it */
		break;
	case 9:				/* CR0.WP, now and then */
		if (rnd(8))
			break;
		wp = !wp;
		write_cr0(wp ? read_cr0() | 0x10000 : read_cr0() & ~0x10000UL);
		break;
	default: {			/* probes in the current space */
		struct space *c = &as[cur_as];
		int kind = rnd(3), lp = rnd(4) == 0;

		t = c->cur;
		if (lp) {
			f = rnd(NFRAMES);
			va = LWINDOW + f * 4096UL;
			probe(kind, va, large_entry(c), &c->la, &c->ld,
			      &c->lknown, f);
		} else {
			pte = &c->pt[t][p];
			va = WINDOW + p * 4096UL;
			f = (ADDR(*pte) - FRAMES) / 4096;
			if (!(*pte & P))
				f = 0;
			probe(kind, va, pte, &c->a[t][p], &c->d[t][p],
			      &c->known[t][p], f);
		}
		break;
	}
	}
}

int torture_main(void)
{
	pte_t *pd_low = 0;
	int i;

	setup_idt();
	enable_nx();
	for (i = 0; i < NFRAMES; i++) {
		frame_val[i] = 0x10000000 * (i & 7) + i * 0x10000;
		fill_frame(i);
	}
#if defined(TORTURE_LONG) || defined(TORTURE_PAE)
	pd_low = zalloc_page();
	for (i = 0; i < (int)(IDENTITY / LARGE); i++)
		pd_low[i] = i * LARGE | P | RW | PS;
#endif
	for (i = 0; i < NAS; i++)
		build_space(&as[i], pd_low);
	write_cr3(as[0].root);
	for (i = 0; i < STEPS; i++)
		step();
	puts_("torture: steps=");
	putnum(STEPS, 10);
	puts_(" probes=");
	putnum(probes, 10);
	puts_(" mismatches=");
	putnum(mismatches, 10);
	puts_(" digest=");
	putnum(digest, 16);
	puts_("\n");
	return mismatches ? 1 : 0;
}
