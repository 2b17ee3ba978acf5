#!/bin/sh
# reboot.sh FILE: guanai-reboot.service, started by guanai-reboot.path when
# the kiosk writes FILE (/run/guanai/reboot-request) after rauc installed
# an update into the other slot (docs/image.md, "Updates", step 4).  The
# kiosk may not reboot itself.  FILE is written by the kiosk's group, so
# it is untrusted: only a regular file (never a link or a FIFO) whose
# first line is exactly "reboot" reboots the machine.  FILE is removed
# either way, so the path unit waits for the next request; anything else
# is logged and ignored.
set -eu
say() { echo "guanai-reboot: $*"; }

req=${1:?usage: reboot.sh FILE}
if [ -f "$req" ] && [ ! -L "$req" ]; then
	line=$(head -c 64 "$req" | head -n 1)
else
	line=
fi
rm -f "$req"
if [ "$line" != reboot ]; then
	say "$req does not say reboot: ignored"
	exit 0
fi
say "the kiosk asks for a reboot (an update was installed): rebooting"
systemctl --no-block reboot
