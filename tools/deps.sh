#!/bin/sh
# Installs the Debian 12 packages a make target needs, and only when one of
# them is missing: a machine that has everything is left alone (one
# dpkg-query, no network).  Usage: tools/deps.sh build|run|check|bench|lint|image
set -eu

build="gcc make pkg-config libsdl2-dev libsdl2-ttf-dev libdrm-dev libinput-dev libudev-dev liblmdb-dev
libcurl4-openssl-dev libssl-dev zlib1g-dev libsodium-dev
libzinnia-dev tegaki-zinnia-simplified-chinese libgooglepinyin0-dev g++
libxlsxwriter-dev libcairo2-dev libpango1.0-dev
libpq-dev libexpat1-dev"
tests="libcmocka-dev clang libclang-rt-14-dev nginx rauc squashfs-tools
libnginx-mod-http-dav-ext xvfb xauth xdotool imagemagick jq iproute2
lmdb-utils curl python3 procps psmisc libx11-dev libxext-dev
python3-openpyxl poppler-utils libreoffice-calc-nogui
postgresql-15 postgresql-client-15 python3-botocore chromium"
case "${1:-build}" in
build) want="$build" ;;
run) want="$build" ;;
check) want="$build $tests" ;;
bench) want="$build $tests hyperfine" ;;
lint) want="$build clang-format cppcheck" ;;
image) want="$build mmdebstrap qemu-system-x86 qemu-utils ovmf
dosfstools e2fsprogs fdisk mtools grub-efi-amd64-bin grub-efi-ia32-bin
python3 imagemagick rauc squashfs-tools" ;;
*) echo "deps.sh: unknown set '$1'" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || $sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
