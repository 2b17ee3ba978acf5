/*
 * clock.h: the device's clocks, in one place: whether the wall clock has
 * been synchronised, and the clock_gettime() readings every program and
 * test needs (monotonic for intervals and timeouts, wall for what goes
 * into records, thread CPU time for the benchmarks).
 *
 * Records carry the device's wall-clock time and whether that clock was
 * synchronised (by systemd-timesyncd or any NTP client) when they were
 * made, so the district can tell a trustworthy time from a guess: a
 * terminal without a network may boot in 1970 or on the day its battery
 * died.  Order never depends on the clock (seq does that), and intervals
 * never depend on the wall clock (it can jump): use the monotonic one.
 *
 * The readers cannot fail on Linux for these clocks; if the kernel ever
 * said no, they return 0 rather than garbage.
 */
#ifndef GU_CLOCK_H
#define GU_CLOCK_H

#include <stdint.h>

/*
 * 1 when the kernel says the clock is synchronised (adjtimex: no
 * STA_UNSYNC, no TIME_ERROR), 0 otherwise or when it cannot tell.
 */
int clock_synced(void);

/* CLOCK_MONOTONIC: milliseconds and microseconds since some boot point. */
int64_t clock_mono_ms(void);
int64_t clock_mono_us(void);

/* CLOCK_REALTIME: milliseconds and nanoseconds since the Unix epoch. */
int64_t clock_wall_ms(void);
int64_t clock_wall_ns(void);

/* CLOCK_THREAD_CPUTIME_ID: CPU time of the calling thread, microseconds. */
int64_t clock_cpu_us(void);

/* The local UTC offset now, in minutes, as records carry it (tz_min). */
int clock_tz_min(void);

#endif
