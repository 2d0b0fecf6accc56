# bbkit: curate busybox applets and cross-build busybox with clang/lld.
#   make          build the profile for every platform in PLATFORMS
#   make test     install what tests need, run every test
# Variables: see README.md.
# SPDX-License-Identifier: GPL-2.0-only

PROFILE ?= debug-shell
ifdef LIST
override PROFILE := $(basename $(notdir $(LIST)))
else
LIST := applet-lists/$(PROFILE).list
endif
PLATFORMS ?= linux/amd64 linux/arm64 linux/arm/v7
BUSYBOX_VERSION ?= 1.38.0
BUSYBOX_TARBALL ?=
LAYOUT ?= canonical
FEATURES ?= minimal
OUT ?= out
CACHE ?= $(CURDIR)/.cache
B ?= $(CURDIR)/_build
SOURCE_DATE_EPOCH ?= 946684800
SUID ?= 0
export SOURCE_DATE_EPOCH
export KCONFIG_NOTIMESTAMP := 1
export BBKIT_CACHE := $(CACHE)

BBV := $(BUSYBOX_VERSION)
Q := $(if $(QUIET),-q)
SRCTREE := $(CACHE)/src/busybox-$(BBV)
BBKIT := $(B)/bbkit
# what the musl toolchain requires of every config (see the file)
TOOLCHAIN_LIST := applet-lists/toolchain/musl.list
RESOLVER := $(B)/bbkit-$(BBV)

CC := gcc
WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS ?= -O2 -g
LIBS := $(shell pkg-config --libs libarchive libcrypto libelf 2>/dev/null || echo -larchive -lcrypto -lelf)
TK_LIB := $(wildcard toolkit/lib/*.c)
TK_CMDS := $(filter-out toolkit/resolve.c toolkit/resolve_exec.c,$(wildcard toolkit/*.c))
TK_HDRS := $(wildcard toolkit/*.h toolkit/lib/*.h)

.PHONY: check-upstream check-defconfig fuzz repro lock check-lock resolver test all setup setup-test test clean distclean fetch prepare help
.DEFAULT_GOAL := all

# resolve every platform before building any, so a bad list stops early
# then build every platform at once: busybox's makes share one jobserver of
# JOBS slots, so one platform's serial phases (host tools, links) overlap
# with another's compiles
JOBS ?= $(shell nproc)
all: setup resolve
	@$(MAKE) --no-print-directory -j$(JOBS) outputs

resolver: $(RESOLVER)

setup:
	@sh scripts/host-setup.sh build $(PLATFORMS)

setup-test:
	@sh scripts/host-setup.sh test

# --- the bbkit program ------------------------------------------------------
# Every compiled file goes to a per-process temp name and is renamed into
# place, so two makes sharing this checkout (other profiles) never see a
# half-written binary or object.
$(BBKIT): $(TK_CMDS) toolkit/resolve_exec.c $(TK_LIB) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(CC) $(WARN) $(CFLAGS) -o $@.tmp.$$$$ $(TK_CMDS) toolkit/resolve_exec.c $(TK_LIB) $(LIBS) && \
		mv $@.tmp.$$$$ $@

# The resolver is compiled together with the busybox tree's own kconfig
# engine (zconf.tab.c includes confdata.c, symbol.c, expr.c, menu.c).
KCONF := $(B)/kconfig-$(BBV)
$(RESOLVER): $(TK_CMDS) toolkit/resolve.c $(TK_LIB) $(TK_HDRS) $(SRCTREE)/Makefile | setup
	@set -e; t=$(KCONF).tmp.$$$$; rm -rf $$t; mkdir -p $$t $(KCONF); \
	for f in zconf.tab.c lex.zconf.c zconf.hash.c; do cp $(SRCTREE)/scripts/kconfig/$$f"_shipped" $$t/$$f; done; \
	$(CC) -O2 -g -w -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -include toolkit/kconf_io.h \
		-I$(SRCTREE)/scripts/kconfig -c -o $$t/zconf.tab.o $$t/zconf.tab.c; \
	$(CC) $(WARN) $(CFLAGS) -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -DBBKIT_KCONFIG_VERSION='"$(BBV)"' \
		-isystem $(SRCTREE)/scripts/kconfig -o $$t/bbkit $(TK_CMDS) toolkit/resolve.c $(TK_LIB) \
		$$t/zconf.tab.o $(LIBS); \
	mv $$t/zconf.tab.o $(KCONF)/zconf.tab.o; mv $$t/bbkit $@; rm -rf $$t

# --- busybox source ---------------------------------------------------------
$(SRCTREE)/Makefile: | $(BBKIT)
	@$(BBKIT) fetch $(Q) --version $(BBV) $(if $(BUSYBOX_TARBALL),--tarball $(BUSYBOX_TARBALL)) >/dev/null

fetch: $(SRCTREE)/Makefile

# --- per platform -----------------------------------------------------------
slug = $(subst /,-,$(1))
bd = $(B)/bb/$(BBV)/$(PROFILE)/$(call slug,$(1))
od = $(OUT)/$(PROFILE)/$(call slug,$(1))
OUTPUTS := busybox busybox.config busybox.links manifest.json rootfs.tar size.txt size.json

# One set of rules per platform. The resolved .config is rewritten only when
# its content changes, so kbuild and the rules below rebuild only then.
define platform_rules
$(call bd,$(1))/.config.allnoconfig: $(SRCTREE)/Makefile | $(BBKIT)
	@$(BBKIT) prepare $(Q) $(1) --src $(SRCTREE) --builddir $(call bd,$(1)) \
		--shared $(B)/bb/$(BBV)/_allnoconfig

$(call bd,$(1))/.config: $(call bd,$(1))/.config.allnoconfig $(TOOLCHAIN_LIST) $(LIST) $(RESOLVER)
	@$(RESOLVER) resolve $(Q) --src $(SRCTREE) --builddir $(call bd,$(1)) \
		--features $(FEATURES) --depfile $(call bd,$(1))/.config.d $(TOOLCHAIN_LIST) $(LIST)

-include $(call bd,$(1))/.config.d

$(call bd,$(1))/.vars: FORCE
	@mkdir -p $$(@D)
	@echo "layout=$(LAYOUT) suid=$(SUID)" | cmp -s - $$@ || echo "layout=$(LAYOUT) suid=$(SUID)" > $$@

$(call od,$(1))/busybox: $(call bd,$(1))/.config | $(BBKIT)
	@mkdir -p $$(@D)
	+@$(BBKIT) build $(Q) $(1) --src $(SRCTREE) --builddir $(call bd,$(1)) --out $$@

$(call od,$(1))/busybox.config: $(call od,$(1))/busybox
	@cp $(call bd,$(1))/.config $$@.tmp.$$$$$$$$ && mv $$@.tmp.$$$$$$$$ $$@

$(call od,$(1))/busybox.links: $(call bd,$(1))/.config $(call bd,$(1))/.vars | $(BBKIT)
	@$(BBKIT) manifest -q --builddir $(call bd,$(1)) --layout $(LAYOUT) --format links --out $$@

$(call od,$(1))/manifest.json: $(call bd,$(1))/.config $(call bd,$(1))/.vars | $(BBKIT)
	@$(BBKIT) manifest $(Q) --builddir $(call bd,$(1)) --platform $(1) --layout $(LAYOUT) \
		--format json --out $$@

$(call od,$(1))/rootfs.tar: $(call od,$(1))/busybox $(call bd,$(1))/.vars | $(BBKIT)
	@$(BBKIT) rootfs $(Q) --builddir $(call bd,$(1)) --binary $(call od,$(1))/busybox \
		--layout $(LAYOUT) $(if $(filter 1,$(SUID)),--suid) --out $$@

# per-applet size from the link map; a 'budget' in the list is enforced here
$(call od,$(1))/size.txt: $(call od,$(1))/busybox | $(BBKIT)
	@$(BBKIT) size $(Q) --builddir $(call bd,$(1)) --txt $$@ --json $(call od,$(1))/size.json \
		--list $(TOOLCHAIN_LIST) --list $(LIST)
$(call od,$(1))/size.json: $(call od,$(1))/size.txt

prepare: $(call bd,$(1))/.config.allnoconfig
resolve: $(call bd,$(1))/.config
outputs: $(addprefix $(call od,$(1))/,$(OUTPUTS))
endef
$(foreach p,$(PLATFORMS),$(eval $(call platform_rules,$(p))))

.PHONY: FORCE resolve outputs

# --- busybox's own testsuite on the built binaries (qemu for foreign ones) --
# Every platform is tested, then the run fails if any platform disagreed with
# the baseline. Reports: $(OUT)/<profile>/<platform>/upstream-tests.txt
UPSTREAM_BASELINE ?= tests/upstream/baseline-$(BBV).txt
check-upstream: setup-test all
	@rc=0; for p in $(PLATFORMS); do s=$$(echo $$p | tr / -); \
		$(BBKIT) verify $(Q) --platform $$p --builddir $(B)/bb/$(BBV)/$(PROFILE)/$$s \
			--binary $(OUT)/$(PROFILE)/$$s/busybox --src $(SRCTREE) \
			--baseline $(UPSTREAM_BASELINE) --report $(OUT)/$(PROFILE)/$$s/upstream-tests.txt \
			$(if $(JOBS),--jobs $(JOBS)) || rc=1; \
	done; exit $$rc

# --- every applet of busybox's defconfig, built for every platform ---------
check-defconfig: setup-test $(BBKIT) $(RESOLVER)
	@BBKIT=$(BBKIT) SRCTREE=$(SRCTREE) BBV=$(BBV) B=$(B) OUT=$(OUT) MAKE="$(MAKE)" \
		bash scripts/defconfig-check.sh $(PLATFORMS)

# --- committed configs: every profile x supported version ------------------
LOCK_VERSIONS := 1.35.0 1.37.0 1.38.0
lock:
	@MAKE="$(MAKE)" B=$(B) CACHE=$(CACHE) sh scripts/lock.sh configs $(LOCK_VERSIONS)
	@echo "bbkit: lock: configs/ regenerated for $(LOCK_VERSIONS)"

check-lock:
	@rm -rf $(B)/lock-check
	@MAKE="$(MAKE)" B=$(B) CACHE=$(CACHE) sh scripts/lock.sh $(B)/lock-check $(LOCK_VERSIONS)
	@if diff -ru -x .gitkeep configs $(B)/lock-check; then echo "bbkit: check-lock: configs/ matches the lists"; \
	else echo "bbkit: check-lock: configs/ is out of date (diff above: - committed, + now); run 'make lock' and commit configs/" >&2; exit 1; fi

# --- reproducibility: two clean builds, different paths/umask/TZ/locale ----
repro:
	@PROFILE=$(PROFILE) bash scripts/repro.sh $(B)/repro $(PLATFORMS)

# --- fuzzing (libFuzzer + ASan + UBSan) -------------------------------------
FUZZ := $(B)/fuzz
FUZZ_SECONDS ?= 600
FUZZCC := clang $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -Itoolkit
$(FUZZ)/fuzz_list: tests/fuzz/fuzz_list.c $(TK_LIB) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(FUZZCC) -o $@ tests/fuzz/fuzz_list.c $(TK_LIB) $(LIBS)

$(FUZZ)/fuzz_resolve: tests/fuzz/fuzz_resolve.c toolkit/resolve.c $(TK_CMDS) $(TK_LIB) $(TK_HDRS) $(RESOLVER)
	@mkdir -p $(@D)
	@$(FUZZCC) -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -DBBKIT_KCONFIG_VERSION='"$(BBV)"' -Dmain=bbkit_main \
		-isystem $(SRCTREE)/scripts/kconfig -o $@ tests/fuzz/fuzz_resolve.c $(TK_CMDS) $(TK_LIB) \
		$(KCONF)/zconf.tab.o $(LIBS)

$(FUZZ)/fuzz_baseline: tests/fuzz/fuzz_baseline.c $(TK_LIB) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(FUZZCC) -o $@ tests/fuzz/fuzz_baseline.c $(TK_LIB) $(LIBS)

FUZZERS := $(FUZZ)/fuzz_list $(FUZZ)/fuzz_resolve $(FUZZ)/fuzz_baseline
fuzz: setup-test
	@$(MAKE) --no-print-directory $(FUZZERS)
	@$(MAKE) --no-print-directory PROFILE=_test PLATFORMS=linux/amd64 prepare
	@FUZZ=$(FUZZ) BBKIT_SRC=$(SRCTREE) TEST_BD=$(B)/bb/$(BBV)/_test/linux-amd64 sh scripts/fuzz.sh $(FUZZ_SECONDS)

# --- tests ------------------------------------------------------------------
# bbkit once more under ASan+UBSan; every test uses these binaries.
ASAN := $(B)/asan
SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
$(ASAN)/bbkit: $(TK_CMDS) toolkit/resolve_exec.c $(TK_LIB) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(CC) $(WARN) $(SAN) -o $@.tmp.$$$$ $(TK_CMDS) toolkit/resolve_exec.c $(TK_LIB) $(LIBS) && \
		mv $@.tmp.$$$$ $@

$(ASAN)/bbkit-$(BBV): $(TK_CMDS) toolkit/resolve.c $(TK_LIB) $(TK_HDRS) $(RESOLVER)
	@$(CC) $(WARN) $(SAN) -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -DBBKIT_KCONFIG_VERSION='"$(BBV)"' \
		-isystem $(SRCTREE)/scripts/kconfig -o $@.tmp.$$$$ $(TK_CMDS) toolkit/resolve.c $(TK_LIB) \
		$(KCONF)/zconf.tab.o $(LIBS) && mv $@.tmp.$$$$ $@

$(ASAN)/unit: tests/unit/unit.c $(TK_LIB) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(CC) $(WARN) $(SAN) -Itoolkit -o $@ tests/unit/unit.c $(TK_LIB) $(LIBS)

TEST_BINS := $(ASAN)/bbkit $(ASAN)/bbkit-$(BBV) $(ASAN)/unit

# TESTS=name narrows to tests/bats/<name>.bats
test: setup-test
	@mkdir -p $(B) && dpkg --print-foreign-architectures >$(B)/foreign-architectures.before
	@$(MAKE) --no-print-directory $(TEST_BINS) $(BBKIT) $(RESOLVER) $(FUZZERS)
	@$(MAKE) --no-print-directory PROFILE=_test PLATFORMS=linux/amd64 prepare
	@BBKIT=$(ASAN)/bbkit BBKIT_SRC=$(SRCTREE) BBKIT_VERSION=$(BBV) BBKIT_REAL=$(BBKIT) \
		TEST_BD=$(B)/bb/$(BBV)/_test/linux-amd64 FUZZ=$(FUZZ) FUZZ_SECONDS=30 \
		CACHE=$(CACHE) B=$(B) UNIT=$(ASAN)/unit TOP=$(CURDIR) bash tests/run.sh $(TESTS)

clean:
	rm -rf $(B) $(OUT)

distclean: clean
	rm -rf $(CACHE)
