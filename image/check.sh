#!/bin/sh
# image/check.sh (make image-check): boots build/image/guanai.img under
# qemu-system-x86_64 -accel tcg with OVMF and checks the appliance end to
# end; see image/check.py for the steps.  Fails with the name of the step
# that failed.  Bounded: each boot waits at most IMAGE_BOOT_TIMEOUT seconds
# (default 600), the whole run at most 25 minutes.
# `image/check.sh full` (make image-check-full) then runs the update steps,
# image/check_update.py, at most 60 minutes more.
set -eu
cd "$(dirname "$0")/.."
for t in qemu-system-x86_64 qemu-img mkfs.vfat mcopy convert python3 \
	mksquashfs rauc openssl; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "image-check: FAILED at step 'tools': $t is missing (tools/deps.sh image)" >&2
		exit 1
	}
done
[ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || {
	echo "image-check: FAILED at step 'tools': OVMF is missing (package ovmf)" >&2
	exit 1
}
if [ "${1:-}" = full ]; then
	timeout -k 10 1500 python3 image/check.py || exit 1
	exec timeout -k 10 3600 python3 image/check_update.py
fi
exec timeout -k 10 1500 python3 image/check.py
