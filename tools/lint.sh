#!/bin/sh
# make lint: the written style, checked.  Fails on the first kind of
# problem found, after listing every instance of it.
#  1. clang-format (.clang-format, KNF flavour) on every C file;
#  2. cppcheck;
#  3. banned functions;
#  4. layering: each outside library is included by the one module that
#     owns it, and the layers depend downward only, checked by symbols in
#     the objects of $BUILD (tools/layering.sh; make lint builds them).
set -u
st=0
BUILD=${BUILD:-build}
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
    -D__GNUC__ -Icore -Iapp -Iapp/platform -Iapp/ui -Iapp/screens -Iapp/domain -Iapp/ime -Isync -Idistrict core app sync district 2>&1; then
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
check_inc 'zinnia' '^app/ime/hw\.c$' 'app/ime/hw.c'
check_inc 'pinyinime' '^app/ime/gpy\.cc$' 'app/ime/gpy.cc'
check_inc 'lmdb\.h' '^core/store[^/]*\.[ch]$' 'core/store*.c'
check_inc 'curl/' '^sync/http[^/]*\.c$' 'sync/http*.c'
check_inc 'zlib\.h' '^sync/pack[^/]*\.c$' 'sync/pack*.c'
check_inc 'openssl/' '^sync/sha256\.c$' 'sync/sha256.c'
check_inc 'xlsxwriter' '^sync/xlsx\.c$' 'sync/xlsx.c'
check_inc '(cairo|pango|fontconfig)' '^sync/pdf\.c$' 'sync/pdf.c'
check_inc 'libpq-fe\.h' '^district/db\.c$' 'district/db.c'
check_inc 'sodium\.h' '^(core/(pin|store)\.c|sync/[^/]*\.c|tests/[^/]*\.c)$' 'core/pin.c, core/store.c and sync/'
# The layers themselves, by the symbols each object uses (nm): a screen
# never reaches the store, SDL or the platform; only app/platform/ uses
# SDL; app/ and sync/ never use each other; core/ nothing above it; a
# screen students see calls only the student-safe domain functions.
echo "lint: layering by symbols ($BUILD/obj)"
tools/layering.sh "$BUILD/obj" . || st=1

[ $st -eq 0 ] && echo "lint: clean"
exit $st
