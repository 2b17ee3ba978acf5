#!/bin/sh
# guanai-storage.service: makes, checks, grows and mounts the data partition.
#
# The disk holds ESP, guanai-root-a, guanai-root-b (the A/B slots) and,
# after the first boot, guanai-data in all the space after slot B.  An
# update (RAUC) rewrites one of the slots and never this one.  Every boot:
#   1. find the disk the root is on;
#   2. no partition named guanai-data: move the backup GPT to the disk's end,
#      append the partition, tell the kernel (partx), make ext4 on it;
#   3. the disk has grown since: move the backup GPT, grow the partition to
#      the end of the disk (resize2fs after mounting, online);
#   4. e2fsck -p (preen: a power cut leaves at most a journal to replay),
#      mount it on /data, and bind /data/lib to /var/lib/guanai, /data/etc to
#      /etc/guanai and /data/log/journal to /var/log/journal.
# On failure the script exits non-zero with the reason on the console; the
# kiosk and sync units require this one and do not start.
set -eu

say() { echo "guanai-storage: $*"; }
die() { echo "guanai-storage: error: $*" >&2; exit 1; }

LABEL=guanai-data
TYPE=0FC63DAF-8483-4772-8E79-3D69D8477DE4

rootdev=$(findmnt -no SOURCE /) || die "cannot find the root device"
disk=/dev/$(lsblk -no PKNAME "$rootdev" | head -n 1)
[ -b "$disk" ] || die "root $rootdev is not on a partitioned disk"

# The number and device of the partition called guanai-data, if any.
find_data() {
	lsblk -rno NAME,PARTLABEL "$disk" | while read -r name plabel; do
		if [ "$plabel" = "$LABEL" ]; then
			echo "/dev/$name"
			break
		fi
	done
}

# Sectors after the last partition's end that are not used.
disk_sectors=$(blockdev --getsz "$disk")
last_lba=$(sfdisk -d "$disk" | sed -n 's/^last-lba: *//p')
grown=0
if [ "$last_lba" -lt $((disk_sectors - 34)) ]; then
	say "disk grew to $((disk_sectors / 2048)) MiB: moving the backup GPT"
	sfdisk -q --relocate gpt-bak-std "$disk"
	grown=1
fi

part=$(find_data)
if [ -z "$part" ]; then
	say "first boot: creating $LABEL in the rest of $disk"
	echo "size=+, type=$TYPE, name=\"$LABEL\"" |
		sfdisk -q --force --no-reread --no-tell-kernel --append "$disk" ||
		die "cannot add the data partition to $disk"
	partx -a "$disk" 2>/dev/null || partx -u "$disk" || true
	udevadm settle -t 10 || true
	part=$(find_data)
	[ -n "$part" ] && [ -b "$part" ] || die "the new data partition did not appear"
	mkfs.ext4 -q -F -L "$LABEL" -m 1 -E lazy_itable_init=1,lazy_journal_init=1 "$part" ||
		die "mkfs.ext4 $part failed"
	sync
elif [ "$grown" = 1 ]; then
	num=$(cat "/sys/class/block/${part#/dev/}/partition")
	say "growing $part to the end of $disk"
	echo ", +" | sfdisk -q --force --no-reread --no-tell-kernel -N "$num" "$disk" ||
		die "cannot grow $part"
	partx -u --nr "$num" "$disk" || true
fi

# Preen: exit 0 clean, 1 errors corrected; anything else needs a person.
rc=0
e2fsck -p "$part" >/dev/null 2>&1 || rc=$?
[ "$rc" -le 1 ] || die "e2fsck -p $part exited $rc: the data partition needs repair"

mkdir -p /data
mountpoint -q /data || mount -t ext4 -o noatime,nodev,nosuid,noexec "$part" /data ||
	die "cannot mount $part on /data"
resize2fs "$part" >/dev/null 2>&1 || true

mkdir -p /data/lib /data/etc /data/log/journal /data/provision
chown guanai-sync:guanai /data/lib
chmod 2770 /data/lib
chown root:guanai /data/etc
chmod 2750 /data/etc

mkdir -p /var/lib/guanai /var/log/journal
mountpoint -q /var/lib/guanai || mount --bind /data/lib /var/lib/guanai
mountpoint -q /etc/guanai || mount --bind /data/etc /etc/guanai
mountpoint -q /var/log/journal || mount --bind /data/log/journal /var/log/journal
say "$part on /data: $(df -h /data | awk 'NR==2 {print $2 " total, " $4 " free"}')"
