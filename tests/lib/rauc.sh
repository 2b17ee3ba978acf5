# tests/lib/rauc.sh: signed RAUC bundles for tests (sourced; POSIX sh).
#
# Interface (kept stable: the kiosk's update-screen tests use it too):
#
#   rauc_test_ca DIR
#       Makes a throwaway PKI under DIR (created if missing):
#         DIR/ca.pem, DIR/ca.key        the test CA (the device's keyring)
#         DIR/signing.pem, .key         a signing certificate issued by it
#         DIR/other/ca.pem, .key        a second CA, unrelated to the first
#         DIR/other/signing.pem, .key   a signing certificate issued by that
#       A bundle signed with DIR/other/signing.* is refused by
#       `rauc info --keyring DIR/ca.pem` ("another key").
#
#   rauc_test_bundle CA_DIR VERSION COMPATIBLE OUT [DESCRIPTION]
#       Writes the signed bundle OUT (a .raucb path) with a manifest of
#       compatible=COMPATIBLE, version=VERSION, description=DESCRIPTION
#       (default "test bundle VERSION"), format=verity, and one image for
#       slot class rootfs: a small squashfs holding
#       usr/share/guanai/version (= VERSION) and 8 KiB of random padding.  Signed by
#       CA_DIR/signing.pem and CA_DIR/signing.key; pass DIR/other as
#       CA_DIR for a bundle signed by the other CA.
#
# Both return non-zero, with a message on stderr naming the step, when a
# tool fails.  Needs openssl, mksquashfs (squashfs-tools) and rauc; a test
# that sources this file calls rauc_test_need first, which exits 77 when
# one is missing.

rauc_test_need() {
	for _t in openssl mksquashfs rauc; do
		command -v $_t >/dev/null 2>&1 || { echo "SKIP: no $_t"; exit 77; }
	done
}

# _rauc_test_pki DIR CN: a CA and a code-signing certificate under DIR.
_rauc_test_pki() {
	mkdir -p "$1" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$1/ca.key" -out "$1/ca.pem" -days 30 \
		-subj "/O=Guanai test/CN=$2 CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$1/openssl.err" ||
		{ echo "rauc_test_ca: $1: making the CA failed:" >&2; cat "$1/openssl.err" >&2; return 1; }
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$1/signing.key" -out "$1/signing.csr" \
		-subj "/O=Guanai test/CN=$2 signing" 2>"$1/openssl.err" ||
		{ echo "rauc_test_ca: $1: making the signing key failed:" >&2; cat "$1/openssl.err" >&2; return 1; }
	# No extendedKeyUsage: rauc 1.8 checks the S/MIME signing purpose
	# unless system.conf says check-purpose, and codeSigning alone fails it.
	printf '%s\n' "basicConstraints=CA:FALSE" \
		"keyUsage=critical,digitalSignature" >"$1/signing.ext"
	openssl x509 -req -in "$1/signing.csr" -CA "$1/ca.pem" \
		-CAkey "$1/ca.key" -CAcreateserial -days 30 \
		-extfile "$1/signing.ext" -out "$1/signing.pem" 2>"$1/openssl.err" ||
		{ echo "rauc_test_ca: $1: signing the certificate failed:" >&2; cat "$1/openssl.err" >&2; return 1; }
	rm -f "$1/signing.csr" "$1/signing.ext" "$1/openssl.err"
}

rauc_test_ca() {
	[ $# -eq 1 ] || { echo "usage: rauc_test_ca DIR" >&2; return 2; }
	_rauc_test_pki "$1" "Guanai test" &&
		_rauc_test_pki "$1/other" "Unrelated"
}

rauc_test_bundle() {
	[ $# -ge 4 ] || {
		echo "usage: rauc_test_bundle CA_DIR VERSION COMPATIBLE OUT [DESCRIPTION]" >&2
		return 2
	}
	_ca=$1 _ver=$2 _compat=$3 _out=$4 _desc=${5:-test bundle $2}
	for _f in "$_ca/signing.pem" "$_ca/signing.key"; do
		[ -r "$_f" ] || { echo "rauc_test_bundle: $_f: not readable (rauc_test_ca first)" >&2; return 1; }
	done
	_w=$(mktemp -d "${TMPDIR:-/tmp}/gu-rauc-bundle.XXXXXX") || return 1
	mkdir -p "$_w/root/usr/share/guanai" "$_w/in"
	printf '%s\n' "$_ver" >"$_w/root/usr/share/guanai/version"
	# rauc wants a verity bundle larger than one 4 KiB block: 8 KiB that
	# do not compress.
	head -c 8192 /dev/urandom >"$_w/root/usr/share/guanai/padding"
	mksquashfs "$_w/root" "$_w/in/rootfs.img" -all-root -noappend -quiet \
		>"$_w/log" 2>&1 ||
		{ echo "rauc_test_bundle: mksquashfs failed:" >&2; cat "$_w/log" >&2; rm -rf "$_w"; return 1; }
	cat >"$_w/in/manifest.raucm" <<EOM
[update]
compatible=$_compat
version=$_ver
description=$_desc

[bundle]
format=verity

[image.rootfs]
filename=rootfs.img
EOM
	rm -f "$_out"
	rauc bundle --cert="$_ca/signing.pem" --key="$_ca/signing.key" \
		"$_w/in" "$_out" >"$_w/log" 2>&1 ||
		{ echo "rauc_test_bundle: rauc bundle failed:" >&2; cat "$_w/log" >&2; rm -rf "$_w"; return 1; }
	rm -rf "$_w"
}
