#!/bin/sh
# image/build.sh: builds the Guanai appliance disk image, build/image/guanai.img.
#
# Read docs/image.md first.  The recipe, in order:
#   1. check that build/guanai-kiosk and build/guanai-sync exist (make all);
#   2. compile the two small helpers that live in image/ (guanai-screen,
#      guanai-vt) with the project's warning flags;
#   3. mmdebstrap a minimal Debian 12 (bookworm) root: kernel, systemd,
#      the runtime libraries of the two programs; no X server, no desktop;
#   4. copy the programs, fonts/, assets/ and image/rootfs/ (units, scripts,
#      config) into it, create the users, enable and mask units;
#   4a. trim it (image/trim.sh, image/modules.list): kernel modules and
#      firmware to what school terminals need, no perl, no GL stack,
#      no docs, locales or package manager state;
#   5. make the partitions as files, without loop devices or mounts: an ESP
#      (FAT, GRUB for x86-64 and 32-bit UEFI, RAUC's grubenv) and the
#      root's squashfs (image/squashfs.sh, the same file system an update
#      bundle carries; kernel and initrd in its /boot) for slot A; slot
#      B is left empty and marked bad in the grubenv until RAUC installs a
#      bundle into it; the data partition is made on the device at first
#      boot (image/rootfs/usr/lib/guanai/storage.sh);
#   6. put them in a GPT disk image: ESP, guanai-root-a, guanai-root-b.
# Needs root (mmdebstrap's chroot mode, file ownership) and the packages of
# `tools/deps.sh image`.  Nothing is cached between runs.
#
# Environment: BUILD (default build), MIRROR (default deb.debian.org),
# VERSION or GUANAI_VERSION (default 1.0: /usr/share/guanai/version,
# checked by image/version.sh), RAUC_KEYRING or GUANAI_SIGN_KEYRING
# (required: the CA certificate, PEM, that update bundles must be signed
# under; `make image` makes a throwaway test CA when both are unset),
# ROOT_SLOT_MIB (default 480: the size of each root slot, fixed so that
# later, bigger roots still fit the partitions of terminals in the field,
# and two of them fit the old single-slot root, image/migrate-ab.sh),
# SQUASHFS_OPTS (image/squashfs.sh).
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/image
ROOT=$OUT/rootfs
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
SUITE=bookworm
# Fixed partition identities: the kernel command line finds the root slot
# by its PARTUUID (grub.cfg), RAUC's system.conf names the slots by theirs,
# storage.sh finds the data partition by its name.
ESP_PARTUUID=6a0b3f1e-8c1d-4f36-9a52-67c1a0d0a000
ROOT_A_PARTUUID=6a0b3f1e-8c1d-4f36-9a52-67c1a0d0a001
ROOT_B_PARTUUID=6a0b3f1e-8c1d-4f36-9a52-67c1a0d0a002
ESP_MIB=128
# Each root slot: the squashfs of this root is about 150 MiB; an update
# must fit the partitions a terminal was first written with, so the slots
# keep room for the root to grow to three times that.
ROOT_SLOT_MIB=${ROOT_SLOT_MIB:-480}
RAUC_COMPATIBLE=guanai-terminal-x86_64

step() { printf 'image/build.sh: %s\n' "$*"; }
die() { printf 'image/build.sh: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap chroot mode, file owners)"
RAUC_KEYRING=${RAUC_KEYRING:-${GUANAI_SIGN_KEYRING:-}}
[ -n "$RAUC_KEYRING" ] || die "RAUC_KEYRING is not set: the CA certificate update bundles must be signed under"
openssl x509 -in "$RAUC_KEYRING" -noout 2>/dev/null ||
	die "RAUC_KEYRING=$RAUC_KEYRING is not a PEM certificate"
start=$(date +%s)
mkdir -p "$OUT"

# 1. The programs.
for p in guanai-kiosk guanai-sync guanai-ledger; do
	[ -x "$BUILD/$p" ] || die "$BUILD/$p is missing: run make all first"
done

# 2. The helpers, built like the project's own programs.
CFLAGS_IMG="-std=c17 -O2 -g -Wall -Wextra -Wpedantic -Werror -Wshadow
-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
-Wimplicit-fallthrough -D_GNU_SOURCE -fstack-protector-strong -fPIE"
step "compiling guanai-screen and guanai-vt"
# shellcheck disable=SC2046,SC2086
${CC:-gcc} $CFLAGS_IMG -Iapp/platform \
	$(pkg-config --cflags sdl2 SDL2_ttf libdrm libinput libudev) -pie \
	-o "$OUT/guanai-screen" image/guanai-screen.c app/platform/kms.c \
	app/platform/evin.c \
	$(pkg-config --libs sdl2 SDL2_ttf libdrm libinput libudev)
# shellcheck disable=SC2086
${CC:-gcc} $CFLAGS_IMG -pie -o "$OUT/guanai-vt" image/guanai-vt.c

# 3. The root file system.
step "mmdebstrap $SUITE into $ROOT"
rm -rf "$ROOT"
pkgs="systemd systemd-sysv udev systemd-timesyncd systemd-resolved dbus
linux-image-amd64 initramfs-tools zstd kmod util-linux fdisk e2fsprogs
dosfstools ca-certificates tzdata
libsdl2-2.0-0 libsdl2-ttf-2.0-0 liblmdb0 libcurl4 zlib1g libsodium23
libzinnia0 tegaki-zinnia-simplified-chinese libgooglepinyin0 libstdc++6
libdrm2 libinput10
libxlsxwriter4 libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libpangoft2-1.0-0
libfontconfig1
rauc rauc-service grub-common"
include=$(echo $pkgs | tr ' ' ',')
mmdebstrap --variant=minbase --mode=root \
	--include="$include" \
	--aptopt='APT::Install-Recommends "false"' \
	--aptopt='Acquire::Retries "3"' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo COMPRESS=zstd > "$1/etc/initramfs-tools/conf.d/compress"' \
	"$SUITE" "$ROOT" \
	"deb $MIRROR $SUITE main" \
	"deb $MIRROR $SUITE-updates main" \
	"deb $SECURITY $SUITE-security main"

# 4. Guanai's part of the root.
step "installing Guanai into the root"
install -m 0755 "$OUT/guanai-screen" "$OUT/guanai-vt" "$BUILD/guanai-kiosk" \
	"$BUILD/guanai-sync" "$BUILD/guanai-ledger" "$ROOT/usr/bin/"
mkdir -p "$ROOT/usr/share/guanai/fonts" "$ROOT/usr/share/guanai/assets"
[ -d fonts ] && cp -R fonts/. "$ROOT/usr/share/guanai/fonts/"
[ -d assets ] && cp -R assets/. "$ROOT/usr/share/guanai/assets/"
# The version the kiosk shows and an update must be newer than: numbers
# joined by dots, compared part by part.
VERSION=${VERSION:-${GUANAI_VERSION:-1.0}} image/version.sh \
	>"$ROOT/usr/share/guanai/version"
cp -R image/rootfs/. "$ROOT/"
chmod 0755 "$ROOT"/usr/lib/guanai/*.sh
# RAUC: the slots by PARTUUID, the device class, the one CA it trusts.
sed -e "s/@ROOT_A_PARTUUID@/$ROOT_A_PARTUUID/" \
	-e "s/@ROOT_B_PARTUUID@/$ROOT_B_PARTUUID/" \
	-e "s/@RAUC_COMPATIBLE@/$RAUC_COMPATIBLE/" \
	image/rootfs/etc/rauc/system.conf > "$ROOT/etc/rauc/system.conf"
install -m 0644 "$RAUC_KEYRING" "$ROOT/etc/rauc/keyring.pem"
sed -i "s/@ESP_PARTUUID@/$ESP_PARTUUID/" "$ROOT/etc/fstab"

# Every shared library the programs need must be in the root: a missing one
# would only show on the device.
for p in guanai-kiosk guanai-sync guanai-ledger guanai-screen; do
	[ -e "$ROOT/usr/bin/$p" ] || continue
	miss=$(chroot "$ROOT" ldd "/usr/bin/$p" | grep 'not found' || true)
	[ -z "$miss" ] || die "/usr/bin/$p lacks libraries in the image: $miss"
done

# 4a. Only the kernel modules (image/modules.list) and firmware a school
# terminal needs, before the initramfs is made from them.
image/trim.sh kernel "$ROOT"
# The initramfs mounts the root slot, a squashfs (MODULES=most leaves the
# squashfs module out).
echo squashfs >>"$ROOT/etc/initramfs-tools/modules"

chroot "$ROOT" sh -eu <<'CHROOT'
groupadd -r guanai
groupadd -r guanai-sync
useradd -r -M -d /nonexistent -s /usr/sbin/nologin -g guanai-sync -G guanai guanai-sync
groupadd -r guanai-kiosk
useradd -r -M -d /nonexistent -s /usr/sbin/nologin -g guanai-kiosk -G guanai,video,input,render guanai-kiosk
echo guanai > /etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tguanai\n' > /etc/hosts
ln -sf /usr/share/zoneinfo/Asia/Shanghai /etc/localtime
echo Asia/Shanghai > /etc/timezone
# No root password, no login anywhere.
passwd -l root >/dev/null
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
systemctl enable guanai-storage.service guanai-provision.service \
	guanai-kiosk.service guanai-sync.service guanai-usb-eject.path \
	guanai-reboot.path \
	guanai-health.service \
	systemd-networkd.service systemd-resolved.service \
	systemd-timesyncd.service >/dev/null
systemctl set-default multi-user.target >/dev/null
# No getty or login prompt on any console, no Ctrl-Alt-Del reboot, no
# first-boot wizard, nothing that wants a writable /etc.
systemctl mask getty@.service serial-getty@.service autovt@.service \
	console-getty.service ctrl-alt-del.target systemd-firstboot.service \
	ldconfig.service apt-daily.timer apt-daily-upgrade.timer \
	systemd-machine-id-commit.service e2scrub_all.timer e2scrub_reap.service \
	fstrim.timer >/dev/null
update-initramfs -u -k all >/dev/null
# GRUB loads the kernel and initrd of the slot it boots from its /boot.
cd /boot
ln -sf "$(ls vmlinuz-* | sort -V | tail -n 1)" vmlinuz
ln -sf "$(ls initrd.img-* | sort -V | tail -n 1)" initrd.img
CHROOT
initrd_path=$(ls "$ROOT"/boot/initrd.img-* | sort -V | tail -n 1)

# Drop what a read-only appliance never uses: perl, any GL stack,
# docs, locales, the package manager's state.
image/trim.sh files "$ROOT"
rm -rf "$ROOT/etc/ssh"
chroot "$ROOT" lsinitramfs "${initrd_path#"$ROOT"}" 2>/dev/null | grep -q 'kernel/fs/squashfs/squashfs.ko' ||
	die "the initramfs has no squashfs module: it could not mount the root"
mkdir -p "$ROOT/var/lib/guanai" "$ROOT/etc/guanai" "$ROOT/data" \
	"$ROOT/var/log/journal" "$ROOT/boot/efi"

# 5. The partitions.
kernel=$(ls "$ROOT"/boot/vmlinuz-* | sort -V | tail -n 1)
initrd=$initrd_path
[ -f "$kernel" ] && [ -f "$initrd" ] || die "no kernel or initrd in the root"
step "GRUB for x86_64-efi and i386-efi"
sed -e "s/@ROOT_A_PARTUUID@/$ROOT_A_PARTUUID/" \
	-e "s/@ROOT_B_PARTUUID@/$ROOT_B_PARTUUID/" image/grub.cfg > "$OUT/grub.cfg"
mods="part_gpt fat ext2 squash4 normal linux echo search search_fs_uuid search_label
search_fs_file test configfile gzio zstd efi_gop all_video loadenv regexp
reboot sleep"
for t in x86_64-efi:BOOTX64.EFI i386-efi:BOOTIA32.EFI; do
	# shellcheck disable=SC2086
	grub-mkstandalone -O "${t%%:*}" -o "$OUT/${t#*:}" \
		--modules="$(echo $mods)" --locales= --themes= --fonts= \
		"boot/grub/grub.cfg=$OUT/grub.cfg"
done

step "ESP ($ESP_MIB MiB, FAT32)"
rm -f "$OUT/esp.img"
mkfs.vfat -C -F 32 -n GUANAI-ESP "$OUT/esp.img" $((ESP_MIB * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$OUT/esp.img" ::/EFI ::/EFI/BOOT ::/guanai
mcopy -i "$OUT/esp.img" "$OUT/BOOTX64.EFI" "$OUT/BOOTIA32.EFI" ::/EFI/BOOT/
# RAUC's GRUB environment block (1024 bytes, what grub-editenv writes): slot
# A good, slot B empty and so bad, A first.  GRUB's save_env rewrites it in
# place, rauc's grub-editenv from the running system.
{
	printf '# GRUB Environment Block\n'
	printf 'ORDER=A B\nA_OK=1\nA_TRY=0\nB_OK=0\nB_TRY=0\n'
} > "$OUT/grubenv"
head -c $((1024 - $(stat -c %s "$OUT/grubenv"))) /dev/zero | tr '\0' '#' >> "$OUT/grubenv"
[ "$(stat -c %s "$OUT/grubenv")" -eq 1024 ] || die "grubenv is not 1024 bytes"
mcopy -i "$OUT/esp.img" "$OUT/grubenv" ::/guanai/grubenv

step "root file system (squashfs, image/squashfs.sh)"
used_kib=$(du -sk "$ROOT" | cut -f1)
rm -f "$OUT/rootfs.squashfs"
image/squashfs.sh "$ROOT" "$OUT/rootfs.squashfs"
sq_bytes=$(stat -c %s "$OUT/rootfs.squashfs")
sq_mib=$(( (sq_bytes + 1048575) / 1048576 ))
slot_mib=$ROOT_SLOT_MIB
[ "$sq_mib" -le "$slot_mib" ] ||
	die "the root's squashfs ($sq_mib MiB) does not fit a slot of ROOT_SLOT_MIB=$slot_mib MiB"

# 6. The disk: 1 MiB for the GPT, the ESP, root slot A, root slot B (left
# as zeros: a hole in the sparse image), 1 MiB for the backup GPT.  The
# data partition goes after slot B at first boot.
step "GPT disk image"
disk="$OUT/guanai.img"
rm -f "$disk"
total_mib=$((1 + ESP_MIB + 2 * slot_mib + 1))
truncate -s "${total_mib}M" "$disk"
sfdisk -q "$disk" <<SFDISK
label: gpt
start=1MiB, size=${ESP_MIB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$ESP_PARTUUID, name="ESP"
start=$((1 + ESP_MIB))MiB, size=${slot_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$ROOT_A_PARTUUID, name="guanai-root-a"
start=$((1 + ESP_MIB + slot_mib))MiB, size=${slot_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$ROOT_B_PARTUUID, name="guanai-root-b"
SFDISK
dd if="$OUT/esp.img" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$OUT/rootfs.squashfs" of="$disk" bs=1M seek=$((1 + ESP_MIB)) conv=notrunc,sparse status=none
rm -f "$OUT/esp.img"

end=$(date +%s)
size_mib=$(( $(stat -c %s "$disk") / 1048576 ))
{
	echo "image=$disk"
	echo "image_mib=$size_mib"
	echo "image_allocated_mib=$(( $(du -k "$disk" | cut -f1) / 1024 ))"
	echo "slot_mib=$slot_mib"
	echo "root_used_mib=$((used_kib / 1024))"
	echo "root_squashfs_mib=$sq_mib"
	echo "build_seconds=$((end - start))"
	echo "kernel=$(basename "$kernel")"
} > "$OUT/build-info.txt"
step "done: $disk, $size_mib MiB, $((end - start)) s"
