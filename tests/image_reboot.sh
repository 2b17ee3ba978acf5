#!/bin/sh
# The image's reboot on the kiosk's request (image/rootfs/usr/lib/guanai/
# reboot.sh, run by guanai-reboot.path after an update was installed), on
# the host with a stand-in systemctl that records what it was asked: a
# request file saying "reboot" reboots and is removed; one saying anything
# else, an empty one, a symbolic link to a file saying "reboot" and a FIFO
# do not reboot, and each is removed so the path unit can fire again.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/gu-image-reboot.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$T/bin"
printf '#!/bin/sh\necho "$*" >>"%s/asked"\n' "$T" >"$T/bin/systemctl"
chmod +x "$T/bin/systemctl"
req=$T/reboot-request

# run WHAT SHOULD: runs reboot.sh on $req; SHOULD is yes or no.
run() {
	rm -f "$T/asked"
	PATH=$T/bin:$PATH sh "$REPO/image/rootfs/usr/lib/guanai/reboot.sh" "$req" \
		>"$T/out" 2>&1 || fail "$1: reboot.sh failed: $(cat "$T/out")"
	[ ! -e "$req" ] && [ ! -L "$req" ] || fail "$1: the request was left in place"
	if [ "$2" = yes ]; then
		[ "$(cat "$T/asked" 2>/dev/null)" = "--no-block reboot" ] ||
			fail "$1: no reboot asked ($(cat "$T/out"))"
	else
		[ ! -e "$T/asked" ] || fail "$1: rebooted: $(cat "$T/asked")"
		grep -q 'ignored' "$T/out" || fail "$1: not said: $(cat "$T/out")"
	fi
	echo "$1: $(tail -n 1 "$T/out")"
}

printf 'reboot\n' >"$req"
run "reboot" yes
printf 'reboot' >"$req"
run "reboot without a newline" yes
printf 'halt\n' >"$req"
run "halt" no
printf 'reboot now\n' >"$req"
run "reboot now" no
: >"$req"
run "empty" no
printf 'reboot\n' >"$T/elsewhere"
ln -s "$T/elsewhere" "$req"
run "a link to a file saying reboot" no
mkfifo "$req"
run "a FIFO" no
echo "image_reboot: OK"
