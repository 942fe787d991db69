/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MC146818 real-time clock and CMOS RAM behind ports 0x70 (index;
 * bit 7, the NMI mask on a PC, is ignored) and 0x71 (data).
 *
 * The clock is not stepped: the date and time registers are computed at
 * each read from @wall, the host's wall clock in ns since the epoch,
 * plus the RTC's offset (0 at reset, so the guest starts at the host's
 * UTC time).  A guest that sets the clock (writes with register B's SET
 * bit, or straight into a time register) changes the offset; so can the
 * caller (vdev_rtc_set_offset()).  Register B chooses BCD or binary and
 * 12- or 24-hour encoding, applied at each read and write.  Register A's
 * UIP bit is set in the last 244 us of every second while the divider
 * runs (A bits 6:4 = 010) and SET is clear; the registers change at the
 * second, so a reader that waits out UIP reads a consistent time.
 * Register 0x32 is the century.  Not modelled: the alarm, periodic and
 * update interrupts (the alarm registers are plain storage; register C
 * reads 0), daylight saving.
 *
 * Pure logic, serialized by the caller.
 */
#ifndef SVMHV_VDEV_RTC_H
#define SVMHV_VDEV_RTC_H

#include <linux/types.h>

#define VDEV_RTC_INDEX		0x70
#define VDEV_RTC_DATA		0x71

#define VDEV_RTC_SECONDS	0x00
#define VDEV_RTC_MINUTES	0x02
#define VDEV_RTC_HOURS		0x04
#define VDEV_RTC_WDAY		0x06
#define VDEV_RTC_MDAY		0x07
#define VDEV_RTC_MONTH		0x08
#define VDEV_RTC_YEAR		0x09
#define VDEV_RTC_REG_A		0x0a
#define VDEV_RTC_REG_B		0x0b
#define VDEV_RTC_REG_C		0x0c
#define VDEV_RTC_REG_D		0x0d
#define VDEV_RTC_CENTURY	0x32

#define VDEV_RTC_A_UIP		0x80
#define VDEV_RTC_A_DV_NORMAL	0x20	/* bits 6:4: 32.768 kHz, running */
#define VDEV_RTC_B_SET		0x80
#define VDEV_RTC_B_UIE		0x10
#define VDEV_RTC_B_BINARY	0x04
#define VDEV_RTC_B_24H		0x02
#define VDEV_RTC_D_VRT		0x80

/* How long UIP is set before each second begins. */
#define VDEV_RTC_UIP_NS		244000

struct vdev_rtc_time {
	unsigned int sec, min, hour;	/* hour 0-23 */
	unsigned int wday;		/* 1-7, 1 = Sunday */
	unsigned int mday, mon, year;	/* mon 1-12, year e.g. 2024 */
};

struct vdev_rtc {
	u8 index;
	u8 cmos[128];		/* A, B, alarms and the RAM; not the time */
	/*
	 * RTC time = wall + phase_ns, in whole seconds, + offset_s: the
	 * RTC's second starts phase_ns before the wall clock's.
	 */
	s64 offset_s;
	u32 phase_ns;
	struct vdev_rtc_time set;	/* the time being set while B.SET */
};

void vdev_rtc_init(struct vdev_rtc *rtc);
u8 vdev_rtc_read(struct vdev_rtc *rtc, u16 port, u64 wall);
void vdev_rtc_write(struct vdev_rtc *rtc, u16 port, u8 val, u64 wall);
void vdev_rtc_set_offset(struct vdev_rtc *rtc, s64 offset_ns);
void vdev_rtc_now(const struct vdev_rtc *rtc, u64 wall,
		  struct vdev_rtc_time *tm, u32 *subsec);

#endif /* SVMHV_VDEV_RTC_H */
