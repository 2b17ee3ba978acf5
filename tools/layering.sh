#!/bin/sh
# tools/layering.sh [OBJ [SRC]]: the kiosk's layers, checked by the symbols
# each object file uses (nm), so that no include, macro or transitive
# header can hide a breach.  OBJ is the object tree (build/obj), SRC the
# source tree (.).  make lint runs it; tests/lint_layering.sh plants a
# breach in a copy and expects it to fail.  Lists every breach, exits 1 if
# there is any.
#
#  1. A screen (OBJ/app/screens/*.o) reaches records only through the
#     domain layer: no store_*, mdb_* (LMDB), SDL_*, TTF_* or plat_*.
#  2. Only app/platform/ uses SDL: no other app object references SDL_* or
#     TTF_*.
#  3. The kiosk never uses the sync daemon: no app object references a
#     symbol that a sync/ object defines (nor curl_*, deflate*, inflate*).
#  4. core/ depends on nothing above it: no core object references a
#     symbol an app/ or sync/ object defines; and sync/ none that an app/
#     object defines.
#  5. A screen students may see (a scr_*.c whose row has SCR_F_PUBLIC or
#     SCR_F_STUDENT, and every screen object without a row: the shared
#     helpers, or anything new) may call of the domain and the core only
#     the student-safe functions below: the ones that hand out struct
#     dom_pupil and class, lecture and status figures, never a child's
#     record, summary, file or care rows.  As a struct member cannot be
#     seen by nm, the source of such a screen may also not name the staff
#     flows' state (k->mentor, k->file, k->head, k->note: notes) nor the types
#     that carry sensitive fields (struct child, child_summary, care_row).
set -u
OBJ=${1:-build/obj}
SRC=${2:-.}
st=0

STUDENT_SAFE="domain_classes domain_pupils domain_topics domain_status
domain_sync_status domain_day_of domain_open_lecture domain_lecture_counts
domain_lecture_get domain_lecture_start domain_lecture_end domain_checkin
domain_checkin_void domain_checkin_class domain_staff care_log_student care_log_words
care_log_word_index rec_field_info
domain_lecture_start_note care_log_talk domain_lecture_enter_late"

if [ ! -d "$OBJ/app/screens" ]; then
	echo "  layering: no objects in $OBJ/app/screens (build first)"
	exit 1
fi

# Undefined symbols of an object, one a line.
uses() { nm -P -u "$1" 2>/dev/null | awk '{print $1}'; }
# Global symbols the objects define, one a line.
defines() { nm -P -g --defined-only "$@" 2>/dev/null |
	awk '$2 ~ /[TDRBCVW]/ && $1 != "main" {print $1}' | sort -u; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanai-layering-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

app_objs=$(find "$OBJ/app" -name '*.o' | sort)
defines $(find "$OBJ/sync" -name '*.o' 2>/dev/null) >"$tmp/sync"
defines $app_objs $(find "$OBJ/sync" -name '*.o' 2>/dev/null) >"$tmp/above"
defines $(find "$OBJ/core" -name '*.o') $(find "$OBJ/app/domain" -name '*.o') \
    >"$tmp/below"
printf '%s\n' $STUDENT_SAFE | sort -u >"$tmp/safe"

breach() { # object, symbol, rule
	echo "  $1 references $2: $3"
	st=1
}

for o in $app_objs; do
	uses "$o" >"$tmp/u"
	case $o in
	"$OBJ"/app/screens/*)
		for s in $(grep -E '^(store_|mdb_|SDL_|TTF_|plat_)' "$tmp/u"); do
			breach "$o" "$s" "a screen reaches records through app/domain/ and draws through the toolkit"
		done ;;
	esac
	case $o in
	"$OBJ"/app/platform/*) ;;
	*)
		for s in $(grep -E '^(SDL_|TTF_)' "$tmp/u"); do
			breach "$o" "$s" "only app/platform/ uses SDL"
		done ;;
	esac
	for s in $(grep -E '^(curl_|deflate|inflate)' "$tmp/u"; grep -Fxf "$tmp/sync" "$tmp/u"); do
		breach "$o" "$s" "app/ must not use sync/"
	done
done

for o in $(find "$OBJ/core" -name '*.o' | sort); do
	for s in $(uses "$o" | grep -Fxf "$tmp/above"); do
		breach "$o" "$s" "core/ depends on nothing above it"
	done
done

defines $app_objs >"$tmp/app"
for o in $(find "$OBJ/sync" -name '*.o' 2>/dev/null | sort); do
	for s in $(uses "$o" | grep -Fxf "$tmp/app"); do
		breach "$o" "$s" "sync/ must not use app/"
	done
done

for o in $(find "$OBJ/app/screens" -name '*.o' | sort); do
	c=$SRC/app/screens/$(basename "$o" .o).c
	if [ -f "$c" ] && grep -q 'const struct scr_row' "$c" &&
	    ! grep -qE 'SCR_F_(PUBLIC|STUDENT)' "$c"; then
		continue # staff screens only
	fi
	for s in $(uses "$o" | grep -Fxf "$tmp/below" | grep -vFxf "$tmp/safe"); do
		breach "$o" "$s" "a screen students see may call only the student-safe functions (tools/layering.sh)"
	done
	[ -f "$c" ] || continue
	grep -nE 'k->(mentor|file|head|note)\b|struct child\b|child_summary|care_row' "$c" |
	    while IFS= read -r l; do
		echo "  $c:${l%%:*}: a screen students see names a staff flow's state or a sensitive type: ${l#*:}"
		echo x >>"$tmp/srcbad"
	done
done
[ -s "$tmp/srcbad" ] && st=1

exit $st
