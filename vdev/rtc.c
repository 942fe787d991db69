// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818 RTC, after Motorola's datasheet and the PC's use of it.
 */
#include <linux/bcd.h>
#include <linux/math64.h>
#include <linux/time.h>
#include <linux/time64.h>

#include "rtc.h"

static bool rtc_binary(const struct vdev_rtc *rtc)
{
	return rtc->cmos[VDEV_RTC_REG_B] & VDEV_RTC_B_BINARY;
}

static bool rtc_setting(const struct vdev_rtc *rtc)
{
	return rtc->cmos[VDEV_RTC_REG_B] & VDEV_RTC_B_SET;
}

/**
 * vdev_rtc_now() - the RTC's date and time.
 * @rtc: the clock
 * @wall: the host's wall clock, ns since 1970 UTC
 * @tm: the time, counted (what register B's SET froze is not looked at)
 * @subsec: ns into the current second
 */
void vdev_rtc_now(const struct vdev_rtc *rtc, u64 wall,
		  struct vdev_rtc_time *tm, u32 *subsec)
{
	u64 secs = div_u64_rem(wall + rtc->phase_ns, NSEC_PER_SEC, subsec);
	struct tm t;

	time64_to_tm((s64)secs + rtc->offset_s, 0, &t);
	*tm = (struct vdev_rtc_time){
		.sec = t.tm_sec, .min = t.tm_min, .hour = t.tm_hour,
		.wday = t.tm_wday + 1, .mday = t.tm_mday, .mon = t.tm_mon + 1,
		.year = t.tm_year + 1900,
	};
}

/* The time the guest reads: frozen while SET, else counted. */
static void rtc_time(const struct vdev_rtc *rtc, u64 wall,
		     struct vdev_rtc_time *tm, u32 *subsec)
{
	vdev_rtc_now(rtc, wall, tm, subsec);
	if (rtc_setting(rtc))
		*tm = rtc->set;
}

/*
 * Make @tm the time now.  With @restart the new second begins now (as
 * when SET is cleared), else the current one goes on.
 */
static void rtc_set_time(struct vdev_rtc *rtc, const struct vdev_rtc_time *tm,
			 u64 wall, bool restart)
{
	s64 secs = mktime64(tm->year, tm->mon, tm->mday, tm->hour, tm->min,
			    tm->sec);
	u32 rem;

	if (restart) {
		div_u64_rem(wall, NSEC_PER_SEC, &rem);
		rtc->phase_ns = rem ? NSEC_PER_SEC - rem : 0;
	}
	rtc->offset_s = secs - (s64)div_u64(wall + rtc->phase_ns,
					    NSEC_PER_SEC);
}

static u8 rtc_encode(const struct vdev_rtc *rtc, unsigned int v)
{
	return rtc_binary(rtc) ? v : bin2bcd(v);
}

static unsigned int rtc_decode(const struct vdev_rtc *rtc, u8 v)
{
	return rtc_binary(rtc) ? v : bcd2bin(v);
}

/* Hours: 0-23, or 1-12 with bit 7 for PM when register B says 12-hour. */
static u8 rtc_encode_hour(const struct vdev_rtc *rtc, unsigned int hour)
{
	unsigned int h12 = hour % 12 ? hour % 12 : 12;

	if (rtc->cmos[VDEV_RTC_REG_B] & VDEV_RTC_B_24H)
		return rtc_encode(rtc, hour);
	return rtc_encode(rtc, h12) | (hour >= 12 ? 0x80 : 0);
}

static unsigned int rtc_decode_hour(const struct vdev_rtc *rtc, u8 v)
{
	if (rtc->cmos[VDEV_RTC_REG_B] & VDEV_RTC_B_24H)
		return rtc_decode(rtc, v);
	return rtc_decode(rtc, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

/* The field of @tm that time register @reg holds, or NULL. */
static unsigned int *rtc_field(struct vdev_rtc_time *tm, u8 reg)
{
	switch (reg) {
	case VDEV_RTC_SECONDS:
		return &tm->sec;
	case VDEV_RTC_MINUTES:
		return &tm->min;
	case VDEV_RTC_HOURS:
		return &tm->hour;
	case VDEV_RTC_WDAY:
		return &tm->wday;
	case VDEV_RTC_MDAY:
		return &tm->mday;
	case VDEV_RTC_MONTH:
		return &tm->mon;
	default:
		return NULL;
	}
}

static u8 rtc_read_time(const struct vdev_rtc *rtc, u8 reg, u64 wall)
{
	struct vdev_rtc_time tm;
	u32 subsec;

	rtc_time(rtc, wall, &tm, &subsec);
	switch (reg) {
	case VDEV_RTC_HOURS:
		return rtc_encode_hour(rtc, tm.hour);
	case VDEV_RTC_YEAR:
		return rtc_encode(rtc, tm.year % 100);
	case VDEV_RTC_CENTURY:
		return rtc_encode(rtc, tm.year / 100);
	default:
		return rtc_encode(rtc, *rtc_field(&tm, reg));
	}
}

static bool rtc_uip(const struct vdev_rtc *rtc, u64 wall)
{
	u32 subsec;

	if ((rtc->cmos[VDEV_RTC_REG_A] & 0x70) != VDEV_RTC_A_DV_NORMAL ||
	    rtc_setting(rtc))
		return false;
	div_u64_rem(wall + rtc->phase_ns, NSEC_PER_SEC, &subsec);
	return subsec >= NSEC_PER_SEC - VDEV_RTC_UIP_NS;
}

static bool rtc_is_time_reg(u8 reg)
{
	return reg <= VDEV_RTC_YEAR && reg != 1 && reg != 3 && reg != 5;
}

static u8 rtc_read_reg(const struct vdev_rtc *rtc, u8 reg, u64 wall)
{
	if (rtc_is_time_reg(reg) || reg == VDEV_RTC_CENTURY)
		return rtc_read_time(rtc, reg, wall);
	switch (reg) {
	case VDEV_RTC_REG_A:
		return rtc->cmos[reg] | (rtc_uip(rtc, wall) ? VDEV_RTC_A_UIP : 0);
	case VDEV_RTC_REG_C:
		return 0;		/* no interrupt flags */
	case VDEV_RTC_REG_D:
		return VDEV_RTC_D_VRT;
	default:
		return rtc->cmos[reg];
	}
}

static void rtc_write_time(struct vdev_rtc *rtc, u8 reg, u8 val, u64 wall)
{
	struct vdev_rtc_time tm;
	unsigned int v;
	u32 subsec;

	rtc_time(rtc, wall, &tm, &subsec);
	v = reg == VDEV_RTC_HOURS ? rtc_decode_hour(rtc, val) :
	    rtc_decode(rtc, val);
	if (reg == VDEV_RTC_YEAR)
		tm.year = tm.year / 100 * 100 + v;
	else if (reg == VDEV_RTC_CENTURY)
		tm.year = v * 100 + tm.year % 100;
	else
		*rtc_field(&tm, reg) = v;
	if (rtc_setting(rtc))
		rtc->set = tm;
	else if (reg != VDEV_RTC_WDAY)	/* counted from the date */
		rtc_set_time(rtc, &tm, wall, false);
}

static void rtc_write_b(struct vdev_rtc *rtc, u8 val, u64 wall)
{
	bool was_setting = rtc_setting(rtc);
	u32 subsec;

	if (val & VDEV_RTC_B_SET) {
		val &= ~VDEV_RTC_B_UIE;		/* SET clears UIE */
		if (!was_setting)
			vdev_rtc_now(rtc, wall, &rtc->set, &subsec);
	}
	rtc->cmos[VDEV_RTC_REG_B] = val;
	if (was_setting && !(val & VDEV_RTC_B_SET))
		rtc_set_time(rtc, &rtc->set, wall, true);
}

/**
 * vdev_rtc_init() - the RTC as the guest first finds it.
 * @rtc: the clock
 *
 * Divider running, 24-hour BCD, no offset from the host's clock, CMOS
 * RAM zeroed.  Battery-backed: a guest reset leaves all this alone.
 */
void vdev_rtc_init(struct vdev_rtc *rtc)
{
	*rtc = (struct vdev_rtc){};
	rtc->cmos[VDEV_RTC_REG_A] = VDEV_RTC_A_DV_NORMAL | 0x06;
	rtc->cmos[VDEV_RTC_REG_B] = VDEV_RTC_B_24H;
}

/**
 * vdev_rtc_read() - IN from port 0x70 or 0x71.
 * @rtc: the clock
 * @port: the port
 * @wall: the host's wall clock, ns since 1970 UTC
 *
 * Return: the register @rtc->index selects; 0xFF for the index port,
 * which is write-only.
 */
u8 vdev_rtc_read(struct vdev_rtc *rtc, u16 port, u64 wall)
{
	if (port == VDEV_RTC_INDEX)
		return 0xff;
	return rtc_read_reg(rtc, rtc->index, wall);
}

/**
 * vdev_rtc_write() - OUT to port 0x70 (index) or 0x71 (data).
 * @rtc: the clock
 * @port: the port
 * @val: the byte
 * @wall: the host's wall clock, ns since 1970 UTC
 */
void vdev_rtc_write(struct vdev_rtc *rtc, u16 port, u8 val, u64 wall)
{
	u8 reg = rtc->index;

	if (port == VDEV_RTC_INDEX) {
		rtc->index = val & 0x7f;
		return;
	}
	if (rtc_is_time_reg(reg) || reg == VDEV_RTC_CENTURY)
		rtc_write_time(rtc, reg, val, wall);
	else if (reg == VDEV_RTC_REG_A)
		rtc->cmos[reg] = val & ~VDEV_RTC_A_UIP;
	else if (reg == VDEV_RTC_REG_B)
		rtc_write_b(rtc, val, wall);
	else if (reg != VDEV_RTC_REG_C && reg != VDEV_RTC_REG_D)
		rtc->cmos[reg] = val;
}

/**
 * vdev_rtc_set_offset() - set the RTC to the host's clock plus @offset_ns.
 * @rtc: the clock
 * @offset_ns: may be negative
 */
void vdev_rtc_set_offset(struct vdev_rtc *rtc, s64 offset_ns)
{
	s32 rem;

	rtc->offset_s = div_s64_rem(offset_ns, NSEC_PER_SEC, &rem);
	if (rem < 0) {
		rtc->offset_s--;
		rem += NSEC_PER_SEC;
	}
	rtc->phase_ns = rem;
}
