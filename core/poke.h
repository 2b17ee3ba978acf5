/*
 * poke.h: the kiosk's nudge to the sync daemon.
 *
 * After each commit the kiosk sends one Unix datagram to the socket
 * POKE_SOCKET_NAME in the data directory; the daemon (guanai-sync run)
 * listens there and wakes up.  A poke carries one byte, its kind.  Pokes
 * are hints only: a lost poke is harmless, because the daemon also wakes on
 * the network coming up and on a fallback timer, and everything it needs
 * is in the store.  So poke_send() never blocks and never reports failure.
 */
#ifndef GU_POKE_H
#define GU_POKE_H

#define POKE_SOCKET_NAME "sync.sock"

enum poke_kind {
	POKE_COMMIT = 'c',  /* a record was committed: upload soon */
	POKE_TRIGGER = 't', /* "upload now": forget the backoff, go */
};

/* Bits returned by poke_recv(). */
#define POKE_F_COMMIT 0x1
#define POKE_F_TRIGGER 0x2

/*
 * Sends one poke of kind to the daemon of the store in data_dir.  Never
 * blocks (non-blocking socket, a full queue drops the poke) and never
 * fails the caller: no daemon, a path too long or any error is ignored.
 */
void poke_send(const char *data_dir, enum poke_kind kind);

/*
 * Whether a daemon listens on the poke socket of data_dir: 0 when the
 * socket is missing or nobody has it bound (no daemon runs: none is set
 * up, or it refused its config, e.g. without a server URL), 1 when one
 * does, -1 when it cannot be told (a path too long, another error).
 * Never blocks; sends nothing.
 */
int poke_listening(const char *data_dir);

/*
 * Binds the poke socket in data_dir (a stale socket file left by a dead
 * daemon is replaced; mode 0660 so the kiosk's group may send).  *fd is a
 * non-blocking, close-on-exec datagram socket for poll().  Returns GU_OK,
 * GU_ETOOBIG when the path does not fit a sockaddr_un, GU_EIO otherwise;
 * on error *fd is -1.  The caller must hold the uploader lock, so no live
 * daemon's socket is replaced.
 */
int poke_listen(const char *data_dir, int *fd);

/*
 * Drains every queued poke without blocking and returns the POKE_F_* bits
 * of what arrived (0 if nothing).
 */
int poke_recv(int fd);

/* Closes fd and removes the socket file; fd < 0 is a no-op. */
void poke_close(int fd, const char *data_dir);

#endif
