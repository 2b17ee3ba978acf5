#!/bin/sh
# Stand-in for build/guanai-sync in images built with
# GUANAI_IMAGE_PLACEHOLDER=1 (developing the boot path before the real
# programs exist).  It accepts the commands the image uses and does nothing.
case "${1:-}" in
init) shift; while [ $# -gt 0 ]; do [ "$1" = --data ] && { : > "$2/data.mdb"; }; shift; done ;;
import-roster|dump|stats) ;;
run) exec sleep infinity ;;
*) echo "guanai-sync (placeholder): unknown command ${1:-}" >&2; exit 2 ;;
esac
