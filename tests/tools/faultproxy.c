/*
 * faultproxy: test helper: a TCP proxy in front of the test nginx that
 * misbehaves on purpose.
 *
 *   faultproxy LISTEN_PORT TARGET_PORT DELAY_MS MODE[,MODE...]
 *
 * Each new connection whose first request is not a HEAD takes the next
 * mode of the list (the last one repeats); HEAD (the probe) always
 * passes, and its connection is closed after the answer.  Modes:
 *   pass     forward both ways
 *   reset    close with RST at once (a refused connection)
 *   midreset forward half of the first chunk of the body, then RST
 *   e500     answer 500 without forwarding
 *   e503     answer 503 with Retry-After: 1
 *   e401     answer 401
 *   stall    read and never answer (the client's stall detection ends it)
 *   slow     forward the request at about 2 KB/s
 *   lost     forward the whole request, read the server's answer, then
 *            close without passing it on (stored, but the client never
 *            knows)
 *   portal   answer every request, HEAD included, 200 text/html with a
 *            login page (a captive portal); a portal connection does
 *            not use up the mode, so the whole list stays at it
 *   fake200  answer the PUT 200 with no body and store nothing (the HEAD
 *            that follows reaches the server, which has no such file)
 *   a202     answer 202 Accepted and store nothing
 *   s201stall answer "201 Created" with a Content-Length, then send
 *            nothing more (a server that answers and stalls)
 *   redirect answer 302 to http://portal.example/login
 * DELAY_MS delays every forwarded chunk (latency for the slow-link test).
 * One process per connection (fork); localhost only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int target_port, delay_ms;

static void
msleep(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
writeall(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t) w;
	}
	return 0;
}

static void
rst(int fd)
{
	struct linger l = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static int
dial(void)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t) target_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0)
		exit(1);
	return fd;
}

static void
answer(int c, const char *status, const char *extra)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf),
	    "HTTP/1.1 %s\r\n%sContent-Length: 0\r\nConnection: close\r\n\r\n",
	    status, extra);

	msleep(50);
	writeall(c, buf, (size_t) n);
	msleep(100);
	close(c);
	exit(0);
}

/* Forwards both ways until either side closes. */
static void
pump(int c, int s, const char *first, size_t flen, int slow, int lost)
{
	struct pollfd pf[2];
	char buf[16384];

	if (flen > 0) {
		if (delay_ms)
			msleep(delay_ms);
		if (writeall(s, first, flen) != 0)
			exit(1);
	}
	pf[0].fd = c;
	pf[0].events = POLLIN;
	pf[1].fd = s;
	pf[1].events = POLLIN;
	for (;;) {
		if (poll(pf, 2, -1) < 0)
			exit(1);
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(c, buf, slow ? 512 : sizeof(buf));

			if (n <= 0)
				exit(0);
			if (delay_ms)
				msleep(delay_ms);
			if (slow)
				msleep(250);
			if (writeall(s, buf, (size_t) n) != 0)
				exit(0);
		}
		if (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(s, buf, sizeof(buf));

			if (n <= 0)
				exit(0);
			if (lost == 2) {
				/* A probe: answer it, then close, so the
				 * client cannot reuse this connection. */
				writeall(c, buf, (size_t) n);
				close(c);
				exit(0);
			}
			if (lost) {
				/* The server has the body; drop the answer. */
				rst(c);
				exit(0);
			}
			if (delay_ms)
				msleep(delay_ms);
			if (writeall(c, buf, (size_t) n) != 0)
				exit(0);
		}
	}
}

static void
serve(int c, const char *mode)
{
	char first[16384];
	ssize_t n;
	int s;

	n = read(c, first, sizeof(first));
	if (n <= 0)
		exit(0);
	if (strcmp(mode, "portal") == 0) {
		static const char page[] =
		    "<html><body>Campus network login</body></html>\n";
		char hdr[256];
		int hl = snprintf(hdr, sizeof(hdr),
		    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		    sizeof(page) - 1);

		writeall(c, hdr, (size_t) hl);
		if (memcmp(first, "HEAD", 4) != 0)
			writeall(c, page, sizeof(page) - 1);
		msleep(100);
		close(c);
		exit(0);
	}
	if (n >= 4 && memcmp(first, "HEAD", 4) == 0)
		mode = "head";
	if (strcmp(mode, "fake200") == 0) {
		/* Keep the connection so the client's HEAD comes here too:
		 * answer the PUT, then pass the rest to the server. */
		static const char ok[] =
		    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

		struct pollfd pf = {.fd = c, .events = POLLIN};

		/* Take the whole body (until the client goes quiet). */
		while (poll(&pf, 1, 300) > 0)
			if (read(c, first, sizeof(first)) <= 0)
				exit(0);
		writeall(c, ok, sizeof(ok) - 1);
		s = dial();
		for (;;) {
			n = read(c, first, sizeof(first));
			if (n <= 0)
				exit(0);
			if (n >= 4 && memcmp(first, "HEAD", 4) == 0)
				break;
		}
		pump(c, s, first, (size_t) n, 0, 0);
	}
	if (strcmp(mode, "a202") == 0)
		answer(c, "202 Accepted", "");
	if (strcmp(mode, "redirect") == 0)
		answer(c, "302 Found",
		    "Location: http://portal.example/login\r\n");
	if (strcmp(mode, "s201stall") == 0) {
		static const char part[] = "HTTP/1.1 201 Created\r\n"
		                           "Content-Length: 100\r\n\r\nCre";

		msleep(50);
		writeall(c, part, sizeof(part) - 1);
		for (;;)
			if (read(c, first, sizeof(first)) <= 0)
				exit(0);
	}
	if (strcmp(mode, "reset") == 0) {
		rst(c);
		exit(0);
	}
	if (strcmp(mode, "e500") == 0)
		answer(c, "500 Internal Server Error", "");
	if (strcmp(mode, "e503") == 0)
		answer(c, "503 Service Unavailable", "Retry-After: 1\r\n");
	if (strcmp(mode, "e401") == 0)
		answer(c, "401 Unauthorized", "");
	if (strcmp(mode, "stall") == 0) {
		for (;;)
			if (read(c, first, sizeof(first)) <= 0)
				exit(0);
	}
	s = dial();
	if (strcmp(mode, "midreset") == 0) {
		writeall(s, first, (size_t) n / 2);
		rst(c);
		rst(s);
		exit(0);
	}
	pump(c, s, first, (size_t) n, strcmp(mode, "slow") == 0,
	    strcmp(mode, "lost") == 0       ? 1
	        : strcmp(mode, "head") == 0 ? 2
	                                    : 0);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	char *modes[64], *list;
	int nm = 0, ls, one = 1;
	long conn = 0;

	if (argc != 5) {
		fprintf(stderr,
		    "usage: faultproxy LISTEN TARGET DELAY_MS MODE[,MODE]\n");
		return 2;
	}
	target_port = (int) strtol(argv[2], NULL, 10);
	delay_ms = (int) strtol(argv[3], NULL, 10);
	list = argv[4];
	while (nm < 64) {
		char *comma = strchr(list, ',');

		modes[nm++] = list;
		if (comma == NULL)
			break;
		*comma = '\0';
		list = comma + 1;
	}
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t) strtol(argv[1], NULL, 10));
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(ls, (struct sockaddr *) &sa, sizeof(sa)) != 0 ||
	    listen(ls, 64) != 0) {
		perror("faultproxy");
		return 1;
	}
	for (;;) {
		int c = accept(ls, NULL, NULL);
		const char *mode;
		char peek[8];
		ssize_t pn;

		if (c < 0)
			continue;
		/* HEAD probes do not use up a mode. */
		pn = recv(c, peek, 4, MSG_PEEK);
		mode = modes[conn < nm ? conn : nm - 1];
		if (strcmp(mode, "portal") == 0)
			; /* every request, without using the mode up */
		else if (pn == 4 && memcmp(peek, "HEAD", 4) == 0)
			mode = "pass";
		else
			conn++;
		if (fork() == 0) {
			close(ls);
			serve(c, mode);
			exit(0);
		}
		close(c);
	}
}
