/*
 * clock.c: the kernel's view of clock synchronisation and the one place
 * that calls clock_gettime() (clock.h).
 */
#include <sys/timex.h>
#include <time.h>

#include "clock.h"

int
clock_synced(void)
{
	struct timex tx = {0};
	int state = adjtimex(&tx);

	return state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

/* One clock in nanoseconds; 0 if the kernel refuses it. */
static int64_t
read_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
clock_mono_ms(void)
{
	return read_ns(CLOCK_MONOTONIC) / 1000000;
}

int64_t
clock_mono_us(void)
{
	return read_ns(CLOCK_MONOTONIC) / 1000;
}

int64_t
clock_wall_ms(void)
{
	return read_ns(CLOCK_REALTIME) / 1000000;
}

int64_t
clock_wall_ns(void)
{
	return read_ns(CLOCK_REALTIME);
}

int64_t
clock_cpu_us(void)
{
	return read_ns(CLOCK_THREAD_CPUTIME_ID) / 1000;
}

int
clock_tz_min(void)
{
	time_t now = time(0);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return 0;
	return (int) (tm.tm_gmtoff / 60);
}
