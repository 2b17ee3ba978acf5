#!/bin/sh
# Starts guanai-kiosk (or, with --message FILE, the full-screen message).
# Both paint in memory and show their frames through the kernel's mode
# setting (display = auto picks drm on the console: app/platform/kms.c), so
# they work on any KMS driver (i915, amdgpu, bochs, virtio-gpu, simpledrm)
# with no GL stack.  ExecStopPost calls it with --stopped to say how the
# kiosk ended.
set -eu

if [ "${1:-}" = "--stopped" ]; then
	# systemd tells ExecStopPost how the kiosk ended: say it on the
	# console and in the journal.
	echo "guanai-kiosk: stopped: ${SERVICE_RESULT:-?} ${EXIT_CODE:-?} ${EXIT_STATUS:-?}" >&2
	exit 0
fi

drv=$(basename "$(readlink /sys/class/drm/card0/device/driver 2>/dev/null)" 2>/dev/null || true)
echo "guanai-kiosk: display driver ${drv:-unknown}" >&2

font=
for f in /usr/share/guanai/fonts/*.ttf /usr/share/guanai/fonts/*.otf \
	/usr/share/guanai/fonts/*.ttc /usr/share/guanai/fonts/*/*.tt[fc] \
	/usr/share/guanai/fonts/*/*.otf; do
	[ -f "$f" ] && { font=$f; break; }
done

if [ "${1:-}" = "--message" ]; then
	exec /usr/bin/guanai-screen --message "$2" ${font:+--font "$font"}
fi
# The test hook (image/check.py): only in a VM with the virtio port
# guanai.debug, the kiosk writes where each text is after every frame, so
# the test can tap screens by their text (docs/image.md).
if [ -e /dev/virtio-ports/guanai.debug ]; then
	GUANAI_TEXT_DUMP=/run/guanai/texts
	GUANAI_INPUT_LOG=1
	export GUANAI_TEXT_DUMP GUANAI_INPUT_LOG
fi
exec /usr/bin/guanai-kiosk "$@"
