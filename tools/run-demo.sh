#!/bin/sh
# make run: makes the demo school in DIR once (guanai-demo), then opens
# the kiosk on it.  WINDOW=WxH opens a window instead of fullscreen;
# Ctrl+Alt+Q quits either.
# Without a display (no $DISPLAY or $WAYLAND_DISPLAY) the kiosk cannot
# open, so the demo store's figures are printed instead.
set -eu
BUILD=$1
DIR=$2
if [ ! -f "$DIR/data.mdb" ]; then
	mkdir -p "$(dirname "$DIR")"
	rm -rf "$DIR.tmp"
	"$BUILD/guanai-demo" --data "$DIR.tmp"
	mv "$DIR.tmp" "$DIR"
fi
"$BUILD/guanai-sync" stats --data "$DIR"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ ! -e /dev/dri/card0 ]; then
	echo "run: no display here; the kiosk needs X11, Wayland or KMS."
	echo "     The demo store is in $DIR; try: xvfb-run make run"
	exit 0
fi
set -- --data "$DIR"
# A development run: Ctrl+Alt+Q quits the fullscreen window (the kiosk
# says so at start); the appliance never sets this.
GUANAI_DEV=1
export GUANAI_DEV
[ -n "${WINDOW:-}" ] && set -- "$@" --window "$WINDOW"
exec "$BUILD/guanai-kiosk" "$@"
