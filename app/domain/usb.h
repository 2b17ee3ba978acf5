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
 * msg.  GU_OK when it exited 0, GU_EIO otherwise.
 */
int usb_export(const char *sync_bin, const char *data_dir, const char *dir,
    char *msg, size_t len);

#endif
