/*
 * childfile.h: one child's file (一人一档) as a printable PDF: the child's
 * details, the mentor, a summary, and the whole timeline of records with
 * their notes, oldest first; voided records shown as voided.  Several
 * children go into one file, each starting on a new page.  Reads the
 * store through store.h; lays out through pdf.h.
 */
#ifndef GU_CHILDFILE_H
#define GU_CHILDFILE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Writes the files of the n children ids[] to path (through path.part,
 * flushed and renamed, like the ledgers), with the fonts of fonts_dir.
 * made (YYYYMMDD) is the date printed and the file's metadata date.  Then
 * records the export: one REC_FILE_VIEW per child, author by, at now_ms
 * (tz_min the device's offset), in one transaction, as opening the file
 * on the kiosk does.  *pages gets the number of pages.  progress, when
 * not NULL, is called with arg before the first child (done 0) and after
 * each child's pages are laid out (done 1..n).
 *
 * GU_OK; GU_ENOTFOUND (a child not in the roster); GU_EIO with why (the
 * file could not be written: nothing under its final name, nothing
 * recorded); a store error if the audit could not be appended (the file
 * is then written, and why says the audit failed).
 */
int childfile_write(struct store *s, const char *const *ids, size_t n,
    const char *by, const char *fonts_dir, uint32_t made, int64_t now_ms,
    int tz_min, const char *path, int *pages, char *why, size_t why_len,
    void (*progress)(void *arg, size_t done, size_t n), void *arg);

#endif
