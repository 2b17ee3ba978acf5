#!/bin/sh
# USB export safety (issue 10 item 6): a stick prepared with links or odd
# files in guanai-export/ must never make `guanai-sync export` write through
# them.  Each case plants one thing on a fresh "stick" folder, runs the
# export, and checks that the store is untouched (same dump, check says
# consistent, data.mdb still an LMDB file), that the link's target is
# untouched, and that the export was refused with a message naming the
# path, or (for a stale regular .part or a hard link) that it succeeded
# without writing into the linked file.  Then `guanai-sync verify` reads
# what the good exports wrote.  Last, the daemon's own file:// transport
# (the same safedir writer) against a link planted in its folder.
set -eu
B=${BUILD:-build}
T=$(mktemp -d /tmp/guanai-usb-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

D=$T/data
"$B/guanai-demo" --data "$D" --children 40 --seed 3 --today 2026-11-27 \
	--fast-pins >/dev/null 2>&1
# A first export freezes every record into batches and tells their names.
"$B/guanai-sync" export --data "$D" "$T/first" >/dev/null
batch=
for f in "$T"/first/*.ndjson.gz; do
	[ -f "$f" ] && batch=$(basename "$f")
done
[ -n "$batch" ] || fail "the first export wrote no batch"
"$B/guanai-sync" dump --data "$D" > "$T/dump.before"
n=$(wc -l < "$T/dump.before")
[ "$n" -gt 100 ] || fail "demo store has only $n records"
head -c 4096 "$D/data.mdb" | sha256sum > "$T/head.before"
ls -A "$D" > "$T/ls.before"
echo "a store of $n records; batch $batch"

# The store must be exactly as it was: every record, consistent, and the
# first page of data.mdb (the LMDB meta pages) unchanged.
store_intact() {
	"$B/guanai-sync" dump --data "$D" > "$T/dump.after" 2>"$T/dump.err" ||
		fail "$1: the store no longer opens: $(cat "$T/dump.err")"
	cmp -s "$T/dump.before" "$T/dump.after" ||
		fail "$1: the store's records changed"
	"$B/guanai-sync" check --data "$D" | grep -q consistent ||
		fail "$1: check does not say consistent"
	head -c 4096 "$D/data.mdb" | sha256sum | cmp -s - "$T/head.before" ||
		fail "$1: data.mdb's meta pages changed"
	ls -A "$D" | cmp -s - "$T/ls.before" ||
		fail "$1: the export wrote into the store's folder: $(ls -A "$D")"
}

# refused NAME: the export of $S/guanai-export exits non-zero within 30 s
# and its message names $2 (the planted path).
refused() {
	rc=0
	timeout 30 "$B/guanai-sync" export --data "$D" "$S/guanai-export" \
		>"$T/out" 2>"$T/err" || rc=$?
	[ "$rc" -ne 124 ] || fail "$1: the export hung (opened a FIFO?)"
	[ "$rc" -ne 0 ] || fail "$1: the export succeeded: $(cat "$T/out")"
	grep -qF "$2" "$T/err" || fail "$1: the message does not name $2: $(cat "$T/err")"
	store_intact "$1"
	echo "  refused: $(head -n 1 "$T/err")"
}

stick() {
	S=$T/stick-$1
	mkdir -p "$S/guanai-export"
	E=$S/guanai-export
}

echo "a link at BATCH.part to the store's data.mdb"
stick part
ln -s "$D/data.mdb" "$E/$batch.part"
refused part "$E/$batch.part"
[ -L "$E/$batch.part" ] || fail "part: the link was replaced"

echo "a link at manifest.txt.part to data.mdb"
stick mpart
ln -s "$D/data.mdb" "$E/manifest.txt.part"
refused mpart "$E/manifest.txt.part"

echo "a link at BATCH (the final name) to data.mdb"
stick final
ln -s "$D/data.mdb" "$E/$batch"
refused final "$E/$batch"

echo "a link at manifest.txt to data.mdb"
stick mfinal
ln -s "$D/data.mdb" "$E/manifest.txt"
refused mfinal "$E/manifest.txt"

echo "a dangling link at BATCH.part (O_CREAT would make its target)"
stick dangle
ln -s "$T/made-through-link" "$E/$batch.part"
refused dangle "$E/$batch.part"
[ ! -e "$T/made-through-link" ] || fail "dangle: a file was made through the link"

echo "guanai-export itself a link to the store's folder"
S=$T/stick-dir
mkdir -p "$S"
ln -s "$D" "$S/guanai-export"
refused dir "$S/guanai-export"

echo "a FIFO at BATCH.part (opening it for writing would hang)"
stick fifo
mkfifo "$E/$batch.part"
refused fifo "$E/$batch.part"

echo "a folder at BATCH"
stick folder
mkdir "$E/$batch"
refused folder "$E/$batch"

echo "a stale regular BATCH.part is replaced; a hard link's other name is not written"
stick stale
printf 'half a batch from an export cut short' > "$E/manifest.txt.part"
cp "$D/data.mdb" "$T/copy.mdb"
ln "$T/copy.mdb" "$E/$batch.part"
sum=$(sha256sum < "$T/copy.mdb")
"$B/guanai-sync" export --data "$D" "$E" > "$T/out" 2>"$T/err" ||
	fail "stale: export failed: $(cat "$T/err")"
store_intact stale
[ "$(sha256sum < "$T/copy.mdb")" = "$sum" ] ||
	fail "stale: the hard link's other name was written through"
[ ! -e "$E/$batch.part" ] && [ ! -e "$E/manifest.txt.part" ] ||
	fail "stale: a .part file is left"
cmp -s "$E/$batch" "$T/first/$batch" || fail "stale: the batch differs"

echo "exporting again into the same folder replaces the files"
"$B/guanai-sync" export --all --data "$D" "$E" > "$T/out" 2>"$T/err" ||
	fail "again: $(cat "$T/err")"
store_intact again
(cd "$E" && sha256sum -c --quiet manifest.txt) || fail "manifest does not check"
"$B/guanai-sync" verify "$E" > "$T/verified" 2>"$T/verr" ||
	fail "verify of the export: $(cat "$T/verr")"
v=$(grep -c '^{' "$T/verified")
[ "$v" -eq "$n" ] || fail "verify printed $v records, the store has $n"
echo "  verify: $v records"

echo "a target that is a file, not a folder"
printf x > "$T/notadir"
rc=0
"$B/guanai-sync" export --data "$D" "$T/notadir" >/dev/null 2>"$T/err" || rc=$?
[ "$rc" -ne 0 ] && grep -qF "$T/notadir: is not a folder" "$T/err" ||
	fail "notadir: $(cat "$T/err")"
store_intact notadir
echo "the daemon's file:// folder: a link at .part is never written through"
U=$T/up
mkdir -p "$U"
ln -s "$D/data.mdb" "$U/$batch.part"
rc=0
"$B/guanai-sync" once --data "$D" --url "file://$U/" >"$T/out" 2>"$T/err" ||
	rc=$?
[ "$rc" -ne 0 ] || fail "file: once succeeded through a link: $(cat "$T/out")"
"$B/guanai-sync" dump --data "$D" > "$T/dump.after" 2>"$T/dump.err" ||
	fail "file: the store no longer opens: $(cat "$T/dump.err")"
cmp -s "$T/dump.before" "$T/dump.after" || fail "file: the records changed"
"$B/guanai-sync" check --data "$D" | grep -q consistent ||
	fail "file: check does not say consistent"
"$B/guanai-sync" status --data "$D" > "$T/status" 2>&1 || true
grep -q "symbolic link" "$T/status" "$T/err" ||
	fail "file: neither once nor status names the link: $(cat "$T/err" "$T/status")"
rm -f "$U/$batch.part"
# A hard link at .part (to a copy standing in for someone's file): the
# upload replaces the name and leaves the other file's bytes alone.
cp "$D/data.mdb" "$T/copy2.mdb"
ln "$T/copy2.mdb" "$U/$batch.part"
sum=$(sha256sum < "$T/copy2.mdb")
"$B/guanai-sync" once --data "$D" --url "file://$U/" >"$T/out" 2>"$T/err" ||
	fail "file: once after the link was gone: $(cat "$T/err")"
[ "$(sha256sum < "$T/copy2.mdb")" = "$sum" ] ||
	fail "file: the hard link's other name was written through"
"$B/guanai-sync" verify "$U" > "$T/verified" 2>"$T/verr" ||
	fail "file: verify: $(cat "$T/verr")"
v=$(grep -c '^{' "$T/verified")
[ "$v" -eq "$n" ] || fail "file: verify printed $v records, the store has $n"
echo "  refused, then uploaded: $v records"
echo "all usb export checks passed"
