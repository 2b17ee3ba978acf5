/*
 * test_clock.c: the clock readers of core/clock.h: their units agree
 * with each other and with time(), monotonic time never goes back, and
 * a thread's CPU time grows when it works and not when it sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <time.h>

#include "clock.h"

static void
test_units(void **state)
{
	int64_t ms = clock_wall_ms(), ns = clock_wall_ns();
	int64_t now = (int64_t) time(NULL);
	int64_t mus = clock_mono_us(), mms = clock_mono_ms();

	(void) state;
	/* The wall clock in both units is within 2 s of time(). */
	assert_true(ms / 1000 >= now - 2 && ms / 1000 <= now + 2);
	assert_true(ns / 1000000000 >= now - 2 && ns / 1000000000 <= now + 2);
	assert_true(ns / 1000000 >= ms);
	/* Monotonic ms and us are one clock. */
	assert_true(mms >= mus / 1000 && mms - mus / 1000 < 1000);
}

static void
test_monotonic_and_cpu(void **state)
{
	struct timespec nap = {0, 20 * 1000000};
	int64_t m0 = clock_mono_us(), c0 = clock_cpu_us(), m1, c1, prev;
	volatile uint64_t x = 1;
	int i;

	(void) state;
	nanosleep(&nap, NULL);
	m1 = clock_mono_us();
	c1 = clock_cpu_us();
	assert_true(m1 - m0 >= 20000);
	/* Sleeping costs next to no CPU. */
	assert_true(c1 - c0 < 15000);
	prev = clock_mono_ms();
	for (i = 0; i < 20000000; i++) {
		x = x * 6364136223846793005u + 1;
		if (i % 1000000 == 0) {
			assert_true(clock_mono_ms() >= prev);
			prev = clock_mono_ms();
		}
	}
	/* Working does. */
	assert_true(clock_cpu_us() > c1);
	assert_true(clock_synced() == 0 || clock_synced() == 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_units),
	    cmocka_unit_test(test_monotonic_and_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
