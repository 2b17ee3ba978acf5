#!/bin/sh
# lint_layering.sh: the layering check of make lint (tools/layering.sh)
# really fails.  On a copy of the built objects: the tree as built passes;
# then one breach at a time is planted, compiled from a few lines of C
# with the project's flags, and the check must fail naming the object and
# the symbol: a screen calling the store; a student-visible screen (a new
# screen object, which has no row yet) calling care_rows, which hands out
# categories and guardians; the same inside a copy of scr_student.c, the
# real student screen; a toolkit object calling the sync daemon's code; a
# screen calling SDL; a student screen reading the mentor's child from
# struct kiosk (seen in its source, as no symbol shows a member).
set -u
BUILD=${BUILD:-build}
OBJ=$BUILD/obj
[ -f "$OBJ/app/screens/scr_student.o" ] || { echo "build first"; exit 1; }
command -v nm >/dev/null || { echo "nm missing"; exit 77; }
CC=${CC:-gcc}
[ "$CC" = cc ] && CC=gcc
tmp=$(mktemp -d /tmp/guanai-lintlayer-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
flags="-std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Icore -Iapp -Iapp/platform
-Iapp/ui -Iapp/screens -Iapp/domain -Iapp/ime -Isync -c"

fresh() {
	rm -rf "$tmp/obj" "$tmp/src"
	mkdir -p "$tmp/obj"
	cp -r "$OBJ/core" "$OBJ/app" "$OBJ/sync" "$tmp/obj/"
	mkdir -p "$tmp/src/app"
	cp -r app/screens "$tmp/src/app/screens"
}

# expect_fail what symbol: the check fails and names symbol.
expect_fail() {
	if tools/layering.sh "$tmp/obj" "$tmp/src" >"$tmp/out" 2>&1; then
		echo "FAIL: $1 passed the layering check"
		fail=1
	elif ! grep -q "$2" "$tmp/out"; then
		echo "FAIL: $1: the check did not name $2:"
		cat "$tmp/out"
		fail=1
	else
		echo "ok: $1: $(grep "$2" "$tmp/out" | head -n 1)"
	fi
}

fresh
if ! tools/layering.sh "$tmp/obj" "$tmp/src" >"$tmp/out" 2>&1; then
	echo "FAIL: the tree as built breaks the layering:"
	cat "$tmp/out"
	fail=1
fi

# 1. A screen that reads a record from the store itself.
cat >"$tmp/plant.c" <<'EOF'
#include "store.h"
int scr_plant(struct store *s, struct record *r);
int scr_plant(struct store *s, struct record *r) { return store_get(s, 1, r); }
EOF
fresh
$CC $flags -o "$tmp/obj/app/screens/scr_plant.o" "$tmp/plant.c" || exit 1
expect_fail "a screen calling store_get" "references store_get"

# 2. A new screen object (no row yet: student-visible until it says
# otherwise) that asks for the care rows: categories, guardians.
cat >"$tmp/plant.c" <<'EOF'
#include "care.h"
int scr_plant(struct store *s, struct care_row *out);
int
scr_plant(struct store *s, struct care_row *out)
{
	struct care_policy p;
	size_t n;

	care_policy_default(&p);
	return care_rows(s, &p, 0, NULL, out, 1, &n);
}
EOF
fresh
$CC $flags -o "$tmp/obj/app/screens/scr_plant.o" "$tmp/plant.c" || exit 1
expect_fail "a student-visible screen calling care_rows" \
    "references care_rows"

# 3. The real student screen, given one more function that reads a
# child's summary.
fresh
cp app/screens/scr_student.c "$tmp/src/app/screens/scr_student.c"
cat >>"$tmp/src/app/screens/scr_student.c" <<'EOF'
int scr_stu_peek(struct kiosk *k, struct child_summary *out);
int
scr_stu_peek(struct kiosk *k, struct child_summary *out)
{
	return care_child_summary(k->dom.store, &k->ses, k->stu.who.id, out);
}
EOF
$CC $flags -o "$tmp/obj/app/screens/scr_student.o" \
    "$tmp/src/app/screens/scr_student.c" || exit 1
expect_fail "scr_student.c reading a child's summary" \
    "references care_child_summary"

# 4. The toolkit calling into the sync daemon (any symbol sync/ defines).
sym=$(nm -P -g --defined-only "$OBJ"/sync/*.o | awk '$2 == "T" && $1 != "main" {print $1; exit}')
cat >"$tmp/plant.c" <<EOF
void $sym(void);
void ui_plant(void);
void ui_plant(void) { $sym(); }
EOF
fresh
$CC $flags -o "$tmp/obj/app/ui/ui_plant.o" "$tmp/plant.c" || exit 1
expect_fail "app/ui calling sync's $sym" "references $sym"

# 5. A screen calling SDL.
cat >"$tmp/plant.c" <<'EOF'
int SDL_Init(unsigned flags);
int scr_plant(void);
int scr_plant(void) { return SDL_Init(0); }
EOF
fresh
$CC $flags -o "$tmp/obj/app/screens/scr_plant.o" "$tmp/plant.c" || exit 1
expect_fail "a screen calling SDL_Init" "references SDL_Init"

# 6. A student screen reading the mentor flow's child (guardian phone
# included) straight from struct kiosk: no symbol shows it, the source
# does.
fresh
cp app/screens/scr_student.c "$tmp/src/app/screens/scr_student.c"
cat >>"$tmp/src/app/screens/scr_student.c" <<'EOF'
const char *scr_stu_phone(struct kiosk *k);
const char *
scr_stu_phone(struct kiosk *k)
{
	return k->mentor.child.guardian_phone;
}
EOF
expect_fail "scr_student.c reading k->mentor.child" \
    "scr_student.c:[0-9]*: a screen students see"

exit $fail
