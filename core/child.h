/*
 * child.h: a helper program run beside the kiosk's event loop (rauc for
 * 系统更新, guanai-sync for 导出到U盘): started with its output and errors
 * on one pipe, read without blocking as it comes, reaped when it ends.
 */
#ifndef GU_CHILD_H
#define GU_CHILD_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Starts argv (argv[0] looked up in PATH) with stdout and stderr on a
 * pipe; *fd is its read end, non-blocking if nonblock (for child_poll),
 * else to be read to its end at once.  Returns 0, or the errno of what
 * failed (*pid and *fd are then untouched).
 */
int child_spawn(const char *const *argv, int nonblock, pid_t *pid, int *fd);

/*
 * Waits up to wait_ms for output, hands what there is to take(arg, bytes,
 * n), and once the output has ended closes *fd (-1), reaps *pid (0) and
 * stores its wait status in *status.  Returns 1 when it has ended, else 0.
 */
int child_poll(int *fd, pid_t *pid, int wait_ms,
    void (*take)(void *arg, const char *bytes, size_t n), void *arg,
    int *status);

#endif
