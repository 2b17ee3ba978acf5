/*
 * clock.h: whether this device's wall clock has been synchronised.
 *
 * Records carry the device's wall-clock time and whether that clock was
 * synchronised (by systemd-timesyncd or any NTP client) when they were
 * made, so the district can tell a trustworthy time from a guess: a
 * terminal without a network may boot in 1970 or on the day its battery
 * died.  Order never depends on the clock (seq does that).
 */
#ifndef GU_CLOCK_H
#define GU_CLOCK_H

/*
 * 1 when the kernel says the clock is synchronised (adjtimex: no
 * STA_UNSYNC, no TIME_ERROR), 0 otherwise or when it cannot tell.
 */
int clock_synced(void);

#endif
