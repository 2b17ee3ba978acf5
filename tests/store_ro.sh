#!/bin/sh
# The store's own refusals, through guanai-sync (issue 10 item 8): init
# never writes over an existing data.mdb, even a damaged one; dump, stats
# and check open the store read-only and work on a read-only mount; a
# store this user may not read says "permission denied", not "no store
# here".  The mount and the other user need root (skipped, exit 77,
# otherwise).
set -eu
B=${BUILD:-build}
T=$(mktemp -d /tmp/guanai-ro-XXXXXX)
mnt=""
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B/guanai-demo" --data "$T/s" --children 30 --records 200 --seed 3 \
    --fast-pins >/dev/null 2>&1

echo "init refuses a damaged store and leaves it as it was"
cp "$T/s/data.mdb" "$T/keep.mdb"
mkdir "$T/d"
head -c 12288 "$T/s/data.mdb" > "$T/d/data.mdb"
cp "$T/d/data.mdb" "$T/d.before"
if "$B/guanai-sync" init --data "$T/d" --school-id S1 --school-name X \
    --device k1 2>"$T/err"; then
	fail "init over a damaged store succeeded"
fi
grep -q "already there" "$T/err" || fail "init said: $(cat "$T/err")"
cmp -s "$T/d/data.mdb" "$T/d.before" || fail "init changed the damaged file"
: > "$T/d/data.mdb"
"$B/guanai-sync" init --data "$T/d" --school-id S1 --school-name X \
    --device k1 2>/dev/null && fail "init over an empty data.mdb succeeded"
[ ! -s "$T/d/data.mdb" ] || fail "init wrote into an empty data.mdb"
echo "  refused, byte-identical"

if [ "$(id -u)" != 0 ]; then
	echo "not root: no read-only mount or second user"
	exit 77
fi

echo "dump, stats and check on a read-only mount"
mnt="$T/ro"
mkdir "$mnt"
mount -t tmpfs -o size=8m tmpfs "$mnt" || { echo "cannot mount tmpfs"; exit 77; }
cp "$T/s/data.mdb" "$mnt/"
mount -o remount,ro "$mnt"
"$B/guanai-sync" dump --data "$mnt" > "$T/ro.json" 2>"$T/err" ||
	fail "dump on a read-only mount: $(cat "$T/err")"
"$B/guanai-sync" dump --data "$T/s" > "$T/rw.json"
cmp -s "$T/ro.json" "$T/rw.json" || fail "read-only dump differs"
"$B/guanai-sync" stats --data "$mnt" >/dev/null 2>"$T/err" ||
	fail "stats on a read-only mount: $(cat "$T/err")"
"$B/guanai-sync" check --data "$mnt" >/dev/null 2>"$T/err" ||
	fail "check on a read-only mount: $(cat "$T/err")"
[ ! -e "$mnt/lock.mdb" ] || fail "a lock file appeared on the read-only mount"
umount "$mnt"
mnt=""
echo "  $(wc -l < "$T/ro.json") records read, nothing written"

echo "a store another user may not read: permission denied"
chmod 700 "$T/s"
chmod 600 "$T/s/data.mdb" "$T/s/lock.mdb" 2>/dev/null || true
chmod 755 "$T"
for cmd in dump stats check; do
	if setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$B/guanai-sync" "$cmd" --data "$T/s" >/dev/null 2>"$T/err"; then
		fail "$cmd by nobody succeeded"
	fi
	grep -q "permission denied" "$T/err" ||
		fail "$cmd by nobody said: $(cat "$T/err")"
	grep -q "no store here" "$T/err" && fail "$cmd said no store here"
done
echo "  permission denied, for each"
echo "store refusals ok"
