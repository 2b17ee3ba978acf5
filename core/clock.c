/*
 * clock.c: the kernel's view of clock synchronisation (clock.h).
 */
#include <sys/timex.h>

#include "clock.h"

int
clock_synced(void)
{
	struct timex tx = {0};
	int state = adjtimex(&tx);

	return state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}
