#!/bin/sh
# migrate-ab.sh: the one-time path of a terminal installed before the A/B
# slots (docs/image.md, "Terminals already in the field").
#
#   migrate-ab.sh [--check] SOURCE TARGET
#
# SOURCE is a disk image file (or a disk) with today's layout (ESP,
# guanai-root-a, guanai-root-b: build/image/guanai.img as image/build.sh
# makes it).  TARGET is the terminal's own disk (or an image file of it)
# with the old single-slot layout, run from a live system the terminal
# was booted from, as the old `dd` update was:
#
#   1 ESP          GRUB, the kernel and initrd in /guanai
#   2 guanai-root  the ext4 root
#   3 guanai-data  the store, made at the first boot after the root
#
# The old root partition becomes slots A and B, so the data partition
# keeps every sector where it is; only its entry moves from 3 to 4 in the
# table (GRUB finds the slots as gpt2 and gpt3, storage.sh finds the data
# by its name).  Nothing in the data partition is read or written.  In
# this order:
#   1. check both layouts; refuse (and write nothing) unless TARGET is
#      exactly the old layout, SOURCE the new one, the ESPs the same size
#      and two slots of SOURCE's size fit in the old root partition;
#   2. copy SOURCE's slot A over the start of the old root, then SOURCE's
#      ESP over TARGET's (GRUB with RAUC's scheme and a grubenv with slot A
#      good, B bad);
#   3. last, write the new partition table (the same disk id and the data
#      partition's start, size, type, id and name), read it back and check
#      it.
# The table is the commit point: a power cut before it leaves the old
# table over a root that is no longer there, and running this again from
# the stick does it all again; after it the terminal boots slot A.
# --check does step 1 only.  Exit status: 0 migrated (or already was), 1
# refused or failed, 2 usage.
set -eu

say() { echo "guanai-migrate: $*"; }
die() { echo "guanai-migrate: error: $*" >&2; exit 1; }

ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
ROOT_TYPE=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709
ROOT_A_PARTUUID=6a0b3f1e-8c1d-4f36-9a52-67c1a0d0a001
ROOT_B_PARTUUID=6a0b3f1e-8c1d-4f36-9a52-67c1a0d0a002

check_only=0
if [ "${1:-}" = --check ]; then
	check_only=1
	shift
fi
[ $# -eq 2 ] || { echo "usage: migrate-ab.sh [--check] SOURCE TARGET" >&2; exit 2; }
src=$1 dst=$2
[ -e "$src" ] || die "$src: no such disk or file"
[ -e "$dst" ] || die "$dst: no such disk or file"

# parts DISK: one line per partition, in table order:
#   NUMBER START SIZE TYPE UUID NAME
# (sectors of 512 bytes; NAME without its quotes, "-" when it has none).
parts() {
	sfdisk -d "$1" 2>/dev/null | awk '
	/^[^ ]+ *: *start=/ {
		n = $1; sub(/.*[^0-9]/, "", n)
		s = $0; sub(/^[^:]*: */, "", s)
		start = size = type = uuid = ""; name = "-"
		k = split(s, f, /, */)
		for (i = 1; i <= k; i++) {
			split(f[i], kv, /=/)
			gsub(/ /, "", kv[1])
			v = substr(f[i], index(f[i], "=") + 1)
			gsub(/^ +| +$/, "", v)
			if (kv[1] == "start") start = v
			else if (kv[1] == "size") size = v
			else if (kv[1] == "type") type = toupper(v)
			else if (kv[1] == "uuid") uuid = tolower(v)
			else if (kv[1] == "name") { gsub(/"/, "", v); name = v }
		}
		print n, start, size, type, uuid, name
	}'
}

# field DISK-PARTS NAME COLUMN: COLUMN (2 start, 3 size, 4 type, 5 uuid, 1
# number) of the partition called NAME.
field() { printf '%s\n' "$1" | awk -v n="$2" -v c="$3" '$6 == n { print $c; exit }'; }

sfdisk -d "$dst" 2>/dev/null | grep -q '^label: gpt' ||
	die "$dst: no GPT partition table: not a Guanai terminal's disk"
sfdisk -d "$src" 2>/dev/null | grep -q '^label: gpt' ||
	die "$src: no GPT partition table: not a Guanai image"
dp=$(parts "$dst")
sp=$(parts "$src")
dnames=$(printf '%s\n' "$dp" | awk '{ printf "%s ", $6 }')
snames=$(printf '%s\n' "$sp" | awk '{ printf "%s ", $6 }')

case "$dnames" in
"ESP guanai-root-a guanai-root-b guanai-data " | "ESP guanai-root-a guanai-root-b ")
	say "$dst already has the A/B slots: nothing to do"
	exit 0 ;;
"ESP guanai-root guanai-data ") ;;
"ESP guanai-root ")
	die "$dst has no data partition yet (never booted): write the new image to it instead" ;;
*)
	die "$dst: partitions [${dnames% }]: not the single-slot layout (ESP guanai-root guanai-data)" ;;
esac
case "$snames" in
"ESP guanai-root-a guanai-root-b "*) ;;
*) die "$src: partitions [${snames% }]: not an A/B image (ESP guanai-root-a guanai-root-b)" ;;
esac

for n in 1 2 3; do
	[ "$(printf '%s\n' "$dp" | sed -n "${n}p" | cut -d' ' -f1)" = "$n" ] ||
		die "$dst: the partitions are not numbered 1, 2, 3 in table order"
done
esp_start=$(field "$dp" ESP 2) esp_size=$(field "$dp" ESP 3)
root_start=$(field "$dp" guanai-root 2) root_size=$(field "$dp" guanai-root 3)
data_start=$(field "$dp" guanai-data 2) data_size=$(field "$dp" guanai-data 3)
data_type=$(field "$dp" guanai-data 4) data_uuid=$(field "$dp" guanai-data 5)
s_esp_start=$(field "$sp" ESP 2) s_esp_size=$(field "$sp" ESP 3)
s_a_start=$(field "$sp" guanai-root-a 2) slot=$(field "$sp" guanai-root-a 3)
[ "$(field "$sp" guanai-root-b 3)" = "$slot" ] ||
	die "$src: slots A and B are not the same size"
[ "$esp_size" = "$s_esp_size" ] ||
	die "the ESPs differ in size ($dst: $((esp_size / 2048)) MiB, $src: $((s_esp_size / 2048)) MiB)"
[ "$root_start" -ge $((esp_start + esp_size)) ] && [ "$data_start" -ge $((root_start + root_size)) ] ||
	die "$dst: the partitions overlap or are out of order"
if [ $((2 * slot)) -gt "$root_size" ]; then
	die "two slots of $((slot / 2048)) MiB do not fit in the old root's $((root_size / 2048)) MiB: export the data (导出到U盘) and write the new image instead"
fi
say "$dst: ESP $((esp_size / 2048)) MiB, root $((root_size / 2048)) MiB, data $((data_size / 2048)) MiB kept as it is; slots of $((slot / 2048)) MiB"

# Nothing of TARGET may be mounted while it is rewritten.
if [ -b "$dst" ]; then
	for p in $(lsblk -lnpo NAME "$dst"); do
		! findmnt -rn -S "$p" >/dev/null 2>&1 || die "$p is mounted: boot the terminal from the stick instead"
	done
fi
[ "$check_only" = 0 ] || { say "check only: nothing written"; exit 0; }

# copy FROM_DISK FROM_SECTOR TO_DISK TO_SECTOR SECTORS, in MiB blocks where
# it can (every partition here starts on a MiB).
copy() {
	if [ $(($2 % 2048)) -eq 0 ] && [ $(($4 % 2048)) -eq 0 ] && [ $(($5 % 2048)) -eq 0 ]; then
		dd if="$1" of="$3" bs=1M skip=$(($2 / 2048)) seek=$(($4 / 2048)) \
			count=$(($5 / 2048)) conv=notrunc,fsync status=none
	else
		dd if="$1" of="$3" bs=512 skip="$2" seek="$4" count="$5" \
			conv=notrunc,fsync status=none
	fi
}

say "writing slot A ($((slot / 2048)) MiB) over the old root"
copy "$src" "$s_a_start" "$dst" "$root_start" "$slot" || die "writing slot A failed"
say "writing the ESP (GRUB, the grubenv: slot A good, B empty)"
copy "$src" "$s_esp_start" "$dst" "$esp_start" "$esp_size" || die "writing the ESP failed"

say "writing the partition table"
table=$(mktemp)
trap 'rm -f "$table"' EXIT
{
	sfdisk -d "$dst" | sed -n '/^label:/p; /^label-id:/p; /^unit:/p; /^first-lba:/p; /^last-lba:/p; /^sector-size:/p'
	echo
	echo "start=$esp_start, size=$esp_size, type=$ESP_TYPE, uuid=$(field "$dp" ESP 5), name=\"ESP\""
	echo "start=$root_start, size=$slot, type=$ROOT_TYPE, uuid=$ROOT_A_PARTUUID, name=\"guanai-root-a\""
	echo "start=$((root_start + slot)), size=$slot, type=$ROOT_TYPE, uuid=$ROOT_B_PARTUUID, name=\"guanai-root-b\""
	echo "start=$data_start, size=$data_size, type=$data_type, uuid=$data_uuid, name=\"guanai-data\""
} >"$table"
sfdisk -q --no-reread --no-tell-kernel --wipe never --wipe-partitions never "$dst" <"$table" >/dev/null ||
	die "writing the partition table failed"
sync

np=$(parts "$dst")
[ "$(printf '%s\n' "$np" | awk '{ printf "%s ", $6 }')" = "ESP guanai-root-a guanai-root-b guanai-data " ] &&
	[ "$(field "$np" guanai-data 2)" = "$data_start" ] &&
	[ "$(field "$np" guanai-data 3)" = "$data_size" ] &&
	[ "$(field "$np" guanai-data 5)" = "$data_uuid" ] &&
	[ "$(field "$np" guanai-root-a 5)" = "$ROOT_A_PARTUUID" ] ||
	die "the partition table read back is not the one written"
[ -b "$dst" ] && { partx -u "$dst" 2>/dev/null || true; }
say "done: $dst boots slot A; the data partition is partition 4, untouched"
