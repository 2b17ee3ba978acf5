#!/bin/sh
# guanai-reboot.service (started by guanai-reboot.path), as root: the kiosk
# wrote FILE after `rauc install` succeeded.  FILE is the kiosk's (its group
# may write /run/guanai), so it is untrusted: only a regular file, never a
# link or a FIFO, whose first line is exactly "reboot" reboots the
# terminal; anything else is removed and said.  FILE is removed either way,
# so the path unit does not start this again.
set -u
say() { echo "guanai-reboot: $*"; }

req=$1
line=
if [ -f "$req" ] && [ ! -L "$req" ]; then
	line=$(head -c 16 "$req" | head -n 1)
fi
rm -f "$req"
if [ "$line" != reboot ]; then
	say "$req does not say 'reboot': ignored"
	exit 1
fi
say "the kiosk installed an update: rebooting"
exec systemctl reboot
