/*
 * netwatch.c: rtnetlink wake-ups (netwatch.h).
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netwatch.h"
#include "status.h"

int
netwatch_open(int *fd)
{
	struct sockaddr_nl sa;
	int s;

	*fd = -1;
	s = socket(
	    AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return GU_EIO;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
	    RTMGRP_IPV4_ROUTE;
	if (bind(s, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
		close(s);
		return GU_EIO;
	}
	*fd = s;
	return GU_OK;
}

int
netwatch_read(int fd)
{
	/* Aligned for struct nlmsghdr. */
	union {
		struct nlmsghdr h;
		char b[16384];
	} u;
	int up = 0;

	if (fd < 0)
		return 0;
	for (int i = 0; i < 256; i++) {
		ssize_t n = recv(fd, u.b, sizeof(u.b), MSG_DONTWAIT);
		struct nlmsghdr *h;
		size_t len;

		if (n < 0) {
			/* ENOBUFS: we missed events; assume the worst. */
			if (errno == ENOBUFS)
				up = 1;
			break;
		}
		len = (size_t) n;
		for (h = &u.h; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == RTM_NEWLINK &&
			    h->nlmsg_len >=
			        NLMSG_LENGTH(sizeof(struct ifinfomsg))) {
				const struct ifinfomsg *ifi = NLMSG_DATA(h);

				if ((ifi->ifi_flags & (IFF_UP | IFF_RUNNING)) ==
				    (IFF_UP | IFF_RUNNING))
					up = 1;
			} else if (h->nlmsg_type == RTM_NEWADDR ||
			    h->nlmsg_type == RTM_NEWROUTE)
				up = 1;
		}
	}
	return up;
}

void
netwatch_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
