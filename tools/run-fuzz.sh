#!/bin/sh
# make fuzz: runs each libFuzzer target for SECONDS, keeping what it finds
# in build/fuzz-work/NAME (seeded from fuzz/corpus/NAME).
set -eu
secs=$1; shift
for f in "$@"; do
	n=$(basename "$f")
	work=build/fuzz-work/${n#fuzz_}
	mkdir -p "$work"
	echo "== $n for ${secs}s"
	seed=fuzz/corpus/${n#fuzz_}
	[ -d "$seed" ] || seed=""
	"$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    "$work" $seed
done
