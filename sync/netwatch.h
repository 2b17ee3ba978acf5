/*
 * netwatch.h: wake-ups from the kernel when the network changes: a link
 * coming up, an address added, a route added (rtnetlink groups
 * RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR, RTMGRP_IPV4_ROUTE).
 * Only a hint that uploading may now work: the daemon still probes the
 * server before it sends anything.
 */
#ifndef GU_NETWATCH_H
#define GU_NETWATCH_H

/*
 * Opens a non-blocking netlink socket for poll().  GU_OK with *fd, or
 * GU_EIO (the daemon then lives with its timer).
 */
int netwatch_open(int *fd);

/*
 * Reads every queued message without blocking.  Returns 1 if one of them
 * says something came up (a link with IFF_UP and IFF_RUNNING, a new
 * address, a new route), else 0.
 */
int netwatch_read(int fd);

/* fd < 0 is a no-op. */
void netwatch_close(int fd);

#endif
