#!/bin/sh
# image/bundle.sh: builds the signed RAUC update bundle of the appliance's
# root file system, build/image/guanai-VERSION.raucb (`make bundle`).
#
# Read docs/image.md, "Updates", first.  The recipe:
#   1. the signing key, its certificate and the CA (the devices' keyring)
#      come from outside the repository, named by GUANAI_SIGN_KEY,
#      GUANAI_SIGN_CERT and GUANAI_SIGN_KEYRING; the certificate must
#      chain to the CA;
#   2. the root (build/image/rootfs, left there by image/build.sh) must
#      say the version (usr/share/guanai/version), trust that same CA
#      (etc/rauc/keyring.pem) and be of the device class COMPATIBLE
#      (etc/rauc/system.conf), so the system a bundle installs takes the
#      next bundle too;
#   3. the root becomes one squashfs image for slot class rootfs, made by
#      image/squashfs.sh (the same recipe and, for the image's own root,
#      the same file as slot A of the disk image);
#   4. a manifest (compatible, version, description, format=verity) and
#      `rauc bundle`; then `rauc info --keyring` must accept the result.
#
# Environment:
#   GUANAI_SIGN_CERT, GUANAI_SIGN_KEY  PEM signing certificate and key
#   GUANAI_SIGN_KEYRING                PEM CA certificate(s) the devices trust
#   BUILD         default build
#   BUNDLE_ROOT   the root to pack (default $BUILD/image/rootfs)
#   BUNDLE_OUT    the bundle (default $BUILD/image/guanai-VERSION.raucb)
#   VERSION       if set, must equal the root's usr/share/guanai/version
#   DESCRIPTION   what changed, one line; else DESCRIPTION_FILE's text;
#                 else the subject of the last git commit
#   COMPATIBLE    default guanai-terminal-x86_64 (the device class)
#   SQUASHFS_OPTS image/squashfs.sh's (default "-comp gzip -b 128K")
# Run as root for a real image root (it holds files only root may read).
set -eu

# Paths given relative to where we were called from stay so after the cd.
# shellcheck disable=SC2034
here=$(pwd) # used by the eval below
for v in GUANAI_SIGN_CERT GUANAI_SIGN_KEY GUANAI_SIGN_KEYRING BUNDLE_ROOT \
	BUNDLE_OUT DESCRIPTION_FILE; do
	eval "f=\${$v:-}"
	case "$f" in
	"" | /*) ;;
	*) eval "$v=\$here/\$f" ;;
	esac
done
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ROOT=${BUNDLE_ROOT:-$BUILD/image/rootfs}
COMPATIBLE=${COMPATIBLE:-guanai-terminal-x86_64}

die() { printf 'image/bundle.sh: error: %s\n' "$*" >&2; exit 1; }
step() { printf 'image/bundle.sh: %s\n' "$*"; }

for t in mksquashfs rauc openssl; do
	command -v $t >/dev/null 2>&1 ||
		die "$t is missing: run tools/deps.sh image (squashfs-tools, rauc, openssl)"
done

# 1. The key, kept outside the repository.
for v in GUANAI_SIGN_CERT GUANAI_SIGN_KEY GUANAI_SIGN_KEYRING; do
	eval "f=\${$v:-}"
	[ -n "$f" ] || die "$v is not set: the signing certificate, key and CA live outside the repository (docs/image.md, \"Signing keys\")"
	[ -r "$f" ] || die "$v=$f: not a readable file"
done
repo=$(pwd -P)
case "$(cd "$(dirname "$GUANAI_SIGN_KEY")" && pwd -P)/" in
"$repo"/*) die "GUANAI_SIGN_KEY=$GUANAI_SIGN_KEY is inside the repository; keep the signing key outside it" ;;
esac
# rauc checks the S/MIME signing purpose (system.conf has no check-purpose).
why=$(openssl verify -CAfile "$GUANAI_SIGN_KEYRING" -purpose smimesign \
	"$GUANAI_SIGN_CERT" 2>&1) ||
	die "GUANAI_SIGN_CERT=$GUANAI_SIGN_CERT is not a signing certificate of GUANAI_SIGN_KEYRING=$GUANAI_SIGN_KEYRING: $(printf '%s' "$why" | tail -n 2 | tr '\n' ' ')"

# 2. The root, as image/build.sh left it.
[ -d "$ROOT" ] || die "$ROOT: no root file system (run make image first, or set BUNDLE_ROOT)"
[ -r "$ROOT/usr/share/guanai/version" ] ||
	die "$ROOT/usr/share/guanai/version: missing (image/build.sh writes it)"
version=$(head -n 1 "$ROOT/usr/share/guanai/version")
VERSION=$version image/version.sh >/dev/null ||
	die "$ROOT/usr/share/guanai/version: '$version' is not a version"
[ -z "${VERSION:-}" ] || [ "$VERSION" = "$version" ] ||
	die "VERSION=$VERSION but the root is version $version (rebuild the image with VERSION=$VERSION)"
cmp -s "$GUANAI_SIGN_KEYRING" "$ROOT/etc/rauc/keyring.pem" ||
	die "$ROOT/etc/rauc/keyring.pem is not GUANAI_SIGN_KEYRING: a system installed from this bundle would refuse the next one (rebuild the image with GUANAI_SIGN_KEYRING set)"
conf_compat=$(sed -n 's/^compatible=//p' "$ROOT/etc/rauc/system.conf" 2>/dev/null | head -n 1)
[ "$conf_compat" = "$COMPATIBLE" ] ||
	die "$ROOT/etc/rauc/system.conf: compatible is '$conf_compat', not '$COMPATIBLE'"

if [ -n "${DESCRIPTION:-}" ]; then
	desc=$DESCRIPTION
elif [ -n "${DESCRIPTION_FILE:-}" ]; then
	[ -r "$DESCRIPTION_FILE" ] || die "DESCRIPTION_FILE=$DESCRIPTION_FILE: not readable"
	desc=$(tr '\n\t' '  ' <"$DESCRIPTION_FILE")
else
	desc=$(git log -1 --format=%s 2>/dev/null || echo "Guanai $version")
fi
# One line of at most 400 bytes, cut at a character (the manifest is a
# key file; guanai-sync shows it on the head's screen).
desc=$(printf '%s' "$desc" | tr -d '\r' | tr '\n\t' '  ' | head -c 400 |
	{ iconv -c -f UTF-8 -t UTF-8 || true; })

OUT=${BUNDLE_OUT:-$BUILD/image/guanai-$version.raucb}
mkdir -p "$(dirname "$OUT")"
work=$(mktemp -d "$(dirname "$OUT")/.bundle.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
start=$(date +%s)

# 3. The slot image: image/squashfs.sh, the recipe image/build.sh made
# slot A with.  For the image's own root its file is reused when the root
# did not change since, so the bundle carries the very file system of slot
# A; any other root is packed into the work folder.
if [ "$ROOT" = "$BUILD/image/rootfs" ]; then
	slot_img=$BUILD/image/rootfs.squashfs
else
	slot_img=$work/rootfs.squashfs
fi
step "squashfs of $ROOT"
image/squashfs.sh "$ROOT" "$slot_img" || die "the squashfs of $ROOT failed"
ln "$slot_img" "$work/in/rootfs.img" 2>/dev/null ||
	cp "$slot_img" "$work/in/rootfs.img"

# 4. The manifest and the signature.
cat >"$work/in/manifest.raucm" <<EOM
[update]
compatible=$COMPATIBLE
version=$version
description=$desc

[bundle]
format=verity

[image.rootfs]
filename=rootfs.img
EOM
step "rauc bundle, version $version, for $COMPATIBLE"
rm -f "$OUT"
rauc bundle --cert="$GUANAI_SIGN_CERT" --key="$GUANAI_SIGN_KEY" \
	"$work/in" "$OUT" >"$work/rauc.log" 2>&1 ||
	{ cat "$work/rauc.log" >&2; die "rauc bundle failed"; }
rauc info --keyring="$GUANAI_SIGN_KEYRING" "$OUT" >/dev/null 2>"$work/rauc.log" ||
	{ cat "$work/rauc.log" >&2; rm -f "$OUT"; die "rauc info refuses the new bundle"; }

end=$(date +%s)
bytes=$(stat -c %s "$OUT")
step "done: $OUT, $bytes bytes ($((bytes / 1048576)) MiB), $((end - start)) s"
