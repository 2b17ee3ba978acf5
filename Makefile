# Guanai: one Makefile for the kiosk, the sync daemon, the shared core,
# the tests, the benchmarks, the fuzzers and the appliance image.
#
# Layout (see README.md):
#   core/   the library both programs link: status codes, records, store,
#           roster import, JSON, logging      -> build/libguanai.a
#   app/    guanai-kiosk in layers: app/platform/ (the only SDL), app/ui/
#           (toolkit), app/screens/, app/domain/; app/main.c holds main(),
#           everything else goes into
#           build/libkiosk.a so the UI tests can drive it
#   sync/   guanai-sync (sync/main.c), guanai-demo (sync/demo_main.c) and
#           guanai-ledger (sync/ledger_main.c, behind `guanai-sync ledger`
#           and `file`); the rest goes into build/libsync.a
#   tests/  test_*.c: one cmocka executable per module; *.sh: tests that
#           drive the real programs (Xvfb, nginx, namespaces)
#   fuzz/   fuzz_*.c: libFuzzer targets, built with clang
#   bench/  bench_*.c and bench.sh: make bench
#   tests/tools/  helper programs the shell tests use (fault proxy, ...)
#
# The quick start is `make run` and `make check`; both first run
# tools/deps.sh, which installs missing Debian packages and does nothing when
# everything is there.  SAN=1 builds with ASan and UBSan into build/san/.

CC ?= cc
# V=1 shows the whole command lines.
Q := $(if $(V),,@)
ifeq ($(CC),cc)
CC := gcc
endif

ifeq ($(SAN),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
OPT := -O1 -g
else
BUILD := build
SANFLAGS :=
OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
endif

# Evaluated lazily, so tools/deps.sh can install the .pc files first.
PKG_CORE = lmdb libsodium
PKG_APP = sdl2 SDL2_ttf libdrm libinput libudev
PKG_SYNC = libcurl zlib libcrypto
# The ledgers (.xlsx) and the child's file (PDF): guanai-sync only.
PKG_LEDGER = xlsxwriter cairo pangocairo pangoft2 fontconfig
PKGS = $(PKG_CORE) $(PKG_APP) $(PKG_SYNC) $(PKG_LEDGER)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Each program links only what it uses: the daemon's memory target leaves
# no room for SDL, and the kiosk never speaks HTTP.
LIBS_KIOSK = $(shell pkg-config --libs $(PKG_CORE) $(PKG_APP) 2>/dev/null) -lm
LIBS_SYNC = $(shell pkg-config --libs $(PKG_CORE) $(PKG_SYNC) 2>/dev/null) -lm
# The input method's engines (app/ime/): linked only into the programs
# that use it (hw-classify, test_ime, the ime bench); a program that does
# not reference app/ime/ pulls none of its objects out of libkiosk.a.
PKG_IME = zinnia googlepinyin
LIBS_IME = $(shell pkg-config --libs $(PKG_IME) 2>/dev/null) -lstdc++
IME_USERS := $(BUILD)/tools/hw-classify $(BUILD)/tests/test_ime \
	$(BUILD)/tests/test_ui_ime \
	$(BUILD)/bench/bench_ime
$(IME_USERS): LDLIBS += $(LIBS_IME)
# The kiosk's note screen (scr_note.c) holds the input method, so the kiosk
# and everything linking its screens take the engines too; their models
# still load only at a note's first stroke or letter.
LIBS_KIOSK += $(LIBS_IME)
$(BUILD)/tests/% $(BUILD)/bench/%: LDLIBS += $(LIBS_IME)
# guanai-ledger (behind `guanai-sync ledger` and `file`) alone maps the
# ledger libraries, so the daemon's memory stays as it was.
LIBS_LEDGER = $(shell pkg-config --libs $(PKG_CORE) $(PKG_SYNC) $(PKG_LEDGER) \
	2>/dev/null) -lm

WARN := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wimplicit-fallthrough \
	-Wno-format-nonliteral
APP_DIRS := app app/platform app/ui app/screens app/domain app/ime
CPPFLAGS += -D_DEFAULT_SOURCE -D_GNU_SOURCE -Icore $(APP_DIRS:%=-I%) -Isync \
	-Idistrict
CFLAGS += -std=c17 $(OPT) $(WARN) $(SANFLAGS)
LDFLAGS += $(SANFLAGS) $(if $(SAN),,-pie -Wl,-z,relro,-z,now)
LDLIBS += $(PKG_LIBS) -lm

CORE_SRC := $(wildcard core/*.c)
APP_SRC := $(filter-out app/main.c,$(wildcard $(APP_DIRS:%=%/*.c)))
# The one C++ file: libgooglepinyin's API is C++ (app/ime/gpy.cc).
APP_CXX_SRC := $(wildcard app/ime/*.cc)
SYNC_SRC := $(filter-out sync/main.c sync/demo_main.c sync/ledger_main.c,\
	$(wildcard sync/*.c))
TEST_SRC := $(wildcard tests/test_*.c)
BENCH_SRC := $(wildcard bench/bench_*.c)
# ime_freq generates app/ime/hw_freq.c from libpinyin-data by hand, once
# (see that file); it is built on request only: make build/tools/ime_freq.
TOOL_SRC := $(filter-out tests/tools/ime_freq.c,$(wildcard tests/tools/*.c))
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
APP_OBJ := $(APP_SRC:%.c=$(BUILD)/obj/%.o) $(APP_CXX_SRC:%.cc=$(BUILD)/obj/%.o)
SYNC_OBJ := $(SYNC_SRC:%.c=$(BUILD)/obj/%.o)
TESTS := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TOOLS := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
LIBS := $(BUILD)/libkiosk.a $(BUILD)/libsync.a $(BUILD)/libguanai.a
PROGS := $(BUILD)/guanai-kiosk $(BUILD)/guanai-sync $(BUILD)/guanai-demo \
	$(BUILD)/guanai-ledger
# guanai-district (district/): the district's receiver, with libpq, and the
# ledgers' libraries for its inspection pack (.xlsx, sync/xlsx.c).
DISTRICT_SRC := $(wildcard district/*.c)
DISTRICT_OBJ := $(DISTRICT_SRC:%.c=$(BUILD)/obj/%.o)
# expat parses a WebDAV source's PROPFIND answer (district/propfind.c).
LIBS_DISTRICT = $(LIBS_LEDGER) $(shell pkg-config --libs libpq expat 2>/dev/null)
$(DISTRICT_OBJ): PKG_CFLAGS += $(shell pkg-config --cflags libpq expat \
	2>/dev/null)
PROGS += $(BUILD)/guanai-district

.PHONY: all deps run check _check bench _bench lint fuzz fuzz-build \
	screenshots image bundle image-check image-check-full clean format
all: $(PROGS)

deps:
	@tools/deps.sh build

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

CXXFLAGS_IME = -std=c++17 $(OPT) -Wall -Wextra -Werror $(SANFLAGS) \
	$(shell pkg-config --cflags googlepinyin 2>/dev/null)
$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	$(Q)$(CXX) $(CPPFLAGS) $(CXXFLAGS_IME) -MMD -MP -c -o $@ $<

$(BUILD)/libguanai.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libkiosk.a: $(APP_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libsync.a: $(SYNC_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/guanai-kiosk: $(BUILD)/obj/app/main.o $(BUILD)/libkiosk.a \
		$(BUILD)/libguanai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_KIOSK)
$(BUILD)/guanai-sync: $(BUILD)/obj/sync/main.o $(BUILD)/libsync.a \
		$(BUILD)/libguanai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_SYNC)
$(BUILD)/guanai-demo: $(BUILD)/obj/sync/demo_main.o $(BUILD)/libsync.a \
		$(BUILD)/libguanai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_SYNC)
$(BUILD)/guanai-district: $(DISTRICT_OBJ) $(BUILD)/libsync.a \
		$(BUILD)/libguanai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_DISTRICT)
$(BUILD)/guanai-ledger: $(BUILD)/obj/sync/ledger_main.o $(BUILD)/libsync.a \
		$(BUILD)/libguanai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_LEDGER)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS) -lcmocka
$(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)
$(BUILD)/tools/ime_freq: tests/tools/ime_freq.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -D_GNU_SOURCE $(shell pkg-config --cflags \
		libpinyin) -o $@ $< $(shell pkg-config --libs libpinyin)
# ime_pyeval measures the three pinyin engines docs/ime.md compares.
$(BUILD)/tools/ime_pyeval: tests/tools/ime_pyeval.cc
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(shell pkg-config --cflags libpinyin rime \
		googlepinyin) -o $@ $< $(shell pkg-config --libs libpinyin \
		rime googlepinyin)
$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)
# bench/kiosk.sh's outside observer of the X root window: the only Xlib.
$(BUILD)/bench/bench_xwait: LDLIBS += -lXext -lX11

# The product on the demo school: make the demo store once, then open the
# kiosk on it (fullscreen unless WINDOW=WxH is given).
DEMO := var/demo
run:
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@tools/run-demo.sh $(BUILD) $(DEMO)

check:
	@tools/deps.sh check
	@$(MAKE) --no-print-directory _check
_check: all $(TESTS) $(BENCHES) $(TOOLS) fuzz-build
	@BUILD=$(BUILD) SAN=$(SAN) tools/run-tests.sh $(TESTS)

bench:
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory _bench
_bench: all $(BENCHES) $(TOOLS)
	@BUILD=$(BUILD) bench/bench.sh

# The layering check reads the objects' symbols (nm): built first.
lint:
	@tools/deps.sh lint
	@$(MAKE) --no-print-directory $(CORE_OBJ) $(APP_OBJ) $(SYNC_OBJ) \
		$(BUILD)/obj/app/main.o $(BUILD)/obj/sync/main.o \
		$(BUILD)/obj/sync/demo_main.o
	@BUILD=$(BUILD) tools/lint.sh

format:
	clang-format -i $(wildcard core/*.[ch] $(APP_DIRS:%=%/*.[ch]) sync/*.[ch] \
		tests/*.[ch] bench/*.[ch] fuzz/*.[ch])

# libFuzzer targets: clang, ASan, the core and sync sources compiled again
# with coverage.  FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined \
	-D_DEFAULT_SOURCE -D_GNU_SOURCE -Icore -Isync $(APP_DIRS:%=-I%)
FUZZ_BINS := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
build/fuzz/%: fuzz/%.c $(CORE_SRC) $(SYNC_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(CORE_SRC) $(SYNC_SRC) \
		$(PKG_LIBS) -lm
# The input method's target also needs app/ime and its engines; its one
# C++ file is compiled by clang++ first.
IME_FUZZ_SRC := $(filter-out app/ime/ime_ui.c,$(wildcard app/ime/*.c))
build/fuzz/gpy.o: app/ime/gpy.cc
	@mkdir -p $(dir $@)
	clang++ -std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		-Iapp/ime $(shell pkg-config --cflags googlepinyin) -c -o $@ $<
build/fuzz/fuzz_ime: fuzz/fuzz_ime.c $(CORE_SRC) $(IME_FUZZ_SRC) \
		build/fuzz/gpy.o
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(CORE_SRC) \
		$(IME_FUZZ_SRC) build/fuzz/gpy.o $(PKG_LIBS) $(LIBS_IME) -lm
# The kiosk's reader of guanai-sync's progress lines: pure, on its own.
# The PROPFIND parser is the district's (district/propfind.c, expat).
build/fuzz/fuzz_propfind: fuzz/fuzz_propfind.c district/propfind.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -Idistrict -o $@ $< district/propfind.c \
		$(shell pkg-config --libs expat 2>/dev/null)
build/fuzz/fuzz_progress: fuzz/fuzz_progress.c app/domain/export_line.c \
		core/buf.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< app/domain/export_line.c core/buf.c
fuzz-build: $(FUZZ_BINS)
fuzz:
	@tools/deps.sh check
	@$(MAKE) --no-print-directory fuzz-build
	@tools/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

screenshots:
	@tools/deps.sh check
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tools/screenshots.sh

# RAUC_KEYRING is the CA certificate the image's updates must be signed
# under.  Without it, a throwaway test CA is made (once) in build/rauc-test-ca
# by tests/lib/rauc.sh: good for make image-check, never for a school.
image:
	@tools/deps.sh image
	@$(MAKE) --no-print-directory all
	@if [ -z "$${RAUC_KEYRING:-}" ]; then \
		RAUC_KEYRING=build/rauc-test-ca/ca.pem; \
		echo "make image: RAUC_KEYRING is unset: the image trusts the test CA $$RAUC_KEYRING (not for schools)"; \
		[ -f "$$RAUC_KEYRING" ] || { . tests/lib/rauc.sh && rauc_test_ca build/rauc-test-ca; } || exit 1; \
	fi; \
	RAUC_KEYRING=$$RAUC_KEYRING image/build.sh

bundle:
	@tools/deps.sh image
	@image/bundle.sh

image-check:
	@tools/deps.sh image
	@$(MAKE) --no-print-directory image
	@image/check.sh

# image-check and then the A/B updates on the image (docs/image.md, "make
# image-check-full"): about an hour under TCG, so not in .ci/run.
image-check-full:
	@tools/deps.sh image
	@$(MAKE) --no-print-directory image
	@image/check.sh full

clean:
	rm -rf build

-include $(shell find build -path '*/obj/*' -name '*.d' -type f 2>/dev/null)

# Keep the objects of tests and tools between runs.
.SECONDARY:
