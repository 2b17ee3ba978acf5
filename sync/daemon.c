/*
 * daemon.c: the upload daemon's loop (daemon.h).  One thread: poll() on
 * the poke socket and the netlink socket with a timeout that is the
 * nearest of the gather deadline, the backoff's end and the fallback
 * timer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "daemon.h"
#include "fetch.h"
#include "netupdate.h"
#include "netwatch.h"
#include "poke.h"
#include "status.h"
#include "store_sync.h"
#include "upload.h"

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void) sig;
	stop_flag = 1;
}

static int64_t
mono_ms(void)
{
	return clock_mono_ms();
}

int
daemon_lock(const char *data_dir, int *fd)
{
	char path[4096];
	int f;

	*fd = -1;
	if (snprintf(path, sizeof(path), "%s/%s", data_dir, DAEMON_LOCK_NAME) >=
	    (int) sizeof(path))
		return GU_ETOOBIG;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	if (f < 0)
		return GU_EIO;
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		close(f);
		return e == EWOULDBLOCK ? GU_EBUSY : GU_EIO;
	}
	*fd = f;
	return GU_OK;
}

int
daemon_run(const struct sync_config *cfg, int verbose)
{
	struct sigaction sa;
	struct store *s = NULL;
	struct upload u;
	struct sync_status st;
	struct pollfd pf[2];
	int lockfd = -1, pokefd = -1, netfd = -1, rc, have_u = 0;
	int64_t due = 0, next_timer, now, wall, wait_ms, gate;

	rc = daemon_lock(cfg->data, &lockfd);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync run: %s: %s\n", cfg->data,
		    rc == GU_EBUSY ? "another uploader is running"
		                   : "cannot take the lock");
		return rc;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = store_open(&s, cfg->data, NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync run: %s: %s\n", cfg->data,
		    status_str(rc));
		goto out;
	}
	rc = poke_listen(cfg->data, &pokefd);
	if (rc != GU_OK)
		fprintf(stderr,
		    "guanai-sync run: no poke socket (%s); "
		    "relying on the timer\n",
		    status_str(rc));
	if (cfg->netwatch && netwatch_open(&netfd) != GU_OK)
		fprintf(stderr,
		    "guanai-sync run: no netlink; relying on the "
		    "timer\n");
	rc = upload_init(&u, s, cfg);
	if (rc != GU_OK)
		goto out;
	have_u = 1;
	u.verbose = verbose;
	u.stop = &stop_flag;
	if (verbose)
		fprintf(stderr, "guanai-sync: running on %s for %s\n",
		    cfg->data, cfg->tr.url);
	now = mono_ms();
	due = now; /* one pass at start: whatever waited while we were off */
	next_timer = now + (int64_t) cfg->timer_s * 1000;
	while (!stop_flag) {
		now = mono_ms();
		wall = upload_now_ms();
		gate = now;
		if (store_sync_status(s, &st) == GU_OK &&
		    st.backoff_until_ms > wall) {
			int64_t left = st.backoff_until_ms - wall;

			/* A clock that jumped back must not stall us. */
			if (left > (int64_t) cfg->backoff_max_s * 1000)
				left = (int64_t) cfg->backoff_max_s * 1000;
			gate = now + left;
		}
		if (due != 0 && now >= due && now >= gate) {
			(void) fetch_district_key(&u);
			rc = upload_pass(&u);
			if (!stop_flag && rc == GU_OK)
				(void) fetch_roster(&u);
			if (!stop_flag && rc == GU_OK)
				(void) fetch_calendar(&u);
			if (!stop_flag && rc == GU_OK)
				(void) fetch_acks(&u);
			/* Never changes the upload state: netupdate.h. */
			if (!stop_flag && rc == GU_OK)
				(void) netupdate_pass(&u);
			next_timer = mono_ms() + (int64_t) cfg->timer_s * 1000;
			due = 0;
			if (rc != GU_OK)
				due = mono_ms(); /* again when backoff ends */
			else if (store_sync_status(s, &st) == GU_OK &&
			    st.unacked > 0)
				due = mono_ms() + cfg->gather_ms;
			continue;
		}
		wait_ms = next_timer - now;
		if (due != 0) {
			int64_t d = (due > gate ? due : gate) - now;

			if (d < wait_ms)
				wait_ms = d;
		}
		if (wait_ms < 0)
			wait_ms = 0;
		if (wait_ms > 60000)
			wait_ms = 60000;
		pf[0].fd = pokefd;
		pf[0].events = POLLIN;
		pf[0].revents = 0;
		pf[1].fd = netfd;
		pf[1].events = POLLIN;
		pf[1].revents = 0;
		if (poll(pf, 2, (int) wait_ms) < 0 && errno != EINTR)
			break;
		now = mono_ms();
		if (pf[0].revents & POLLIN) {
			int bits = poke_recv(pokefd);

			if (bits & POKE_F_TRIGGER) {
				(void) store_sync_trigger(s, upload_now_ms());
				due = now;
			} else if ((bits & POKE_F_COMMIT) &&
			    (due == 0 || due > now + cfg->gather_ms))
				due = now + cfg->gather_ms;
		}
		if ((pf[1].revents & POLLIN) && netwatch_read(netfd)) {
			if (verbose)
				fprintf(stderr,
				    "guanai-sync: network change; "
				    "trying now\n");
			(void) store_sync_trigger(s, upload_now_ms());
			/* Let the address and route settle a moment. */
			if (due == 0 || due > now + 300)
				due = now + 300;
		}
		if (now >= next_timer && due == 0)
			due = now;
	}
	rc = GU_OK;
out:
	if (have_u)
		upload_fini(&u);
	netwatch_close(netfd);
	poke_close(pokefd, cfg->data);
	store_close(s);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
