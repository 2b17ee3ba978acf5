#!/bin/sh
# make lint: the written style, checked.  Fails on the first kind of
# problem found, after listing every instance of it.
#  1. clang-format (.clang-format, KNF flavour) on every C file;
#  2. cppcheck;
#  3. banned functions;
#  4. layering: each outside library is included by the one module that
#     owns it, and the layers depend downward only.
set -u
st=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find core app sync tests bench fuzz -name '*.[ch]')

echo "lint: clang-format"
bad=""
for f in $files; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
	echo "  not formatted (run make format):$bad"
	st=1
fi

echo "lint: cppcheck"
if ! cppcheck -q --error-exitcode=1 --std=c11 --enable=warning,portability \
    --inline-suppr --suppress=missingIncludeSystem --suppress=ctuuninitvar \
    -D__GNUC__ -Icore -Iapp -Iapp/platform -Iapp/ui -Iapp/screens -Iapp/domain -Isync core app sync 2>&1; then
	st=1
fi

echo "lint: banned functions"
# Each has a bounded or checked replacement: snprintf, memcpy with a
# length check, strtol with an end pointer, a seeded generator.
if grep -nE '(^|[^a-z_])(sprintf|vsprintf|strcpy|strcat|atoi|atol|atoll|gets|strtok|rand|srand)[[:space:]]*\(' \
    $files; then
	echo "  banned function used (see tools/lint.sh)"
	st=1
fi

echo "lint: layering"
check_inc() { # pattern, allowed-path-regex, what
	hits=$(grep -lE "#include[[:space:]]*<$1" $files | grep -vE "$2" || true)
	if [ -n "$hits" ]; then
		echo "  <$1> may only be included by $3:" $hits
		st=1
	fi
}
check_inc 'SDL' '^(app/platform/[^/]*\.c|image/[^/]*\.c|tests/test_ui[^/]*\.c|bench/)' 'app/platform/ (and the image'\''s own helpers)'
check_inc 'lmdb\.h' '^core/store[^/]*\.[ch]$' 'core/store*.c'
check_inc 'curl/' '^sync/http[^/]*\.c$' 'sync/http*.c'
check_inc 'zlib\.h' '^sync/pack[^/]*\.c$' 'sync/pack*.c'
check_inc 'openssl/' '^sync/sha256\.c$' 'sync/sha256.c'
check_inc 'xlsxwriter' '^sync/xlsx\.c$' 'sync/xlsx.c'
check_inc '(cairo|pango|fontconfig)' '^sync/pdf\.c$' 'sync/pdf.c'
check_inc 'sodium\.h' '^(core/(pin|store)\.c|sync/[^/]*\.c|tests/[^/]*\.c)$' 'core/pin.c, core/store.c and sync/'
for f in $(ls app/*.[ch] app/*/*.[ch] 2>/dev/null); do
	for h in $(ls sync/*.h 2>/dev/null); do
		if grep -q "#include \"$(basename "$h")\"" "$f"; then
			echo "  $f includes $h: app/ must not use sync/"
			st=1
		fi
	done
done
for f in $(ls sync/*.[ch] 2>/dev/null); do
	for h in $(ls app/*.h app/*/*.h 2>/dev/null); do
		if grep -q "#include \"$(basename "$h")\"" "$f"; then
			echo "  $f includes $h: sync/ must not use app/"
			st=1
		fi
	done
done
for f in $(ls core/*.[ch] 2>/dev/null); do
	for h in $(ls app/*.h app/*/*.h sync/*.h 2>/dev/null); do
		if grep -q "#include \"$(basename "$h")\"" "$f"; then
			echo "  $f includes $h: core/ depends on nothing above it"
			st=1
		fi
	done
done
for f in $(ls app/screens/scr_*.c 2>/dev/null); do
	if grep -qE '#include "(store|store_int)\.h"' "$f"; then
		echo "  $f: a screen talks to the domain layer, not the store"
		st=1
	fi
done

[ $st -eq 0 ] && echo "lint: clean"
exit $st
