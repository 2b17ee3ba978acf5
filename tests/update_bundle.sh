#!/bin/sh
# The signed update bundle, on the host (no VM): image/bundle.sh, the
# script behind `make bundle`, packs a tiny root (so it runs in seconds)
# signed by a throwaway CA (tests/lib/rauc.sh); `rauc info --keyring CA`
# accepts it.  Refused, each with rauc's own reason (or guanai-sync's for
# the device class): a bundle without a valid signature (its signature
# bytes corrupted, or cut off), one signed by another CA, one for another
# device class (its manifest's compatible against
# image/rootfs/etc/rauc/system.conf's), and a truncated one.  The slot
# image's recipe (image/squashfs.sh) gives the same bytes for the same
# root and reuses its file while the root is unchanged.
# guanai-sync's network check (sync/update.c) is not built yet: the device
# class is compared here with rauc's own reading of the manifest, the way
# it will compare it.  bundle.sh itself refuses to run without the key or with a root that
# trusts another CA.
set -eu
. "$(dirname "$0")/lib/rauc.sh"
rauc_test_need
REPO=$(cd "$(dirname "$0")/.." && pwd)

T=$(mktemp -d /tmp/gu-update-bundle.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The image's system.conf as image/build.sh fills it in (its @...@ values
# taken from build.sh itself).
sysconf() {
	eval "$(grep -E '^(ROOT_A_PARTUUID|ROOT_B_PARTUUID|RAUC_COMPATIBLE)=' "$REPO/image/build.sh")"
	sed -e "s/@ROOT_A_PARTUUID@/$ROOT_A_PARTUUID/" \
	    -e "s/@ROOT_B_PARTUUID@/$ROOT_B_PARTUUID/" \
	    -e "s/@RAUC_COMPATIBLE@/$RAUC_COMPATIBLE/" \
	    "$REPO/image/rootfs/etc/rauc/system.conf"
}

echo "== a throwaway CA and a tiny root of version 2.0.1"
rauc_test_ca "$T/pki"
R=$T/root
mkdir -p "$R/usr/share/guanai" "$R/etc/rauc" "$R/usr/bin"
echo 2.0.1 >"$R/usr/share/guanai/version"
sysconf >"$R/etc/rauc/system.conf"
cp "$T/pki/ca.pem" "$R/etc/rauc/keyring.pem"
head -c 65536 /dev/urandom >"$R/usr/bin/guanai-kiosk"

export GUANAI_SIGN_CERT=$T/pki/signing.pem GUANAI_SIGN_KEY=$T/pki/signing.key
export GUANAI_SIGN_KEYRING=$T/pki/ca.pem BUNDLE_ROOT=$R
export DESCRIPTION="新增系统更新页; fixes"
B=$T/good.raucb

# refuse WHAT PATTERN CMD...: CMD fails and says PATTERN.
refuse() {
	what=$1 pat=$2
	shift 2
	if "$@" >"$T/out" 2>&1; then
		cat "$T/out"
		fail "$what: accepted"
	fi
	grep -Eq "$pat" "$T/out" || { cat "$T/out"; fail "$what: does not say /$pat/"; }
	echo "$what: refused: $(grep -E "$pat" "$T/out" | head -n 1)"
}

echo "== bundle.sh without the key, with a root that trusts another CA"
refuse "no GUANAI_SIGN_KEY" "GUANAI_SIGN_KEY is not set" \
	env -u GUANAI_SIGN_KEY BUNDLE_OUT="$B" "$REPO/image/bundle.sh"
refuse "cert of another CA" "not a signing certificate of" \
	env GUANAI_SIGN_CERT="$T/pki/other/signing.pem" BUNDLE_OUT="$B" "$REPO/image/bundle.sh"
cp "$T/pki/other/ca.pem" "$R/etc/rauc/keyring.pem"
refuse "root trusting another CA" "keyring.pem is not GUANAI_SIGN_KEYRING" \
	env BUNDLE_OUT="$B" "$REPO/image/bundle.sh"
cp "$T/pki/ca.pem" "$R/etc/rauc/keyring.pem"
refuse "VERSION unlike the root's" "the root is version 2.0.1" \
	env VERSION=2.0.2 BUNDLE_OUT="$B" "$REPO/image/bundle.sh"
[ ! -e "$B" ] || fail "a refused run left $B"

echo "== squashfs.sh: one recipe for slot A and the bundle"
# The same root gives the same bytes; an unchanged root keeps its file
# (the bundle then carries slot A's very file system); a file of the root
# changed, even only its mode, makes a new one.
"$REPO/image/squashfs.sh" "$R" "$T/a.sqfs" >/dev/null
"$REPO/image/squashfs.sh" "$R" "$T/b.sqfs" >/dev/null
cmp -s "$T/a.sqfs" "$T/b.sqfs" || fail "the same root gave two different squashfs"
"$REPO/image/squashfs.sh" "$R" "$T/a.sqfs" | grep -q 'is up to date' ||
	fail "an unchanged root's squashfs was made again"
sleep 1
chmod 0700 "$R/usr/bin/guanai-kiosk"
"$REPO/image/squashfs.sh" "$R" "$T/a.sqfs" | grep -q 'bytes$' ||
	fail "a changed root's squashfs was kept"
cmp -s "$T/a.sqfs" "$T/b.sqfs" && fail "a changed root gave the same squashfs"
chmod 0755 "$R/usr/bin/guanai-kiosk"
[ ! -e "$T/a.sqfs.part" ] || fail "squashfs.sh left a .part"
"$REPO/image/squashfs.sh" "$T/none" "$T/c.sqfs" 2>"$T/err" && fail "no root: made"
grep -q "image/squashfs.sh: error: $T/none: not a directory" "$T/err" ||
	fail "no root: $(cat "$T/err")"
[ ! -e "$T/c.sqfs" ] || fail "no root: a file was made"
echo "squashfs.sh: reproducible, reused, remade on a change"

echo "== bundle.sh: the good bundle"
t0=$(date +%s)
BUNDLE_OUT=$B "$REPO/image/bundle.sh"
echo "bundle.sh took $(($(date +%s) - t0)) s, $(stat -c %s "$B") bytes"
rauc info --keyring "$T/pki/ca.pem" --output-format=shell "$B" >"$T/info" 2>"$T/info.err" ||
	{ cat "$T/info.err"; fail "rauc info refuses the good bundle"; }
grep -qx "RAUC_MF_COMPATIBLE='guanai-terminal-x86_64'" "$T/info" || fail "compatible"
grep -qx "RAUC_MF_VERSION='2.0.1'" "$T/info" || fail "version"
grep -qx "RAUC_MF_DESCRIPTION='新增系统更新页; fixes'" "$T/info" || fail "description"
grep -qx "RAUC_IMAGE_CLASS_0='rootfs'" "$T/info" || fail "slot class"
rauc info --keyring "$T/pki/ca.pem" "$B" 2>/dev/null | grep -q "Bundle Format:.*verity" || fail "not verity"
# The image's system.conf itself parses in rauc (its keyring pointed at the CA).
sysconf | sed "s|^path=.*|path=$T/pki/ca.pem|" >"$T/system.conf"
rauc --conf="$T/system.conf" info "$B" >/dev/null 2>"$T/info.err" ||
	{ cat "$T/info.err"; fail "rauc --conf system.conf info"; }
echo "good: accepted: $(grep -E 'VERSION|COMPAT' "$T/info" | tr '\n' ' ')"

# verify BUNDLE: signed under the CA and for this terminal's class.
verify() {
	rauc info --keyring "$T/pki/ca.pem" --output-format=shell "$1" >"$T/v.out" 2>"$T/v.err" ||
		{ echo "rauc: $(grep -v '^rauc-Message' "$T/v.err")"; return 1; }
	want=$(sed -n 's/^compatible=//p' "$T/system.conf")
	got=$(sed -n "s/^RAUC_MF_COMPATIBLE='\(.*\)'$/\1/p" "$T/v.out")
	[ "$got" = "$want" ] ||
		{ echo "$1: for compatible '$got', this terminal is '$want'"; return 1; }
}
V=verify
$V "$B" || fail "verify refuses the good bundle"

# The signature is the CMS blob before the last 8 bytes (its size).
sigsize=$(od -An -tu8 --endian=big -j $(($(stat -c %s "$B") - 8)) "$B" | tr -d ' ')
size=$(stat -c %s "$B")
echo "== a corrupted signature (its $sigsize bytes end at $((size - 8)))"
cp "$B" "$T/badsig.raucb"
printf '\377\377\377\377\377\377\377\377' | dd of="$T/badsig.raucb" bs=1 \
	seek=$((size - 8 - sigsize / 2)) conv=notrunc status=none
refuse "corrupted signature" "signature|Verify|CMS|asn1|ASN1" \
	rauc info --keyring "$T/pki/ca.pem" "$T/badsig.raucb"
refuse "corrupted signature, verify" "rauc: .*(signature|Verify|CMS|ASN1|asn1)" $V "$T/badsig.raucb"

echo "== no signature: the payload alone"
head -c $((size - 8 - sigsize)) "$B" >"$T/nosig.raucb"
refuse "no signature" "Invalid bundle format: Signature" \
	rauc info --keyring "$T/pki/ca.pem" "$T/nosig.raucb"

echo "== signed by another CA"
rauc_test_bundle "$T/pki/other" 2.0.1 guanai-terminal-x86_64 "$T/other.raucb"
refuse "another CA" "signature verification failed|issuer" \
	rauc info --keyring "$T/pki/ca.pem" "$T/other.raucb"
refuse "another CA, verify" "rauc: .*(signature verification failed|issuer)" $V "$T/other.raucb"

echo "== for another device class"
COMPATIBLE=guanai-terminal-arm64 BUNDLE_OUT=$T/arm.raucb \
	sh -c "sed -i 's/^compatible=.*/compatible=guanai-terminal-arm64/' '$R/etc/rauc/system.conf' && '$REPO/image/bundle.sh'" >/dev/null
sysconf >"$R/etc/rauc/system.conf"
rauc info --keyring "$T/pki/ca.pem" "$T/arm.raucb" >/dev/null 2>&1 ||
	fail "the arm64 bundle should be well signed"
refuse "another device class" "compatible 'guanai-terminal-arm64', this terminal is 'guanai-terminal-x86_64'" \
	$V "$T/arm.raucb"

echo "== truncated"
head -c $((size / 2)) "$B" >"$T/half.raucb"
refuse "truncated" "Invalid bundle format" \
	rauc info --keyring "$T/pki/ca.pem" "$T/half.raucb"
refuse "truncated, verify" "rauc: " $V "$T/half.raucb"
echo "update_bundle: OK"
