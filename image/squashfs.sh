#!/bin/sh
# image/squashfs.sh ROOT OUT: the root slot's file system, a squashfs of the
# directory ROOT, written to OUT.  The one recipe for it: image/build.sh puts
# OUT into slot A of the disk image and image/bundle.sh puts the same file
# into the update bundle, which RAUC writes as it is (type=raw) into the
# other slot, so both slots hold the same kind of file system, read by GRUB
# (squash4) and the kernel (the initramfs's squashfs module).
#
# gzip with 128 KiB blocks (SQUASHFS_OPTS to change it; GRUB 2.06's squash4
# reads xz, gzip and lzo, not zstd): a third bigger than xz with 1 MiB
# blocks (128 against 97 MiB) but a terminal reads its libraries out of it
# at every start, and under TCG the kiosk started in 2.4-2.8 s from gzip
# where xz took 5-9 (docs/image.md, "Figures").  The file
# system's time is SOURCE_DATE_EPOCH (default: the mtime of ROOT's
# usr/share/guanai/version), so the same root gives the same bytes.
#
# When OUT exists and no file of ROOT changed (content, owner or mode)
# after it was made, it is kept as it is and its name printed: `make
# bundle` after `make image` then carries the very file system that is in
# slot A.  Otherwise OUT.part is written, synced and renamed, so OUT is
# never half-written.  On error OUT is left as it was and the reason goes
# to stderr.
set -eu

die() { printf 'image/squashfs.sh: error: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: image/squashfs.sh ROOT OUT"
root=$1
out=$2
opts=${SQUASHFS_OPTS:--comp gzip -b 128K}
[ -d "$root" ] || die "$root: not a directory"
command -v mksquashfs >/dev/null 2>&1 ||
	die "mksquashfs is missing: run tools/deps.sh image (squashfs-tools)"

if [ -f "$out" ] && [ -z "$(find "$root" -cnewer "$out" -print -quit)" ]; then
	printf 'image/squashfs.sh: %s is up to date with %s\n' "$out" "$root"
	exit 0
fi
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && [ -f "$root/usr/share/guanai/version" ]; then
	SOURCE_DATE_EPOCH=$(stat -c %Y "$root/usr/share/guanai/version")
	export SOURCE_DATE_EPOCH
fi
rm -f "$out.part"
# shellcheck disable=SC2086
if ! mksquashfs "$root" "$out.part" -noappend -quiet $opts \
	>"$out.log" 2>&1; then
	cat "$out.log" >&2
	rm -f "$out.part" "$out.log"
	die "mksquashfs $root failed"
fi
rm -f "$out.log"
sync "$out.part"
mv -f "$out.part" "$out"
printf 'image/squashfs.sh: %s: %s bytes\n' "$out" "$(stat -c %s "$out")"
