#!/bin/sh
# The one-time path of a terminal installed before the A/B slots
# (image/migrate-ab.sh, docs/image.md "Terminals
# already in the field"), on disk image files on the host: a small disk in
# the old single-slot layout (ESP, guanai-root, guanai-data holding a store
# file) and a small A/B "image" (ESP with a grubenv, slot A, slot B) are
# made; after the migration the terminal's disk has the four partitions,
# slot A and the ESP are the image's byte for byte, and the data
# partition's every byte, start, size and id are what they were.  Refused,
# with the old disk unchanged: slots that do not fit, another layout, an
# image without slots.  A second run says there is nothing to do; a run
# cut off before the table (the power cut) is simply run again.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
M=$REPO/image/migrate-ab.sh
for t in sfdisk mkfs.vfat mcopy mkfs.ext4 e2fsck debugfs; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
T=$(mktemp -d /tmp/gu-migrate.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export MTOOLS_SKIP_CHECK=1
eval "$(grep -E '^(ESP_PARTUUID|ROOT_A_PARTUUID|ROOT_B_PARTUUID)=' "$REPO/image/build.sh")"
DATA_UUID=3b7d1c52-0f4e-4a8e-b2d6-5c1e9a7f4d21

# sha FILE START_MIB MIB: the SHA-256 of that part of FILE.
sha() { dd if="$1" bs=1M skip="$2" count="$3" status=none | sha256sum | cut -d' ' -f1; }
# part_of FILE NAME COLUMN: start= or size= (in sectors) or uuid= of a partition.
part_of() {
	sfdisk -d "$1" | grep "name=\"$2\"" | sed 's/ : /,/' | tr ',' '\n' | sed -n "s/^ *$3= *//p" | tr 'A-F' 'a-f'
}

# old_disk FILE ROOT_MIB: 1 MiB GPT, ESP 8 MiB (the old kernel in
# /guanai), the old root, 24 MiB of data with a store file in it.
old_disk() {
	rm -f "$1"
	truncate -s $((1 + 8 + $2 + 24 + 1))M "$1"
	sfdisk -q "$1" <<EOF
label: gpt
start=1MiB, size=8MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$ESP_PARTUUID, name="ESP"
start=9MiB, size=${2}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$ROOT_A_PARTUUID, name="guanai-root"
start=$((9 + $2))MiB, size=24MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$DATA_UUID, name="guanai-data"
EOF
	mkfs.vfat -C "$T/esp.img" 8192 >/dev/null
	mmd -i "$T/esp.img" ::/guanai
	echo "old kernel" >"$T/vmlinuz" && mcopy -i "$T/esp.img" "$T/vmlinuz" ::/guanai/
	dd if="$T/esp.img" of="$1" bs=1M seek=1 conv=notrunc status=none
	head -c $(($2 * 1048576)) /dev/urandom | dd of="$1" bs=1M seek=9 conv=notrunc status=none
	mkdir -p "$T/data/lib"
	head -c 3000000 /dev/urandom >"$T/data/lib/data.mdb"
	rm -f "$T/data.img"
	mkfs.ext4 -q -F -L guanai-data -d "$T/data" "$T/data.img" 24M
	dd if="$T/data.img" of="$1" bs=1M seek=$((9 + $2)) conv=notrunc status=none
	rm -f "$T/esp.img" "$T/data.img" "$T/vmlinuz"
}

# ab_image FILE SLOT_MIB: the new layout as image/build.sh makes it, small.
ab_image() {
	rm -f "$1"
	truncate -s $((1 + 8 + 2 * $2 + 1))M "$1"
	sfdisk -q "$1" <<EOF
label: gpt
start=1MiB, size=8MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$ESP_PARTUUID, name="ESP"
start=9MiB, size=${2}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$ROOT_A_PARTUUID, name="guanai-root-a"
start=$((9 + $2))MiB, size=${2}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$ROOT_B_PARTUUID, name="guanai-root-b"
EOF
	mkfs.vfat -C "$T/esp.img" 8192 >/dev/null
	mmd -i "$T/esp.img" ::/EFI ::/EFI/BOOT ::/guanai
	echo "new grub" >"$T/BOOTX64.EFI" && mcopy -i "$T/esp.img" "$T/BOOTX64.EFI" ::/EFI/BOOT/
	printf '# GRUB Environment Block\nORDER=A B\nA_OK=1\nA_TRY=0\nB_OK=0\nB_TRY=0\n' >"$T/grubenv"
	mcopy -i "$T/esp.img" "$T/grubenv" ::/guanai/
	dd if="$T/esp.img" of="$1" bs=1M seek=1 conv=notrunc status=none
	head -c $(($2 * 1048576)) /dev/urandom | dd of="$1" bs=1M seek=9 conv=notrunc status=none
	rm -f "$T/esp.img" "$T/BOOTX64.EFI" "$T/grubenv"
}

echo "== an old terminal's disk (root 64 MiB) and an A/B image (slots of 24 MiB)"
old_disk "$T/old.img" 64
ab_image "$T/new.img" 24
data_sha=$(sha "$T/old.img" 73 24)
data_start=$(part_of "$T/old.img" guanai-data start)
whole=$(sha256sum <"$T/old.img")

echo "== refused, nothing written: slots that do not fit, another layout, no slots"
ab_image "$T/big.img" 40
rc=0; sh "$M" "$T/big.img" "$T/old.img" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "two slots of 40 MiB do not fit in the old root's 64 MiB" "$T/out" ||
	{ cat "$T/out"; fail "slots too big not refused"; }
rc=0; sh "$M" "$T/old.img" "$T/old.img" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "not an A/B image" "$T/out" || { cat "$T/out"; fail "a source without slots not refused"; }
truncate -s 40M "$T/other.img"
printf 'label: gpt\nstart=1MiB, size=30MiB, name="linux"\n' | sfdisk -q "$T/other.img"
rc=0; sh "$M" "$T/new.img" "$T/other.img" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "not the single-slot layout" "$T/out" || { cat "$T/out"; fail "another layout not refused"; }
rc=0; sh "$M" --check "$T/new.img" "$T/old.img" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 0 ] && grep -q "check only: nothing written" "$T/out" || { cat "$T/out"; fail "--check"; }
[ "$(sha256sum <"$T/old.img")" = "$whole" ] || fail "a refusal or --check changed the old disk"
echo "ok: refused with the reason, the old disk byte for byte as it was"

echo "== a run cut off before the table (a power cut), then run again"
# The table is the commit point: kill the copy of the ESP, the step before it.
cp "$T/old.img" "$T/cut.img"
sed 's/^say "writing the ESP.*/exit 9/' "$M" >"$T/cut.sh"
rc=0; sh "$T/cut.sh" "$T/new.img" "$T/cut.img" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 9 ] || { cat "$T/out"; fail "the cut run did not stop where cut"; }
sfdisk -d "$T/cut.img" | grep -q 'name="guanai-root"' || fail "the cut run changed the table"
sh "$M" "$T/new.img" "$T/cut.img" >"$T/out" 2>&1 || { cat "$T/out"; fail "the run after the cut"; }
[ "$(sha "$T/cut.img" 73 24)" = "$data_sha" ] || fail "the data changed across the cut"
echo "ok: the old table stayed until the end; the second run finished it"

echo "== the migration"
sh "$M" "$T/new.img" "$T/old.img" >"$T/out" 2>&1 || { cat "$T/out"; fail "migration failed"; }
cat "$T/out"
names=$(sfdisk -d "$T/old.img" | sed -n 's/.*name="\([^"]*\)".*/\1/p' | tr '\n' ' ')
[ "$names" = "ESP guanai-root-a guanai-root-b guanai-data " ] || fail "partitions are [$names]"
[ "$(part_of "$T/old.img" guanai-data start)" = "$data_start" ] || fail "the data partition moved"
[ "$(part_of "$T/old.img" guanai-data size)" = $((24 * 2048)) ] || fail "the data partition changed size"
[ "$(part_of "$T/old.img" guanai-data uuid)" = "$DATA_UUID" ] || fail "the data partition's id changed"
[ "$(part_of "$T/old.img" guanai-root-a uuid)" = "$ROOT_A_PARTUUID" ] || fail "slot A's PARTUUID"
[ "$(part_of "$T/old.img" guanai-root-b uuid)" = "$ROOT_B_PARTUUID" ] || fail "slot B's PARTUUID"
[ "$(part_of "$T/old.img" guanai-root-b start)" = $(((9 + 24) * 2048)) ] || fail "slot B's start"
sfdisk -d "$T/old.img" | grep -q "^label: gpt" || fail "not GPT"
sfdisk --verify "$T/old.img" >/dev/null 2>&1 || fail "sfdisk --verify"
[ "$(sha "$T/old.img" 73 24)" = "$data_sha" ] || fail "a byte of the data partition changed"
[ "$(sha "$T/old.img" 9 24)" = "$(sha "$T/new.img" 9 24)" ] || fail "slot A is not the image's"
[ "$(sha "$T/old.img" 1 8)" = "$(sha "$T/new.img" 1 8)" ] || fail "the ESP is not the image's"
dd if="$T/old.img" of="$T/esp.img" bs=1M skip=1 count=8 status=none
mtype -i "$T/esp.img" ::/guanai/grubenv | grep -q '^B_OK=0' || fail "no grubenv with slot B bad"
dd if="$T/old.img" of="$T/data.img" bs=1M skip=73 count=24 status=none
e2fsck -fn "$T/data.img" >/dev/null 2>&1 || fail "the data file system is not clean"
debugfs -R "stat /lib/data.mdb" "$T/data.img" 2>/dev/null | grep -q "Size: 3000000" || fail "the store file is not there"
echo "ok: four partitions, slot A and the ESP the image's, the data partition untouched"

echo "== a second run"
sh "$M" "$T/new.img" "$T/old.img" >"$T/out" 2>&1 || { cat "$T/out"; fail "second run failed"; }
grep -q "already has the A/B slots" "$T/out" || fail "second run did not say so"
echo "PASS"
