#!/bin/sh
# Starts guanai-kiosk (or, with --message FILE, the full-screen message) on
# SDL's KMSDRM driver with the OpenGL ES 2 renderer, which works on Mesa
# (virtio-gpu, bochs, i915 ...).  If a start fails within 15 s (no frame on
# this GPU), the next start uses SDL's software renderer instead; the choice
# lasts until reboot (/run/guanai/renderer).  ExecStopPost calls it with
# --stopped to make that choice.
set -eu
state=/run/guanai/renderer
started=/run/guanai/kiosk-started

if [ "${1:-}" = "--stopped" ]; then
	# systemd tells ExecStopPost how the kiosk ended: say it on the
	# console and in the journal.
	echo "guanai-kiosk: stopped: ${SERVICE_RESULT:-?} ${EXIT_CODE:-?} ${EXIT_STATUS:-?}" >&2
	now=$(date +%s)
	then=$(cat "$started" 2>/dev/null || echo "$now")
	if [ "${SERVICE_RESULT:-success}" != success ] && [ $((now - then)) -lt 15 ] &&
		[ "$(cat "$state" 2>/dev/null || echo opengles2)" = opengles2 ]; then
		echo "guanai-kiosk: failed fast with opengles2: falling back to the software renderer" >&2
		echo software > "$state"
	fi
	exit 0
fi

date +%s > "$started" 2>/dev/null || true
# On QEMU's std VGA (bochs-drm: no Mesa driver, GLES on llvmpipe through
# kms_swrast) the kiosk has been seen to crash a few seconds after its
# first frame with opengles2; the fallback below then takes over.  Starting
# with "software" there does not work: SDL 2.26's KMSDRM has no window
# framebuffer of its own and the screen stays black.
drv=$(basename "$(readlink /sys/class/drm/card0/device/driver 2>/dev/null)" 2>/dev/null || true)
SDL_RENDER_DRIVER=$(cat "$state" 2>/dev/null || echo opengles2)
export SDL_RENDER_DRIVER
echo "guanai-kiosk: display driver ${drv:-unknown}, renderer $SDL_RENDER_DRIVER" >&2

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
