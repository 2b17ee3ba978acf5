#!/bin/sh
# image/version.sh: prints the version of the system being built, the one
# line image/build.sh writes to /usr/share/guanai/version and
# image/bundle.sh puts in the bundle's manifest (docs/image.md, "Updates").
#
# $VERSION if set; else `git describe --tags --match 'v[0-9]*'` without
# its v; else 0.N-gHASH, N the number of commits: it grows along the main
# line, so glibc's strverscmp (what guanai-sync compares with) orders it.
set -eu
cd "$(dirname "$0")/.."
if [ -n "${VERSION:-}" ]; then
	v=$VERSION
elif d=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
	v=${d#v}
elif n=$(git rev-list --count HEAD 2>/dev/null); then
	v="0.$n-g$(git rev-parse --short=8 HEAD)"
else
	echo "image/version.sh: no VERSION and no git history" >&2
	exit 1
fi
case "$v" in
*[!0-9A-Za-z.+~-]* | "")
	echo "image/version.sh: version '$v': only 0-9 A-Z a-z . + ~ - (at most 64)" >&2
	exit 1 ;;
esac
[ ${#v} -le 64 ] || { echo "image/version.sh: version '$v' longer than 64" >&2; exit 1; }
printf '%s\n' "$v"
