#!/bin/sh
# image/trim.sh kernel|files ROOT: takes out of the image's root file
# system what a school terminal never uses (docs/image.md, "What is in
# the root").  image/build.sh runs `kernel` (1, 2) before it makes the
# initramfs, so the initramfs is trimmed too, and `files` (3-5) last,
# when nothing needs dpkg any more.
#   1. kernel modules: only those under the paths of image/modules.list
#      and the modules they need (modules.dep), then depmod;
#   2. firmware: only the files the kept modules name (modinfo firmware),
#      so a driver dropped in 1 takes its firmware with it;
#   3. packages only the build needs: perl (45 MiB, pulled in by
#      install-time dependencies; nothing on a terminal runs it);
#   4. GL: none.  The kiosk paints in memory and shows its frames through
#      the kernel's mode setting (app/platform/kms.c), so no Mesa, EGL or
#      LLVM belongs in the root: if a package pulls them in again, stop
#      (the image would grow by 190 MiB); no Vulkan ICD, VA-API or VDPAU;
#   5. documentation (man, info, docs but the copyright files, which the
#      licences of what we ship ask for), locales, and the package
#      manager's state and caches (/var/lib/dpkg, /var/lib/apt,
#      /var/cache): /var is a tmpfs on the device, nothing reads them, and
#      an update replaces the whole root, never a package.
# Prints what each step freed.  On error it stops with the reason; the
# root is then half trimmed, and image/build.sh, which stops too, makes a
# new one on its next run.
set -eu

die() { printf 'image/trim.sh: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'image/trim.sh: %s\n' "$*"; }

[ $# -eq 2 ] || die "usage: image/trim.sh kernel|files ROOT"
what=$1
root=$2
list=$(dirname "$0")/modules.list
[ -d "$root/usr/lib/modules" ] || die "$root/usr/lib/modules: no kernel modules"
[ -r "$list" ] || die "$list: missing"

# du -sk of the paths that exist, as one number.
kib() {
	n=0
	for p in "$@"; do
		[ -e "$p" ] || continue
		n=$((n + $(du -sk "$p" | cut -f1)))
	done
	echo "$n"
}

case "$what" in
kernel | files) ;;
*) die "usage: image/trim.sh kernel|files ROOT" ;;
esac

if [ "$what" = kernel ]; then
# 1. Kernel modules.
for kdir in "$root"/usr/lib/modules/*; do
	kver=$(basename "$kdir")
	# depmod and modinfo are the root's own (kmod), run in it.
	[ -f "$kdir/modules.dep" ] || chroot "$root" depmod -a "$kver"
	before=$(kib "$kdir")
	keep=$(mktemp)
	# Every .ko under a listed path, as modules.dep names it
	# (kernel/...), less those under a "!path" line; a line that matches
	# nothing is an error, so the list cannot silently rot when the
	# kernel moves a driver.
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$list" |
		while read -r pat rest; do
			[ -z "$rest" ] || die "$list: '$pat $rest': one path a line"
			sign=+
			case "$pat" in
			!*) sign=- pat=${pat#!} ;;
			esac
			n=0
			# shellcheck disable=SC2086 # the glob is the point
			for p in "$kdir"/kernel/$pat; do
				[ -e "$p" ] || continue
				find "$p" -name '*.ko*' | sed "s|^$kdir/|$sign|"
				n=1
			done
			[ "$n" -eq 1 ] || die "$list: '$pat' matches no module of $kver"
		done >"$keep.list"
	sed -n 's/^-//p' "$keep.list" >"$keep.not"
	sed -n 's/^+//p' "$keep.list" | grep -v -x -F -f "$keep.not" >"$keep" || true
	rm -f "$keep.list" "$keep.not"
	# ... and what they need: modules.dep lists all of a module's
	# dependencies, not only the direct ones.
	awk -F': *' 'NR == FNR { keep[$1] = 1; next }
		($1 in keep) { print $1; n = split($2, d, " ");
			for (i = 1; i <= n; i++) print d[i] }' \
		"$keep" "$kdir/modules.dep" | sort -u >"$keep.all"
	find "$kdir/kernel" -name '*.ko*' | sed "s|^$kdir/||" | sort >"$keep.have"
	comm -23 "$keep.have" "$keep.all" | sed "s|^|$kdir/|" | xargs -r rm -f
	find "$kdir/kernel" -type d -empty -delete
	chroot "$root" depmod -a "$kver"
	say "kernel $kver: $(wc -l <"$keep.all") of $(wc -l <"$keep.have") modules kept, $((before / 1024)) -> $(($(kib "$kdir") / 1024)) MiB"
	rm -f "$keep" "$keep.all" "$keep.have"
done

# 2. Firmware.
fw=$root/usr/lib/firmware
if [ -d "$fw" ]; then
	before=$(kib "$fw")
	want=$(mktemp)
	chroot "$root" find /usr/lib/modules -name '*.ko*' \
		-exec modinfo -F firmware {} + | sort -u >"$want"
	(cd "$fw" && find . ! -type d | sed 's|^\./||' | sort) |
		comm -23 - "$want" | sed "s|^|$fw/|" | xargs -r rm -f
	find "$fw" -type d -empty -delete
	rm -f "$want"
	say "firmware: $((before / 1024)) -> $(($(kib "$fw") / 1024)) MiB"
fi

exit 0
fi

# 3. Packages only the build needs.  --force-depends: the packages that
# pulled perl in still name it, and only their install scripts ran it.
before=$(kib "$root"/usr/share/perl "$root"/usr/lib/*-linux-gnu/perl)
chroot "$root" dpkg --purge --force-depends perl perl-modules-5.36 \
	libperl5.36 >/dev/null 2>&1 ||
	die "dpkg --purge perl failed in $root"
say "perl: $((before / 1024)) -> $(($(kib "$root"/usr/share/perl "$root"/usr/lib/*-linux-gnu/perl) / 1024)) MiB"

# 4. No GL stack.
for f in "$root"/usr/lib/*-linux-gnu/dri "$root"/usr/lib/*-linux-gnu/libLLVM*; do
	[ ! -e "$f" ] ||
		die "$root has $f: a package pulled Mesa in (apt-cache rdepends --installed in the root says which); the kiosk needs no GL"
done
rm -rf "$root"/usr/share/vulkan "$root"/usr/lib/*-linux-gnu/vdpau \
	"$root"/usr/lib/*-linux-gnu/libvulkan_*.so
say "GL: none (no dri, no libLLVM)"

# 5. Documentation, locales, package state.
before=$(kib "$root"/usr/share/doc "$root"/usr/share/man \
	"$root"/usr/share/info "$root"/usr/share/locale \
	"$root"/usr/share/i18n "$root"/var/lib/dpkg "$root"/var/lib/apt \
	"$root"/var/cache "$root"/var/log)
find "$root"/usr/share/doc ! -type d ! -name copyright -delete
find "$root"/usr/share/doc -type d -empty -delete
rm -rf "$root"/usr/share/man "$root"/usr/share/info \
	"$root"/usr/share/locale "$root"/usr/share/i18n \
	"$root"/usr/share/lintian "$root"/usr/share/bug \
	"$root"/var/lib/dpkg "$root"/var/lib/apt "$root"/var/cache \
	"$root"/var/log
mkdir -p "$root"/var/cache "$root"/var/log
say "docs, locales, package state: $((before / 1024)) -> $(($(kib "$root"/usr/share/doc) / 1024)) MiB (the copyright files)"
