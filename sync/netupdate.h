/*
 * netupdate.h: system updates over the network (docs/sync.md, "Updates
 * over the network"): with update_url set, a pass that uploaded cleanly
 * asks for the district's index UPDATE_URL/latest (conditional GET, its
 * ETag kept as etag_update), downloads a newer bundle into
 * DATA/update/NAME.part (going on with a Range request after a cut),
 * checks it (size, SHA-256, rauc's signature check, compatible, version)
 * before it becomes DATA/update/NAME and DATA/update/ready, and installs
 * it with `rauc install` only within the quiet hours (update_hours),
 * then asks for a reboot through the kiosk's request file.
 *
 * Nothing here touches the upload state or its backoff: a failure is
 * kept in the sync table as update_error ("update download refused: …"
 * in `guanai-sync status`) or update_install_error, and the next pass
 * tries again.  The index and ready files are read by core/update_index.h;
 * rauc is run by core/rauc.h, as the kiosk runs it.
 */
#ifndef GU_NETUPDATE_H
#define GU_NETUPDATE_H

#include "update_index.h"
#include "upload.h"

/*
 * The index: a conditional GET of UPDATE_URL/latest; a changed one that
 * parses replaces DATA/update/latest and its ETag, one that does not is
 * refused (update_error "latest:LINE: what"; the copy kept stays).  ix
 * gets the index in force; *newer is 1 when its version is newer than
 * the running one.  GU_OK; GU_ENOTFOUND when the server has no index;
 * GU_EINVAL refused; else the transfer's class.
 */
int netupdate_check(struct upload *u, struct update_index *ix, int *newer);

/*
 * netupdate_check(), then, when the index offers a newer version, the
 * download and its checks (the order above).  A bundle already in place
 * is not fetched again; bundles and .part files of other versions are
 * removed.  GU_OK (downloaded, in place already, or nothing newer),
 * GU_EINVAL refused (NAME.part removed, update_error says why), or the
 * transfer's class (a cut download keeps NAME.part for the next pass).
 */
int netupdate_download(struct upload *u);

/*
 * Installs what DATA/update/ready names: checks its size and SHA-256
 * again, runs `UPDATE_RAUC --conf UPDATE_RAUC_CONF install BUNDLE`,
 * reads its lines (core/rauc_line.c), and when it succeeded writes the
 * reboot request.  by_hand 0 (the daemon's pass): only within
 * update_hours at the local hour now, and a version whose install was
 * tried already is not tried again; by_hand 1 (`update --install`): now.
 * GU_OK (installed, or nothing to do now), GU_ENOTFOUND (nothing
 * downloaded), GU_EREFUSED (rauc failed: update_install_error), GU_EIO.
 */
int netupdate_install(struct upload *u, int by_hand);

/* The pass's step: netupdate_download(), then netupdate_install(u, 0).
 * Does nothing when update_url is empty.  Returns the first failure. */
int netupdate_pass(struct upload *u);

#endif
