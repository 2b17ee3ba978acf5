/*
 * status.h: the one result-code space of Guanai.
 *
 * Every function in core/, app/ and sync/ that can fail returns one of these
 * (GU_OK is zero), and each module that owns an outside library (LMDB,
 * libcurl, zlib, SDL) translates that library's codes into these at its
 * border.  status_str() gives a short English phrase for logs; the kiosk
 * shows its own Chinese strings from assets/.
 */
#ifndef GU_STATUS_H
#define GU_STATUS_H

enum gu_status {
	GU_OK = 0,
	GU_ENOMEM,    /* out of memory */
	GU_EINVAL,    /* bad argument or bad input (a record, a file) */
	GU_EIO,       /* an I/O error from the file system or the store */
	GU_ECORRUPT,  /* bytes on disk or in a batch do not decode */
	GU_EVERSION,  /* a format version this build does not know */
	GU_EFULL,     /* storage full: the map reached its ceiling */
	GU_ENOTFOUND, /* no such record, child, staff member, key */
	GU_EEXIST,    /* already there (a store at create, a duplicate id) */
	GU_EBUSY,     /* locked by another process; try later */
	GU_EAUTH,     /* wrong PIN, or the server refused the credentials */
	GU_ELOCKED,   /* too many wrong PINs: wait before trying again */
	GU_ENET,      /* no network: no route, no address, DNS failed */
	GU_EUNREACH,  /* the server did not answer (refused, timed out) */
	GU_ESERVER,   /* the server answered with a 5xx or garbage */
	GU_EREFUSED,  /* the server answered 4xx other than auth */
	GU_ETOOBIG,   /* a value or a buffer past its fixed maximum */
	GU_EPERM,     /* not allowed for this user or role */
	GU_ESTATUS_MAX
};

/*
 * A short English description of rc, never NULL; an unknown rc gives
 * "unknown error".  The string is static.
 */
const char *status_str(int rc);

/* The identifier of rc, "GU_EFULL" and so on, for tests and JSON. */
const char *status_name(int rc);

#endif
