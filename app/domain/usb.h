/*
 * usb.h: exporting the upload batches to a USB stick.  The kiosk does not
 * write batches itself: it finds a mounted stick under the media
 * directory and runs `guanai-sync export DIR` (fork/exec, waited for), the
 * one program that knows the batch format.  Nothing here draws.
 */
#ifndef GU_USB_H
#define GU_USB_H

#include <stddef.h>

/*
 * Finds a mounted, writable stick: a directory under media_dir (or one
 * level deeper, as udisks mounts /media/USER/LABEL) on another file system
 * than media_dir itself.  Writes its path to out.  GU_ENOTFOUND if none.
 */
int usb_find(const char *media_dir, char *out, size_t len);

/*
 * Runs `sync_bin export [--data data_dir] DIR/guanai-export` and waits
 * for it.  The program's first line of output (or of its errors) goes to
 * msg.  Then, when $GUANAI_USB_EJECT names a request file (the appliance
 * image sets it), asks for the stick to be unmounted with usb_eject and
 * waits for that up to USB_EJECT_WAIT_MS.  GU_OK when the export exited
 * 0, GU_EIO otherwise (whatever the unmount did).
 */
int usb_export(const char *sync_bin, const char *data_dir, const char *dir,
    char *msg, size_t len);

#define USB_EJECT_WAIT_MS 8000

/*
 * Writes "line\n" to the request file request through request.new and a
 * rename, so a watcher (a systemd path unit on the image) never sees half
 * of it.  GU_OK (nothing written when request is NULL or empty), GU_EIO
 * when it cannot be written, GU_ETOOBIG for a path too long.
 */
int usb_request(const char *request, const char *line);

/*
 * Asks the system to unmount the stick at dir: writes "dir\n" to the file
 * request (through request.new and a rename, so a watcher never sees half
 * of it; on the image guanai-usb-eject.path runs usb.sh eject on it) and
 * waits up to wait_ms for dir to stop being a mount point.  The kiosk
 * itself has no right to unmount.  GU_OK when it is unmounted (or request
 * is NULL or empty: nothing asked), GU_EBUSY when it still is after
 * wait_ms, GU_EIO when the request cannot be written, GU_ETOOBIG for a
 * path too long.
 */
int usb_eject(const char *request, const char *dir, int wait_ms);

#endif
