# bbkit: curate busybox applets and cross-build busybox with clang/lld.
#   make          build the profile for every platform in PLATFORMS
#   make test     install what tests need, run every test
# Variables: see README.md.
# SPDX-License-Identifier: GPL-2.0-only

# A variable given on the command line or in the environment is make code
# until proven data: one with a '$' would run $(shell ...) the moment it is
# used, so that is refused before any is expanded (the rest are checked below).
comma := ,
USER_VARS := PROFILE LIST PLATFORMS BUSYBOX_VERSION BUSYBOX_TARBALL BUSYBOX_SHA256 BUSYBOX_URL LAYOUT FEATURES SUID OUT CACHE B \
	SOURCE_DATE_EPOCH JOBS QUIET TESTS CONFIG_ONLY CONFIG PATCHES COMPRESS STRICT FRAGMENTS SOURCES_DIRTY BBKIT_BIN BBKIT_ASAN \
	FROM TO FROM_LIST NO_BUILD SIDE TAG ARCHIVE CCACHE CCACHE_REMOTE SCRIPTS DOCKERFILE EXPLAIN BBKIT_SELF_CCACHE
$(foreach v,$(USER_VARS),$(if $(and $(filter command% environment%,$(origin $(v))),$(findstring $$,$(value $(v)))),\
  $(error bbkit: make: $(v)=$(value $(v)): a '$$' makes a value make code$(comma) not data; bbkit refuses it)))

PROFILE ?= debug-shell
ifdef LIST
override PROFILE := $(basename $(notdir $(LIST)))
else
LIST := applet-lists/$(PROFILE).list
endif
PLATFORMS ?= linux/amd64 linux/arm64 linux/arm/v7
# the default version and the pinned ones: pins.tsv, which C reads too
PINS := pins.tsv
ifeq ($(origin BUSYBOX_VERSION),undefined)
BUSYBOX_VERSION := $(shell awk -F'\t' '$$1 == "busybox" && $$5 == "default" { print $$2 }' $(PINS))
endif
BUSYBOX_TARBALL ?=
BUSYBOX_SHA256 ?=
# PATCHES: security (Debian's patches that name a CVE, from the version's
# pinned debian.tar.xz: the default where pins.tsv has one), none (pristine),
# or a directory of one's own patches applied after the security ones
PINNED_DEBIAN := $(shell awk -F'\t' '$$1 == "debian" { print $$2 }' $(PINS))
PATCHES_DEFAULT := $(if $(filter $(BUSYBOX_VERSION),$(PINNED_DEBIAN)),security,none)
PATCHES ?= $(PATCHES_DEFAULT)
BUSYBOX_URL ?=
LAYOUT ?= canonical
FEATURES ?= minimal
OUT ?= out
CACHE ?= $(CURDIR)/.cache
B ?= $(CURDIR)/_build
SOURCE_DATE_EPOCH ?= 946684800
SUID ?= 0
# COMPRESS: none, upx (NRV --best) or upx-lzma (--lzma --best)
COMPRESS ?= none
export SOURCE_DATE_EPOCH
export KCONFIG_NOTIMESTAMP := 1
export BBKIT_CACHE := $(CACHE)

# --- every variable is validated before any rule runs ----------------------
# Their values reach recipes and targets: only what cannot mean anything to
# the shell or to make gets through, so no quoting is ever needed. A bad one
# stops make with one line naming it (make's exit 2).
chars_left = $(if $(2),$(call chars_left,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,9999,$(2))),$(1))
LOWER := a b c d e f g h i j k l m n o p q r s t u v w x y z
UPPER := A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
DIGITS := 0 1 2 3 4 5 6 7 8 9
NAME_CHARS := $(LOWER) $(UPPER) $(DIGITS) . _ -
# no '~': the recipe shell would expand it (make clean OUT='~' was rm -rf ~)
PATH_CHARS := $(NAME_CHARS) / + @
# has_only VALUE,CHARS: VALUE is one word of those characters only
has_only = $(and $(filter 1,$(words $(1))),$(if $(call chars_left,$(1),$(2)),,1))
bad_var = $(error bbkit: make: $(1)=$($(1)): $(2))
check_path = $(if $(call has_only,$($(1)),$(PATH_CHARS)),,$(call bad_var,$(1),a path here may hold only letters$(comma) digits and . _ - / + @ (no spaces$(comma) quotes$(comma) ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it))
$(call check_path,OUT)
$(call check_path,CACHE)
$(call check_path,B)
$(call check_path,LIST)
$(if $(BUSYBOX_TARBALL),$(call check_path,BUSYBOX_TARBALL))
$(if $(CONFIG),$(call check_path,CONFIG))
$(if $(filter command% environment%,$(origin BBKIT_BIN)),$(call check_path,BBKIT_BIN))
$(if $(filter command% environment%,$(origin BBKIT_ASAN)),$(call check_path,BBKIT_ASAN))
HEX := $(DIGITS) a b c d e f
$(if $(BUSYBOX_SHA256),$(if $(call has_only,$(BUSYBOX_SHA256),$(HEX)),,$(call bad_var,BUSYBOX_SHA256,64 lowercase hex digits)))
$(if $(BUSYBOX_URL),$(if $(call has_only,$(BUSYBOX_URL),$(PATH_CHARS) :),,$(call bad_var,BUSYBOX_URL,a URL of letters$(comma) digits and . _ - / + @ : only)))
# PROFILE: a file name, and the image's ref name (bbkit image --ref), so the
# OCI grammar: letters and digits, one of . _ - (or --) between two of them
ALNUM := $(LOWER) $(UPPER) $(DIGITS)
SEP_PAIRS := $(filter-out --,$(foreach a,. _ -,$(foreach b,. _ -,$(a)$(b)))) ---
profile_ok = $(and $(call has_only,$(1),$(NAME_CHARS)),$(filter $(addsuffix %,$(ALNUM)),$(1)),\
	$(filter $(addprefix %,$(ALNUM)),$(1)),$(if $(strip $(foreach x,$(SEP_PAIRS),$(findstring $(x),$(1)))),,1))
# (_test, _lock: the build dirs of make test and make lock, never imaged; no
# user profile can have their names)
$(if $(or $(filter _test _lock,$(PROFILE)),$(call profile_ok,$(PROFILE))),,\
  $(call bad_var,PROFILE,a profile name is letters and digits with one of . _ - (or --) between two of them (the OCI ref name bbkit image writes)$(if $(filter command line environment,$(origin LIST)), (LIST's basename without .list)); rename $(if $(filter command line environment,$(origin LIST)),the list,it)))
$(if $(filter-out 1,$(words $(FEATURES))),$(call bad_var,FEATURES,use minimal or defaults))
$(if $(filter minimal defaults,$(FEATURES)),,$(call bad_var,FEATURES,use minimal or defaults))
$(if $(filter canonical flat,$(LAYOUT)),,$(call bad_var,LAYOUT,use canonical or flat))
$(if $(filter-out 1,$(words $(LAYOUT))),$(call bad_var,LAYOUT,use canonical or flat))
$(if $(filter 0 1,$(SUID)),,$(call bad_var,SUID,use 0 or 1))
# CCACHE: the compiler cache busybox's compiles go through: 1 (default, in
# CACHE/ccache), 0 (off) or an absolute directory (shared by checkouts);
# CCACHE_REMOTE: ccache's remote storage as well (file:/shared/dir,
# http://host:port/path, redis://host:port): objects shared by machines
CCACHE ?= 1
CCACHE_REMOTE ?=
$(if $(or $(filter 0 1,$(CCACHE)),$(and $(call has_only,$(CCACHE),$(PATH_CHARS)),$(filter /%,$(CCACHE)))),,\
  $(call bad_var,CCACHE,use 1 (the compiler cache in CACHE/ccache)$(comma) 0 (none) or an absolute directory of letters$(comma) digits and . _ - / + @))
$(if $(CCACHE_REMOTE),$(if $(and $(call has_only,$(CCACHE_REMOTE),$(PATH_CHARS) :),$(findstring :,$(CCACHE_REMOTE)),$(filter-out 0,$(CCACHE))),,\
  $(call bad_var,CCACHE_REMOTE,one ccache remote storage URL (file:/dir$(comma) http://host:port/path$(comma) redis://host:port) of letters$(comma) digits and . _ - / + @ :$(comma) with CCACHE not 0)))
CCACHE_ARGS := $(if $(filter 0,$(CCACHE)),--no-ccache,$(if $(filter 1,$(CCACHE)),,--ccache $(CCACHE))) \
	$(if $(CCACHE_REMOTE),--ccache-remote $(CCACHE_REMOTE))
# STRICT=1: a .config input that resolves other than busybox's oldconfig is
# an error (CI), not a note
STRICT ?= 0
# FRAGMENTS: files merged into LIST (or CONFIG) as merge_config.sh merges
# kconfig fragments: a later line for a symbol wins, each override noted
FRAGMENTS ?=
$(foreach f,$(FRAGMENTS),$(if $(call has_only,$(f),$(PATH_CHARS)),,$(call bad_var,FRAGMENTS,$(f): a path here may hold only letters$(comma) digits and . _ - / + @ (no spaces$(comma) quotes$(comma) ~ or shell/make characters); rename or move it)))
FRAGMENT_ARGS := $(foreach f,$(FRAGMENTS),--fragment $(f))
# scan / check-scripts: SCRIPTS (paths, any number), DOCKERFILE (a path)
$(foreach f,$(SCRIPTS),$(if $(call has_only,$(f),$(PATH_CHARS)),,$(call bad_var,SCRIPTS,$(f): a path here may hold only letters$(comma) digits and . _ - / + @ (no spaces$(comma) quotes$(comma) ~ or shell/make characters); rename or move it)))
$(if $(DOCKERFILE),$(call check_path,DOCKERFILE))
$(if $(filter-out 0 1,$(or $(EXPLAIN),0)),$(call bad_var,EXPLAIN,use 0 or 1))
$(if $(and $(filter 0 1,$(STRICT)),$(filter 1,$(words $(STRICT)))),,$(call bad_var,STRICT,use 0 or 1))
$(if $(and $(filter none upx upx-lzma,$(COMPRESS)),$(filter 1,$(words $(COMPRESS)))),,$(call bad_var,COMPRESS,use none$(comma) upx or upx-lzma))
$(if $(filter-out 1,$(words $(SUID))),$(call bad_var,SUID,use 0 or 1))
# SOURCE_DATE_EPOCH: the rule every bbkit command applies too (bk_epoch_parse)
EPOCH_RULE := seconds since 1970 as digits only$(comma) 0 to 253402300799 (9999-12-31)
$(if $(call has_only,$(SOURCE_DATE_EPOCH),$(DIGITS)),,$(call bad_var,SOURCE_DATE_EPOCH,$(EPOCH_RULE)))
$(if $(shell v=$(SOURCE_DATE_EPOCH); v=$${v#"$${v%%[1-9]*}"}; [ $${#v} -le 12 ] && [ "$${v:-0}" -le 253402300799 ] && echo ok),,\
  $(call bad_var,SOURCE_DATE_EPOCH,$(EPOCH_RULE)))
$(if $(call has_only,$(BUSYBOX_VERSION),$(DIGITS) .),,$(call bad_var,BUSYBOX_VERSION,a version such as 1.38.0))
$(if $(PLATFORMS),,$(call bad_var,PLATFORMS,empty; name at least one platform (bbkit platforms --names)))
# the names of toolkit/lib/tables.c's platform table (bbkit platforms
# --names; tests/bats/makevars.bats checks the two agree): docker's aliases
# (linux/arm64/v8) and misspellings are refused before anything resolves
KNOWN_PLATFORMS := linux/amd64 linux/386 linux/arm64 linux/arm/v7 linux/arm/v6 linux/arm/v5 \
	linux/ppc64le linux/mips64le linux/mipsle linux/riscv64 linux/mips linux/s390x
$(foreach p,$(PLATFORMS),$(if $(and $(call has_only,$(p),$(LOWER) $(DIGITS) /),$(filter $(p),$(KNOWN_PLATFORMS))),,\
  $(call bad_var,PLATFORMS,$(p): not a platform bbkit builds; use one of: $(KNOWN_PLATFORMS))))
$(foreach p,$(sort $(PLATFORMS)),$(if $(filter-out 1,$(words $(filter $(p),$(PLATFORMS)))),\
  $(call bad_var,PLATFORMS,$(p) named $(words $(filter $(p),$(PLATFORMS))) times; name each platform once)))
# JOBS: make's -j and busybox's jobserver (a pipe of JOBS tokens: 70000 hung)
JOBS_RULE := a number of job slots from 1 to 1024$(comma) digits without a leading zero
$(if $(JOBS),$(if $(and $(call has_only,$(JOBS),$(DIGITS)),$(filter-out 0%,$(JOBS)),\
  $(shell j=$(JOBS); [ $${#j} -le 4 ] && [ $$j -le 1024 ] && echo ok)),,$(call bad_var,JOBS,$(JOBS_RULE))))
$(if $(filter-out 1 0,$(or $(QUIET),0)),$(call bad_var,QUIET,use 1 (no progress lines) or leave it empty))
$(if $(filter-out 1,$(or $(CONFIG_ONLY),1)),$(call bad_var,CONFIG_ONLY,bbkit's own (make config sets it)))
$(if $(filter-out 1,$(or $(ARCHIVE),1)),$(call bad_var,ARCHIVE,bbkit's own (make archive sets it)))
# OUT a symlink: refused (a dangling one made mkdir fail with no word of
# OUT; one to a directory put the outputs, their swaps and make clean's rm
# where the link points, a place the user never named)
OUT_NOSLASH := $(or $(patsubst %/,%,$(OUT)),/)
$(if $(shell test -L $(OUT_NOSLASH) && echo y),$(call bad_var,OUT,a symlink (to $(shell readlink $(OUT_NOSLASH))): bbkit swaps directories under OUT and make clean deletes it$(comma) so OUT is a real directory or absent; give the directory itself (OUT=$(shell readlink -m $(OUT_NOSLASH)))))
# TAG: make archive's RepoTag, a docker reference: lowercase repository
# path, optional :tag (bbkit image --tag checks the whole grammar)
lc = $(if $(2),$(call lc,$(subst $(firstword $(2)),$(firstword $(3)),$(1)),$(wordlist 2,99,$(2)),$(wordlist 2,99,$(3))),$(1))
ifeq ($(origin TAG),undefined)
TAG := bbkit/$(call lc,$(PROFILE),$(UPPER),$(LOWER)):$(BUSYBOX_VERSION)
endif
TAG_RULE := a docker reference: a lowercase repository path (letters$(comma) digits and . _ - between them$(comma) components separated by /)$(comma) then an optional :TAG; no spaces$(comma) quotes$(comma) upper case or '..'
$(if $(and $(call has_only,$(TAG),$(LOWER) $(DIGITS) . _ - / :),$(if $(findstring ..,$(TAG)),,1)),,$(call bad_var,TAG,$(TAG_RULE)))
$(if $(filter security none,$(PATCHES)),,$(call check_path,PATCHES))
$(if $(filter-out 0 1,$(or $(SOURCES_DIRTY),0)),$(call bad_var,SOURCES_DIRTY,use 1 (make sources of a checkout with uncommitted changes: their diff goes in too) or leave it empty))

# bump-report: FROM/TO versions, FROM_LIST a list, NO_BUILD=1 (no compile)
$(foreach v,FROM TO,$(if $($(v)),$(if $(call has_only,$($(v)),$(DIGITS) .),,$(call bad_var,$(v),a version such as 1.37.0))))
$(if $(FROM_LIST),$(call check_path,FROM_LIST))
$(if $(filter-out 1 0,$(or $(NO_BUILD),0)),$(call bad_var,NO_BUILD,use 1 (what needs no compile only) or leave it empty))
$(if $(filter-out from to,$(or $(SIDE),from)),$(call bad_var,SIDE,bbkit's own (make bump-report sets it)))
BBV := $(BUSYBOX_VERSION)
# make -n writes nothing. make runs a recipe line under -n when it starts
# with '+' or names $(MAKE): the busybox build (+, for the jobserver) and
# the scripts that run make (lock, check-defconfig) get their '+' from
# RECURSE, empty under -n, and name make as SUBMAKE, which make does not
# take for a recursion; the sub-makes of all and config still run, -n
# passed on, so they print what they would do, without flock's lock files
DRY := $(if $(findstring n,$(firstword -$(MAKEFLAGS))),1)
RECURSE := $(if $(DRY),,+)
SUBMAKE = $(MAKE)
Q := $(if $(filter 1,$(QUIET)),-q)
# the tree builds come from: pristine, or its patched copy (bbkit fetch
# --patches); build dirs per patch set, the default's without a suffix
# PATCHES=DIR: its own tree and build dirs per content, +local-<key> (the
# same key bbkit fetch computes and checks: a DIR edited while make runs is
# refused, never built under the old content's name; the sub-makes are given
# this make's key, never one of their own, so they build and lock the same
# dirs or refuse)
PATCH_KEY := $(if $(filter-out none security,$(PATCHES)),$(shell cd $(PATCHES) 2>/dev/null && \
	sha256sum -- * 2>/dev/null | LC_ALL=C sort | sha256sum | cut -c1-16))
PATCH_LABEL := $(if $(filter none security,$(PATCHES)),$(PATCHES),local-$(PATCH_KEY))
SRCTREE := $(CACHE)/src/busybox-$(BBV)$(if $(filter none,$(PATCHES)),,+$(PATCH_LABEL))
# the tree's allnoconfig (kbuild's host programs, generated Kbuild and
# Config.in files, the .config) every new build dir of that tree starts as a
# copy of: made once per tree and CACHE, not per B (a test's own tree,
# another checkout, a B after make clean), ~4.5 CPU s each
PREPARED := $(CACHE)/prepared/$(notdir $(SRCTREE))
BBTREE := $(BBV)$(if $(filter $(PATCHES_DEFAULT),$(PATCHES)),,+$(PATCH_LABEL))
BBKIT := $(B)/bbkit
# what the musl toolchain requires of every config (see the file)
TOOLCHAIN_LIST := applet-lists/toolchain/musl.list
# and what a version cannot build on some platforms (see each file)
toolchain_lists = $(TOOLCHAIN_LIST) $(if $(and $(filter 1.37.0,$(BBV)),$(filter-out linux/amd64 linux/386,$(1))),\
	applet-lists/toolchain/busybox-1.37.0-non-x86.list)
RESOLVER := $(B)/bbkit-$(BBV)
# BBKIT_BIN: the bbkit every recipe runs, $(BBKIT) unless told (make test
# sets its ASan+UBSan build, so every make a test runs is under the
# sanitizers); the resolver it runs is bbkit-<version> beside it. Only what
# runs is made first: a make with another B and BBKIT_BIN given (a test's
# fresh build tree) no longer compiles a $(BBKIT) and resolver nothing runs,
# ~30 CPU s each time. `make resolver` still makes both.
BBKIT_BIN ?= $(BBKIT)
RESOLVER_BIN := $(dir $(BBKIT_BIN))bbkit-$(BBV)
BBKIT_DEPS := $(BBKIT_BIN)
RESOLVER_DEPS := $(RESOLVER_BIN)

# pins.h: pins.tsv as C, and the compiler wrapper bbkit build installs (a
# real file) embedded as C: every compile below includes them. Each object
# tree has its own (DIR/gen): the ASan tree's are not B's, so a make with a
# fresh B (a test's own tree, make test's second lane) finds the bbkit it
# runs up to date instead of compiling it again for new headers
GEN := $(B)/gen
gen_hdrs = $(1)/gen/pins.h $(1)/gen/clang-wrapper.h
%/gen/pins.h: $(PINS) scripts/pins-h.sh | setup
	@mkdir -p $(@D)
	@sh scripts/pins-h.sh $(PINS) >$@.tmp.$$$$ && mv $@.tmp.$$$$ $@
%/gen/clang-wrapper.h: toolkit/clang-wrapper.sh scripts/embed-h.sh | setup
	@mkdir -p $(@D)
	@sh scripts/embed-h.sh toolkit/clang-wrapper.sh wrapper_body >$@.tmp.$$$$ && mv $@.tmp.$$$$ $@

CC := gcc
WARN_STD := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
WARN := $(WARN_STD) -I$(GEN)
CFLAGS ?= -O2 -g
LIBS := $(shell pkg-config --libs libarchive libcrypto libelf jansson 2>/dev/null || echo -larchive -lcrypto -lelf -ljansson)
# two programs over one library: bbkit (every command; resolve runs the
# second), and bbkit-<version>, the resolver linked with that version's
# kconfig (toolkit/lib/kconfig); the scan engine is lib/scan/*.c behind
# lib/scan.h (scan_int.h is theirs)
TK_LIB := $(wildcard toolkit/lib/*.c toolkit/lib/scan/*.c)
# (the command-line layer both programs share, then each one's own)
TK_SHARED := toolkit/bbkit.c toolkit/opts.c toolkit/optrules.c toolkit/opthelp.c toolkit/ctx.c
TK_CMDS := $(TK_SHARED) toolkit/main.c toolkit/resolve_exec.c \
	$(addprefix toolkit/,fetch.c platforms.c prepare.c sysroot.c build.c manifest.c rootfs.c verify.c size.c vex.c pack.c image.c sbom.c publish.c bump.c scan.c)
# the resolver engine: lib/kconfig/*.c behind resolver.h (resolver_int.h is theirs)
TK_KCONFIG := $(wildcard toolkit/lib/kconfig/*.c)
# the resolver's own files, compiled with its version's kconf_flags
TK_RESOLVER_OWN := toolkit/resolve_main.c toolkit/resolve.c $(TK_KCONFIG)
# every file compiles to an object of its own, in an object tree (DIR/obj):
# make test's compiler cache keeps each one
tk_objs = $(patsubst toolkit/%.c,$(1)/obj/%.o,$(2))
TK_HDRS_SRC := $(wildcard toolkit/*.h toolkit/lib/*.h toolkit/lib/kconfig/*.h toolkit/lib/scan/*.h)
TK_HDRS := $(TK_HDRS_SRC) $(call gen_hdrs,$(B))

.PHONY: compress-check suid-check check-upstream check-defconfig fuzz repro lock check-lock resolver test all setup setup-test test clean distclean fetch prepare help
.DEFAULT_GOAL := all

# resolve every platform before building any, so a bad list stops early
# then build every platform at once: busybox's makes share one jobserver of
# JOBS slots, so one platform's serial phases (host tools, links) overlap
# with another's compiles
override JOBS := $(or $(JOBS),$(shell nproc))
RESOLVE_FORCE := $(if $(BBKIT_RESOLVED),,FORCE)
# one make at a time writes a profile's outputs (flock on OUT/PROFILE/.lock):
# two makes of one profile with different PATCHES each compile in their own
# build dirs, and the outputs are all of one of them, never mixed. The
# resolve is under the build dirs' lock too: two makes of one profile name
# (two lists named foo.list, other FEATURES or FRAGMENTS) share those build
# dirs, and a config resolved outside the lock was rewritten by the other
# make before, or while, this one compiled it.
PROFILE_LOCK := $(B)/bb/$(BBTREE)/$(PROFILE)/.lock
# make -n runs a line naming $(MAKE): a dry run takes no lock (it would
# create the lock file, or fail on its missing directory) and writes nothing
locked = $(if $(DRY),,flock $(1))
# (the build dirs' lock first, then OUT's, always in that order; OUT/PROFILE
# is made only once the list resolved and SUID was checked)
# make archive: the same run, with image.tar among each platform's outputs
# (for every goal of a make that names archive: make archive image publishes
# once, with it)
all archive: setup compress-check | $(BBKIT_DEPS)
	@$(if $(DRY),:,mkdir -p $(dir $(PROFILE_LOCK)))
	@$(call locked,$(PROFILE_LOCK)) $(MAKE) --no-print-directory locked-all PATCH_KEY=$(PATCH_KEY) \
		$(if $(filter archive,$(MAKECMDGOALS)),ARCHIVE=1)
	$(if $(Q),,@head -qn1 $(foreach p,$(PLATFORMS),$(call od,$(p))/security.txt) | sort -u | sed 's/^/bbkit: /')
	$(if $(Q),,@$(foreach p,$(PLATFORMS),tail -n1 $(call od,$(p))/size.txt | sed 's|^ *|bbkit: $(p): |';))
locked-all: resolve suid-check
	@sh scripts/dirs.sh mark $(OUT) && mkdir -p $(OUT)/$(PROFILE)
	@$(call locked,$(OUT)/$(PROFILE)/.lock) $(MAKE) --no-print-directory -j$(JOBS) BBKIT_RESOLVED=1 publish

resolver: $(sort $(RESOLVER) $(RESOLVER_BIN))

# SUID=1: refused before anything compiles when busybox would not drop root
suid-check: resolve | $(BBKIT_DEPS)
	$(if $(filter 1,$(SUID)),@$(foreach p,$(PLATFORMS),$(BBKIT_BIN) manifest -q --suid --builddir $(call bd,$(p)) >/dev/null &&) :)

help:
	@echo 'make [VAR=value...] [target]   (README.md has the whole story)'
	@echo 'targets: all (default), config, list CONFIG=FILE, image, archive, sources, lock, check-lock,'
	@echo '         bump-report FROM= TO= (or FROM_LIST=) [NO_BUILD=1],'
	@echo '         scan SCRIPTS= [DOCKERFILE=] [EXPLAIN=1], check-scripts SCRIPTS= [LIST=|PROFILE=],'
	@echo '         repro, check-upstream, check-defconfig, fuzz, test, clean, distclean'
	@echo 'variables: PROFILE LIST PLATFORMS BUSYBOX_VERSION BUSYBOX_SHA256 BUSYBOX_TARBALL'
	@echo '           BUSYBOX_URL PATCHES COMPRESS FEATURES LAYOUT SUID SOURCE_DATE_EPOCH'
	@echo '           FRAGMENTS STRICT SOURCES_DIRTY TAG OUT CACHE CCACHE CCACHE_REMOTE B JOBS QUIET BBKIT_BIN'

# COMPRESS: every platform must be one UPX packs, before anything is built
compress-check: | $(BBKIT_DEPS)
	$(if $(filter none,$(COMPRESS)),,@$(BBKIT_BIN) pack $(Q) --check $(PLATFORMS))

# B and CACHE made here get the marker that lets make clean delete them
setup:
	@sh scripts/dirs.sh mark $(B) $(CACHE)
	@COMPRESS=$(COMPRESS) sh scripts/host-setup.sh build $(PLATFORMS)

setup-test:
	@sh scripts/dirs.sh mark $(B) $(CACHE)
	@sh scripts/host-setup.sh test

# --- the bbkit program ------------------------------------------------------
# Every compiled file goes to a per-process temp name and is renamed into
# place, so two makes sharing this checkout (other profiles) never see a
# half-written binary or object.
# The library is compiled once per flavour (here -O2; ASan and the fuzzers'
# below), a file an object, and linked into bbkit, every bbkit-<version>,
# the unit tests and the fuzzers: make test compiled it whole seven times.
# No library file reads the resolver's kconf_flags (lib/kconfig/ is not
# the library), so one object serves every program.
# make test compiles its programs' objects (plain, ASan, the fuzzers') through
# its compiler cache: it sets BBKIT_SELF_CCACHE=1 and ccache's settings
# (SELF_CCACHE_ENV below), and the debug info names the checkout ".", so
# an object another clone's make test compiled is the one this compile
# gives.
SELF_CC = $(if $(filter 1,$(BBKIT_SELF_CCACHE)),ccache )
SELF_FLAGS = $(if $(filter 1,$(BBKIT_SELF_CCACHE)),-fdebug-prefix-map=$(CURDIR)=.)
TK_LIB_O := $(patsubst toolkit/%.c,$(B)/obj/%.o,$(TK_LIB))
$(B)/obj/%.o: toolkit/%.c $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(SELF_CC)$(CC) $(WARN) $(CFLAGS) $(SELF_FLAGS) -c -o $@.tmp.$$$$ $< && mv $@.tmp.$$$$ $@
$(BBKIT): $(call tk_objs,$(B),$(TK_CMDS)) $(TK_LIB_O) | setup
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS) -o $@.tmp.$$$$ $(call tk_objs,$(B),$(TK_CMDS)) $(TK_LIB_O) $(LIBS) && \
		mv $@.tmp.$$$$ $@

# The resolver is compiled together with the busybox tree's own kconfig
# engine (zconf.tab.c includes confdata.c, symbol.c, expr.c, menu.c).
KCONF := $(B)/kconfig-$(BBV)
# The tree's kconfig sources (scripts/kconfig: the engine's .c and .h, the
# shipped parser without _shipped) are copied into each object tree's
# DIR/kconfig-V/scripts/kconfig (tests/lsan.supp names the engine's code
# by that path), a file renamed into place whole and only when its
# content differs; the stamp is touched only then. What compiles against
# them depends on that stamp, not on the tree: a CACHE whose tree was
# extracted anew (a fresh clone's, a test's own) is no reason to compile a
# resolver again, and the copies' paths are the same for every CACHE. (The
# stamp's own check runs when the tree's Makefile is new to it: make -n
# shows no compile where there is none.)
%/kconfig-$(BBV)/scripts/kconfig/.stamp: $(SRCTREE)/Makefile
	@set -e; d=$(@D); mkdir -p $$d; new=; \
	for f in $(SRCTREE)/scripts/kconfig/*.[ch] $(SRCTREE)/scripts/kconfig/*_shipped; do \
		n=$${f##*/}; n=$$d/$${n%_shipped}; \
		cmp -s $$f $$n || { cp -p $$f $$n.tmp.$$$$; mv $$n.tmp.$$$$ $$n; new=1; }; done; \
	if [ -n "$$new" ] || [ ! -e $@ ]; then touch $@; fi
# what every compile against that engine needs (the resolver, its ASan
# build, the fuzzer): kconf_flags,TREE-DIR (DIR/kconfig-V)
kconf_flags = -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -DBBKIT_KCONFIG_VERSION='"$(BBV)"' -isystem $(1)/scripts/kconfig
# the engine object, one per object tree (B's here, the ASan tree's below):
# make test's compiler cache keeps it
%/kconfig-$(BBV)/zconf.tab.o: %/kconfig-$(BBV)/scripts/kconfig/.stamp toolkit/lib/kconfig/kconf_io.h | setup
	@$(SELF_CC)$(CC) -O2 -g -w $(call kconf_flags,$(@D)) $(SELF_FLAGS) -include toolkit/lib/kconfig/kconf_io.h \
		-c -o $@.tmp.$$$$ $(@D)/scripts/kconfig/zconf.tab.c && mv $@.tmp.$$$$ $@
$(KCONF)/obj/%.o: toolkit/%.c $(TK_HDRS) $(KCONF)/scripts/kconfig/.stamp | setup
	@mkdir -p $(@D)
	@$(SELF_CC)$(CC) $(WARN) $(CFLAGS) $(call kconf_flags,$(KCONF)) $(SELF_FLAGS) -c -o $@.tmp.$$$$ $< && mv $@.tmp.$$$$ $@
RESOLVER_O := $(call tk_objs,$(B),$(TK_SHARED)) $(call tk_objs,$(KCONF),$(TK_RESOLVER_OWN))
# (each stamp named in an explicit rule: never an intermediate file, which
# make would delete after the build and so find missing, and new, next time)
$(RESOLVER): $(RESOLVER_O) $(TK_LIB_O) $(KCONF)/zconf.tab.o $(KCONF)/scripts/kconfig/.stamp | setup
	@$(CC) $(CFLAGS) -o $@.tmp.$$$$ $(RESOLVER_O) $(TK_LIB_O) $(KCONF)/zconf.tab.o $(LIBS) && \
		mv $@.tmp.$$$$ $@

# --- busybox source ---------------------------------------------------------
# On every make (some 60 ms): the cached tree is checked against the record
# of its extraction, and a given tarball against the pin. A damaged tree is
# extracted again, which rewrites the record: every busybox depends on it,
# and the repaired files get the time now, so kbuild recompiles them. A good
# tree and its record are left alone.
SRCREC := $(SRCTREE)/.bbkit-files
$(SRCREC): FORCE | $(BBKIT_DEPS)
	@$(BBKIT_BIN) fetch $(Q) --version $(BBV) $(if $(BUSYBOX_TARBALL),--tarball $(BUSYBOX_TARBALL)) \
		$(if $(BUSYBOX_SHA256),--sha256 $(BUSYBOX_SHA256)) $(if $(BUSYBOX_URL),--url $(BUSYBOX_URL)) \
		--patches $(PATCHES) $(if $(PATCH_KEY),--patches-key $(PATCH_KEY)) >/dev/null
$(SRCTREE)/Makefile: | $(SRCREC)

fetch: $(SRCREC)

# --- per platform -----------------------------------------------------------
# bbkit's revision for the labels when this is a git checkout of bbkit (its
# own .git: a copy inside another project's repository is not that revision)
REVISION := $(if $(wildcard $(CURDIR)/.git),$(shell git -C $(CURDIR) rev-parse --short=12 HEAD 2>/dev/null))
$(if $(REVISION),$(if $(call has_only,$(REVISION),$(HEX)),,$(eval REVISION :=)))
slug = $(subst /,-,$(1))
bd = $(B)/bb/$(BBTREE)/$(PROFILE)/$(call slug,$(1))
od = $(OUT)/$(PROFILE)/$(call slug,$(1))
# every output is made in the build dir's stage (make config's in its own),
# and published to od (make config: OUT/PROFILE/config/<slug>) by bbkit
# publish only once every platform of the run has all of them
sd = $(call bd,$(1))/$(if $(CONFIG_ONLY),stage-config,stage)
OUTPUTS := busybox busybox.config busybox.links manifest.json rootfs.tar size.txt size.json \
	security.txt vex.cdx.json vex.openvex.json sbom.cdx.json $(if $(filter none,$(COMPRESS)),,busybox.unpacked) \
	$(if $(ARCHIVE),image.tar)
# what bbkit build writes: the binary that ships, or the one UPX packs
BUILT := $(if $(filter none,$(COMPRESS)),busybox,busybox.unpacked)
# PATCHES=none on a version Debian packages: the CVEs its security patches
# name are still judged (open or not applicable), from its debian/
DEBIAN_TREE := $(if $(and $(filter none,$(PATCHES)),$(filter $(BBV),$(PINNED_DEBIAN))),$(CACHE)/src/busybox-$(BBV)-debian)
$(DEBIAN_TREE)/.bbkit-files: | $(BBKIT_DEPS)
	@$(BBKIT_BIN) fetch $(Q) --debian --version $(BBV) >/dev/null

# One set of rules per platform. The resolved .config is rewritten only when
# its content changes, so kbuild and the rules below rebuild only then.
define platform_rules
$(call bd,$(1))/.config.allnoconfig: $(SRCTREE)/Makefile | $(BBKIT_DEPS)
	@$(BBKIT_BIN) prepare $(Q) $(1) --src $(SRCTREE) --builddir $(call bd,$(1)) \
		--shared $(PREPARED)

# the depfile makes every included list a prerequisite of the config and of
# the size report (which enforces a list's budget). The resolver runs on
# every make (some 50 ms; it rewrites the config only when its content
# changes): what a list file holds now decides, not its time (cp -p, tar and
# rsync keep old times; two lists of one name in different directories); the
# sub-make that builds (BBKIT_RESOLVED) takes the config as resolved
$(call bd,$(1))/.config: $(call bd,$(1))/.config.allnoconfig $(call bd,$(1))/.features $(call toolchain_lists,$(1)) $(LIST) \
		$(RESOLVER_DEPS) $(RESOLVE_FORCE)
	@$(RESOLVER_BIN) resolve $(Q) --src $(SRCTREE) --builddir $(call bd,$(1)) \
		--features $(FEATURES) --depfile $(call bd,$(1))/.config.d \
		--dep-target $(call sd,$(1))/size.txt $(if $(filter 1,$(STRICT)),--strict) $(FRAGMENT_ARGS) \
		-- $(call toolchain_lists,$(1)) $(LIST)
	@touch -r $$@ $(call bd,$(1))/.features # a config that did not change is still up to date

-include $(call bd,$(1))/.config.d

# make variables that change an output without being in a file: each stamp
# is rewritten only when its value changes, so it is a dependency like a file
# (SOURCE_DATE_EPOCH: the banner's date and the tarball's times)
$(call bd,$(1))/.vars: FORCE
	@mkdir -p $$(@D)
	@echo "layout=$(LAYOUT) suid=$(SUID) epoch=$(SOURCE_DATE_EPOCH)" | cmp -s - $$@ || \
		echo "layout=$(LAYOUT) suid=$(SUID) epoch=$(SOURCE_DATE_EPOCH)" > $$@
$(call bd,$(1))/.compress: FORCE
	@mkdir -p $$(@D)
	@echo "compress=$(COMPRESS)" | cmp -s - $$@ || echo "compress=$(COMPRESS)" > $$@
$(call bd,$(1))/.features: FORCE
	@mkdir -p $$(@D)
	@echo "features=$(FEATURES) epoch=$(SOURCE_DATE_EPOCH)" | cmp -s - $$@ || \
		echo "features=$(FEATURES) epoch=$(SOURCE_DATE_EPOCH)" > $$@

# the sysroot, checked like the source tree on every make; the stamp changes
# only when it was made (again)
$(call bd,$(1))/.sysroot: FORCE | $(BBKIT_DEPS)
	@mkdir -p $$(@D)
	@$(BBKIT_BIN) sysroot $(Q) $(1) --stamp $$@ $(CCACHE_ARGS)

# autoconf.h: the resolver rewrites it alone when only the banner's date
# (SOURCE_DATE_EPOCH) changed; it comes with the config
$(call bd,$(1))/include/autoconf.h: $(call bd,$(1))/.config ;
$(call sd,$(1))/$(BUILT): $(call bd,$(1))/.config $(call bd,$(1))/include/autoconf.h $(SRCREC) \
		$(call bd,$(1))/.sysroot $(call bd,$(1))/.compress | $(BBKIT_DEPS)
	@mkdir -p $$(@D)
	$(RECURSE)@$(BBKIT_BIN) build $(Q) $(1) --src $(SRCTREE) --builddir $(call bd,$(1)) --out $$@ $(CCACHE_ARGS)
	$(if $(filter none,$(COMPRESS)),@rm -f $(call sd,$(1))/busybox.unpacked)
ifneq ($(COMPRESS),none)
# what ships is packed (and upx -t tested); busybox.unpacked stays beside it
$(call sd,$(1))/busybox: $(call sd,$(1))/busybox.unpacked | $(BBKIT_DEPS)
	@$(BBKIT_BIN) pack $(Q) $(1) --method $(COMPRESS) --in $$< --out $$@ --log $(call bd,$(1))/pack.log $(CCACHE_ARGS)
endif

# make config (CONFIG_ONLY=1): the config, links and manifest straight from
# the resolved config; otherwise they come after the binary, so a failed
# build leaves none of them new
AFTER_BUILD_$(1) := $(if $(CONFIG_ONLY),,$(call sd,$(1))/busybox)
$(call sd,$(1))/busybox.config: $(call bd,$(1))/.config $$(AFTER_BUILD_$(1))
	@mkdir -p $$(@D)
	@install -m 0644 $(call bd,$(1))/.config $$@.tmp.$$$$$$$$ && mv $$@.tmp.$$$$$$$$ $$@

$(call sd,$(1))/busybox.links: $(call bd,$(1))/.config $(call bd,$(1))/.vars $$(AFTER_BUILD_$(1)) | $(BBKIT_DEPS)
	@mkdir -p $$(@D)
	@$(BBKIT_BIN) manifest -q --builddir $(call bd,$(1)) --layout $(LAYOUT) --format links --out $$@

$(call sd,$(1))/manifest.json: $(call bd,$(1))/.config $(call bd,$(1))/.vars $$(AFTER_BUILD_$(1)) | $(BBKIT_DEPS)
	@mkdir -p $$(@D)
	@$(BBKIT_BIN) manifest $(Q) --builddir $(call bd,$(1)) --platform $(1) --layout $(LAYOUT) \
		$(if $(filter 1,$(SUID)),--suid) --format json --out $$@

# (rewritten when its writer changes: one from before has no
# etc/busybox-paths.d/busybox)
$(call sd,$(1))/rootfs.tar: $(call sd,$(1))/busybox $(call bd,$(1))/.vars toolkit/rootfs.c toolkit/lib/rootfs.c | $(BBKIT_DEPS)
	@$(BBKIT_BIN) rootfs $(Q) --builddir $(call bd,$(1)) --binary $(call sd,$(1))/busybox \
		--layout $(LAYOUT) $(if $(filter 1,$(SUID)),--suid) --out $$@

# per-applet size from the link map, and the rootfs's flash (extracted,
# 4096-byte blocks) and download (gzip'd layer) bytes; a 'budget' in the
# list or a fragment is enforced here (rewritten when its writer changes: one
# from before has no flash figure) (the stamp: which lists, so a fragment added with an old
# time is checked too)
$(call bd,$(1))/.budget-lists: FORCE
	@mkdir -p $$(@D)
	@echo "$(TOOLCHAIN_LIST) $(LIST) $(FRAGMENTS)" | cmp -s - $$@ || echo "$(TOOLCHAIN_LIST) $(LIST) $(FRAGMENTS)" > $$@
$(call sd,$(1))/size.txt: $(call sd,$(1))/busybox $(call sd,$(1))/rootfs.tar $(call toolchain_lists,$(1)) $(LIST) $(FRAGMENTS) \
		$(call bd,$(1))/.budget-lists toolkit/size.c toolkit/lib/size.c | $(BBKIT_DEPS)
	@$(BBKIT_BIN) size $(Q) --builddir $(call bd,$(1)) --txt $$@ --json $(call sd,$(1))/size.json \
		--rootfs $(call sd,$(1))/rootfs.tar \
		--list $(TOOLCHAIN_LIST) --list $(LIST) $(foreach f,$(FRAGMENTS),--list $(f)) \
		$(if $(filter none,$(COMPRESS)),,--packed $(call sd,$(1))/busybox)
$(call sd,$(1))/size.json: $(call sd,$(1))/size.txt

# per CVE a patch names: fixed, not applicable or open for this binary, as
# text, CycloneDX and OpenVEX; rewritten when its writer changes (a stage
# from before --openvex has no vex.openvex.json)
$(call sd,$(1))/security.txt: $(call sd,$(1))/busybox $(SRCREC) $(if $(DEBIAN_TREE),$(DEBIAN_TREE)/.bbkit-files) \
		toolkit/vex.c toolkit/lib/vex.c | $(BBKIT_DEPS)
	@$(BBKIT_BIN) vex -q --builddir $(call bd,$(1)) --platform $(1) $(if $(DEBIAN_TREE),--debian $(DEBIAN_TREE)) \
		--json $(call sd,$(1))/vex.cdx.json --openvex $(call sd,$(1))/vex.openvex.json --txt $$@
$(call sd,$(1))/vex.cdx.json: $(call sd,$(1))/security.txt
$(call sd,$(1))/vex.openvex.json: $(call sd,$(1))/security.txt

# what went into it: sources, sysroot packages, patches, tools (CycloneDX);
# rewritten when its writer changes (an SBOM from before --binary has no
# binary hash, and bbkit image refuses it)
$(call sd,$(1))/sbom.cdx.json: $(call sd,$(1))/busybox $(call bd,$(1))/.sysroot toolkit/sbom.c toolkit/lib/sbom.c toolkit/lib/sbomof.c | $(BBKIT_DEPS)
	@$(BBKIT_BIN) sbom -q --builddir $(call bd,$(1)) --platform $(1) --out $$@ --binary $(call sd,$(1))/busybox \
		$(if $(BUSYBOX_SHA256),--source-sha256 $(BUSYBOX_SHA256)) \
		$(if $(filter none,$(COMPRESS)),,--compress $(COMPRESS) --unpacked $(call sd,$(1))/busybox.unpacked)

# make archive: a single-platform docker save archive of this platform's
# rootfs.tar and image config (bbkit image --archive), staged and published
# with the rest; the stamp: the RepoTag and the revision label
$(call bd,$(1))/.tag: FORCE
	@mkdir -p $$(@D)
	@echo "tag=$(TAG) revision=$(REVISION)" | cmp -s - $$@ || echo "tag=$(TAG) revision=$(REVISION)" > $$@
$(call sd,$(1))/image.tar: $(call sd,$(1))/rootfs.tar $(call sd,$(1))/sbom.cdx.json $(call sd,$(1))/vex.openvex.json \
		$(call bd,$(1))/.tag toolkit/image.c toolkit/lib/oci.c toolkit/lib/ociargs.c | $(BBKIT_DEPS)
	@$(BBKIT_BIN) image $(Q) --archive $$@ --tag $(TAG) --ref $(PROFILE) --version $(BBV) \
		$(if $(REVISION),--revision $(REVISION)) --sbom $(call sd,$(1))/sbom.cdx.json \
		--openvex $(call sd,$(1))/vex.openvex.json $(1)=$(call sd,$(1))/rootfs.tar

prepare: $(call bd,$(1))/.config.allnoconfig
resolve: $(call bd,$(1))/.config
outputs: $(addprefix $(call sd,$(1))/,$(OUTPUTS))
static-outputs: $(addprefix $(call sd,$(1))/,busybox.config busybox.links manifest.json)
endef
$(foreach p,$(PLATFORMS),$(eval $(call platform_rules,$(p))))

# all or nothing: every platform's outputs, every check passed, then each
# platform's directory is swapped in whole
space := $(subst ,, )
publish: outputs | $(BBKIT_DEPS)
	@$(BBKIT_BIN) publish $(Q) --files $(subst $(space),$(comma),$(strip $(OUTPUTS))) \
		$(foreach p,$(PLATFORMS),$(call sd,$(p))=$(call od,$(p)))
publish-config: static-outputs | $(BBKIT_DEPS)
	@$(BBKIT_BIN) publish $(Q) --files busybox.config,busybox.links,manifest.json \
		$(foreach p,$(PLATFORMS),$(call sd,$(p))=$(OUT)/$(PROFILE)/config/$(call slug,$(p)))

.PHONY: FORCE resolve outputs static-outputs publish publish-config config list image archive sources locked-all locked-config

# --- make image: an OCI image layout of every platform, no daemon ----------
image: all
	@$(BBKIT_BIN) image $(Q) --out $(OUT)/$(PROFILE)/image --ref $(PROFILE) --version $(BBV) \
		$(if $(REVISION),--revision $(REVISION)) \
		$(foreach p,$(PLATFORMS),--sbom $(call od,$(p))/sbom.cdx.json) \
		$(foreach p,$(PLATFORMS),--openvex $(call od,$(p))/vex.openvex.json) \
		$(foreach p,$(PLATFORMS),$(p)=$(call od,$(p))/rootfs.tar)

# --- make sources: what a distributor must be able to hand over ------------
# every list resolve read, in its order: the toolchain's (a version's own
# too), the list, the fragments
SOURCES_LISTS = $(strip $(TOOLCHAIN_LIST) $(filter-out $(TOOLCHAIN_LIST),$(sort $(foreach p,$(PLATFORMS),$(call toolchain_lists,$(p))))) \
	$(LIST) $(FRAGMENTS))
sources: all
	@SOURCES_DIRTY=$(SOURCES_DIRTY) sh scripts/sources.sh $(OUT)/$(PROFILE)/sources $(SRCTREE) \
		$(or $(BUSYBOX_TARBALL),$(CACHE)/dl/busybox_$(BBV).orig.tar.bz2) $(SOURCES_LISTS) \
		-- $(foreach p,$(PLATFORMS),$(call od,$(p))/busybox.config)

# make list CONFIG=FILE: the shortest list that resolves to what FILE (a
# whole busybox .config) resolves to under FEATURES, printed (kconfig has no
# ARCH, so the first platform's build dir serves)
# (its own build dir: a failed make list names no profile's)
LIST_BD := $(B)/bb/$(BBTREE)/_list/$(call slug,$(firstword $(PLATFORMS)))
$(LIST_BD)/.config.allnoconfig: $(SRCTREE)/Makefile | $(BBKIT_DEPS)
	@$(BBKIT_BIN) prepare $(Q) $(firstword $(PLATFORMS)) --src $(SRCTREE) --builddir $(LIST_BD) \
		--shared $(PREPARED)
list: setup $(RESOLVER_DEPS) $(LIST_BD)/.config.allnoconfig
	@$(if $(CONFIG),:,echo "bbkit: make: list: needs CONFIG=FILE, a busybox .config to turn into a list" >&2; exit 2)
	@$(RESOLVER_BIN) resolve -q --features $(FEATURES) --print-list $(if $(filter 1,$(STRICT)),--strict) $(FRAGMENT_ARGS) \
		--src $(SRCTREE) --builddir $(LIST_BD) \
		-- $(TOOLCHAIN_LIST) $(CONFIG)

# make scan SCRIPTS="entrypoint.sh ..." [DOCKERFILE=Dockerfile] [ROOTFS=DIR|TAR] [EXPLAIN=1]:
# the applet list those scripts need, from the pinned version's source
# (printed; redirect it to a file to use it as LIST=). check-scripts: exit 1
# when LIST (or PROFILE), resolved for the first platform, lacks one.
SCAN_ARGS = --src $(SRCTREE) $(if $(DOCKERFILE),--dockerfile $(DOCKERFILE)) $(if $(ROOTFS),--rootfs $(ROOTFS)) -- $(SCRIPTS)
setup-scan:
	@sh scripts/dirs.sh mark $(B) $(CACHE)
	@sh scripts/host-setup.sh scan
scan-args:
	@$(if $(or $(SCRIPTS),$(DOCKERFILE)),:,echo "bbkit: make: $(MAKECMDGOALS): needs SCRIPTS=\"FILE...\" (or DOCKERFILE=FILE)" >&2; exit 2)
scan: scan-args setup-scan $(SRCREC) | $(BBKIT_DEPS)
	@$(BBKIT_BIN) scan $(Q) $(if $(filter 1,$(EXPLAIN)),--explain) $(SCAN_ARGS)
check-scripts: scan-args setup-scan $(SRCREC) | $(BBKIT_DEPS)
	@$(if $(wildcard $(LIST)),:,echo "bbkit: make: check-scripts: $(LIST): no such list (PROFILE=$(PROFILE) or LIST=)" >&2; exit 2)
	$(RECURSE)@$(SUBMAKE) --no-print-directory PLATFORMS=$(firstword $(PLATFORMS)) resolve
	@$(BBKIT_BIN) scan $(Q) --check $(call bd,$(firstword $(PLATFORMS)))/.config $(SCAN_ARGS)
.PHONY: scan check-scripts setup-scan scan-args

# make bump-report FROM=1.37.0 TO=1.38.0 (or FROM_LIST=old.list: two lists
# on BUSYBOX_VERSION): each side is fetched, its resolver built and its
# build dirs prepared by a make of that version (bump-side, which writes the
# side's arguments: its tree, each platform's build dir and toolchain
# lists), then bbkit bump-report compares. The FROM side is always a pinned
# version: BUSYBOX_SHA256/TARBALL/URL are TO's. Sizes and CVE states come
# from the build dirs when built (NO_BUILD=1: not looked at).
BUMP_FROM := $(or $(FROM),$(BBV))
BUMP_TO := $(or $(TO),$(BBV))
BUMP_DIR := $(B)/bump/$(PROFILE)
bump-report: | $(BBKIT_DEPS)
	@$(if $(or $(FROM_LIST),$(and $(FROM),$(TO))),:,echo "bbkit: make: bump-report: needs FROM=VERSION TO=VERSION (or FROM_LIST=LIST: two lists on one version)" >&2; exit 2)
	@$(if $(and $(filter $(BUMP_FROM),$(BUMP_TO)),$(if $(FROM_LIST),,1)),echo "bbkit: make: bump-report: FROM=$(FROM) and TO=$(TO) are one version: nothing to compare; give two versions$(comma) or FROM_LIST=LIST to compare two lists" >&2; exit 2,:)
	@$(if $(FROM_LIST),$(if $(wildcard $(FROM_LIST)),:,echo "bbkit: make: bump-report: FROM_LIST=$(FROM_LIST): no such file; name the list to compare $(LIST) with" >&2; exit 2),:)
	@$(if $(wildcard $(LIST)),:,echo "bbkit: make: bump-report: $(LIST): no such list (PROFILE=$(PROFILE) or LIST=)" >&2; exit 2)
	@mkdir -p $(BUMP_DIR)
	$(RECURSE)@$(SUBMAKE) --no-print-directory BUSYBOX_VERSION=$(BUMP_FROM) BUSYBOX_SHA256= BUSYBOX_TARBALL= BUSYBOX_URL= SIDE=from bump-side
	$(RECURSE)@$(SUBMAKE) --no-print-directory BUSYBOX_VERSION=$(BUMP_TO) SIDE=to bump-side
	@sh scripts/dirs.sh mark $(OUT)
	@$(BBKIT_BIN) bump-report $(Q) $$(cat $(BUMP_DIR)/from.args) $$(cat $(BUMP_DIR)/to.args) \
		--list $(LIST) $(if $(FROM_LIST),--from-list $(FROM_LIST)) --profile $(PROFILE) --out $(OUT)/$(PROFILE) \
		--features $(FEATURES) --layout $(LAYOUT) $(if $(filter 1,$(NO_BUILD)),--no-build)
bump-side: $(RESOLVER_DEPS) prepare
	@mkdir -p $(BUMP_DIR)
	@echo "--$(SIDE)-src $(SRCTREE) $(if $(wildcard $(UPSTREAM_BASELINE)),--$(SIDE)-baseline $(UPSTREAM_BASELINE)) \
		$(foreach p,$(PLATFORMS),$(SIDE):$(p):$(call bd,$(p)):$(subst $(space),$(comma),$(strip $(call toolchain_lists,$(p)))))" \
		>$(BUMP_DIR)/$(SIDE).args.tmp.$$$$ && mv $(BUMP_DIR)/$(SIDE).args.tmp.$$$$ $(BUMP_DIR)/$(SIDE).args
.PHONY: bump-report bump-side

# busybox.config, busybox.links and manifest.json of every platform, without
# compiling busybox (no sysroot either): the static manifest, for review
config: setup
	@sh scripts/dirs.sh mark $(OUT) && mkdir -p $(dir $(PROFILE_LOCK))
	@$(call locked,$(PROFILE_LOCK)) $(MAKE) --no-print-directory locked-config PATCH_KEY=$(PATCH_KEY)
locked-config: resolve
	@$(MAKE) --no-print-directory CONFIG_ONLY=1 BBKIT_RESOLVED=1 publish-config
# a recipe that fails takes its target with it: a failed check never leaves
# a file that the next make would take as done
.DELETE_ON_ERROR:

# --- busybox's own testsuite on the built binaries (qemu for foreign ones) --
# Every platform is tested, then the run fails if any platform disagreed with
# the baseline. Reports: $(OUT)/<profile>/<platform>/upstream-tests.txt
UPSTREAM_BASELINE ?= tests/upstream/baseline-$(BBV).txt
check-upstream: setup-test all
	@rc=0; $(foreach p,$(PLATFORMS),$(BBKIT_BIN) verify $(Q) --platform $(p) --builddir $(call bd,$(p)) \
			--binary $(call od,$(p))/busybox --src $(SRCTREE) \
			--baseline $(UPSTREAM_BASELINE) --report $(call od,$(p))/upstream-tests.txt \
			$(if $(JOBS),--jobs $(JOBS)) || rc=1;) exit $$rc

# --- every applet of busybox's defconfig, built for every platform ---------
check-defconfig: setup-test $(BBKIT_DEPS) $(RESOLVER_DEPS)
	$(RECURSE)@BBKIT=$(BBKIT_BIN) SRCTREE=$(SRCTREE) BBV=$(BBV) B=$(B) OUT=$(OUT) MAKE="$(SUBMAKE)" JOBS=$(JOBS) \
		bash scripts/defconfig-check.sh $(PLATFORMS)

# --- committed configs: every profile x supported version ------------------
LOCK_VERSIONS := $(shell awk -F'\t' '$$1 == "busybox" { print $$2 }' $(PINS))
lock:
	$(RECURSE)@MAKE="$(SUBMAKE)" B=$(B) CACHE=$(CACHE) RESOLVER_DIR=$(patsubst %/,%,$(dir $(BBKIT_BIN))) sh scripts/lock.sh configs $(LOCK_VERSIONS)
	@echo "bbkit: lock: configs/ regenerated for $(LOCK_VERSIONS)"

check-lock:
	@rm -rf $(B)/lock-check
	$(RECURSE)@MAKE="$(SUBMAKE)" B=$(B) CACHE=$(CACHE) RESOLVER_DIR=$(patsubst %/,%,$(dir $(BBKIT_BIN))) sh scripts/lock.sh $(B)/lock-check $(LOCK_VERSIONS)
	@if diff -ru -x .gitkeep configs $(B)/lock-check; then echo "bbkit: check-lock: configs/ matches the lists"; \
	else echo "bbkit: check-lock: configs/ is out of date (diff above: - committed, + now); run 'make lock' and commit configs/" >&2; exit 1; fi

# --- reproducibility: two clean builds, different paths/umask/TZ/locale ----
repro: $(BBKIT_DEPS)
	@PROFILE=$(PROFILE) COMPRESS=$(COMPRESS) PATCHES=$(PATCHES) BBKIT=$(BBKIT_BIN) bash scripts/repro.sh $(B)/repro $(PLATFORMS)

# --- fuzzing (libFuzzer + ASan + UBSan) -------------------------------------
FUZZ := $(B)/fuzz
FUZZ_SECONDS ?= 600
FUZZCC := clang $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -Itoolkit
TK_LIB_FUZZ_O := $(patsubst toolkit/%.c,$(FUZZ)/obj/%.o,$(TK_LIB))
$(FUZZ)/obj/%.o: toolkit/%.c $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(SELF_CC)$(FUZZCC) $(SELF_FLAGS) -c -o $@.tmp.$$$$ $< && mv $@.tmp.$$$$ $@
$(FUZZ)/fuzz_list: tests/fuzz/fuzz_list.c $(TK_LIB_FUZZ_O) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(FUZZCC) -o $@ tests/fuzz/fuzz_list.c $(TK_LIB_FUZZ_O) $(LIBS)

$(FUZZ)/fuzz_resolve: tests/fuzz/fuzz_resolve.c $(TK_KCONFIG) $(TK_LIB_FUZZ_O) $(TK_HDRS) $(KCONF)/zconf.tab.o
	@mkdir -p $(@D)
	@$(FUZZCC) $(call kconf_flags,$(KCONF)) -o $@ tests/fuzz/fuzz_resolve.c \
		$(TK_KCONFIG) $(TK_LIB_FUZZ_O) \
		$(KCONF)/zconf.tab.o $(LIBS)

$(FUZZ)/fuzz_baseline: tests/fuzz/fuzz_baseline.c $(TK_LIB_FUZZ_O) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(FUZZCC) -o $@ tests/fuzz/fuzz_baseline.c $(TK_LIB_FUZZ_O) $(LIBS)

FUZZERS := $(FUZZ)/fuzz_list $(FUZZ)/fuzz_resolve $(FUZZ)/fuzz_baseline
fuzz: setup-test
	@$(MAKE) --no-print-directory $(FUZZERS)
	@$(MAKE) --no-print-directory PROFILE=_test PLATFORMS=linux/amd64 prepare
	@FUZZ=$(FUZZ) BBKIT_SRC=$(SRCTREE) TEST_BD=$(B)/bb/$(BBTREE)/_test/linux-amd64 sh scripts/fuzz.sh $(FUZZ_SECONDS)

# --- tests ------------------------------------------------------------------
# bbkit once more under ASan+UBSan; every test uses these binaries. A make
# a test runs with another B (make test's second lane, a test's own tree)
# runs make test's ASan bbkit (BBKIT_BIN) and so the resolvers beside it:
# make test names that dir (BBKIT_ASAN), so such a make can make one there
# for another version too, not only make test's own make.
ASAN := $(or $(BBKIT_ASAN),$(B)/asan)
ASAN_HDRS := $(TK_HDRS_SRC) $(call gen_hdrs,$(ASAN))
ASAN_WARN := $(WARN_STD) -I$(ASAN)/gen
SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TK_LIB_ASAN_O := $(patsubst toolkit/%.c,$(ASAN)/obj/%.o,$(TK_LIB))
$(ASAN)/obj/%.o: toolkit/%.c $(ASAN_HDRS) | setup
	@mkdir -p $(@D)
	@$(SELF_CC)$(CC) $(ASAN_WARN) $(SAN) $(SELF_FLAGS) -c -o $@.tmp.$$$$ $< && mv $@.tmp.$$$$ $@
$(ASAN)/bbkit: $(call tk_objs,$(ASAN),$(TK_CMDS)) $(TK_LIB_ASAN_O) | setup
	@mkdir -p $(@D)
	@$(CC) $(SAN) -o $@.tmp.$$$$ $(call tk_objs,$(ASAN),$(TK_CMDS)) $(TK_LIB_ASAN_O) $(LIBS) && \
		mv $@.tmp.$$$$ $@

# its own kconfig engine object beside it (the rule above), not the plain
# resolver's in B: a make with another B that runs it (make test's lanes, a
# test's own tree) makes nothing of its B for it
ASAN_KCONF := $(ASAN)/kconfig-$(BBV)
$(ASAN_KCONF)/obj/%.o: toolkit/%.c $(ASAN_HDRS) $(ASAN_KCONF)/scripts/kconfig/.stamp | setup
	@mkdir -p $(@D)
	@$(SELF_CC)$(CC) $(ASAN_WARN) $(SAN) $(call kconf_flags,$(ASAN_KCONF)) $(SELF_FLAGS) -c -o $@.tmp.$$$$ $< && mv $@.tmp.$$$$ $@
ASAN_RESOLVER_O := $(call tk_objs,$(ASAN),$(TK_SHARED)) $(call tk_objs,$(ASAN_KCONF),$(TK_RESOLVER_OWN))
$(ASAN)/bbkit-$(BBV): $(ASAN_RESOLVER_O) $(TK_LIB_ASAN_O) $(ASAN_KCONF)/zconf.tab.o $(ASAN_KCONF)/scripts/kconfig/.stamp
	@mkdir -p $(@D)
	@$(CC) $(SAN) -o $@.tmp.$$$$ $(ASAN_RESOLVER_O) $(TK_LIB_ASAN_O) $(ASAN_KCONF)/zconf.tab.o $(LIBS) && \
		mv $@.tmp.$$$$ $@

$(ASAN)/unit: tests/unit/unit.c $(TK_LIB_ASAN_O) $(ASAN_HDRS) | setup
	@mkdir -p $(@D)
	@$(CC) $(ASAN_WARN) $(SAN) -Itoolkit -o $@.tmp.$$$$ tests/unit/unit.c $(TK_LIB_ASAN_O) $(LIBS) && \
		mv $@.tmp.$$$$ $@

TEST_BINS := $(ASAN)/bbkit $(ASAN)/bbkit-$(BBV) $(ASAN)/unit

# every make a test runs (private CACHE dirs too) shares one warm compiler
# cache, unless the test makes its own cold one. With CCACHE=1 (the
# default) it is the user's, ~/.cache/bbkit/test-ccache (XDG_CACHE_HOME
# honoured), shared by make test in every checkout: ccache keys a compile
# by its content and build-dir-relative paths, so a fresh clone hits what
# another checkout compiled and compiles only what changed. Where HOME
# gives no path make can pass on, CACHE/ccache. CCACHE=0 make test: no
# cache; CCACHE=DIR: that one.
# (their text, never expanded: make code in the environment stays data)
TEST_CCACHE_TOP := $(or $(value XDG_CACHE_HOME),$(if $(value HOME),$(value HOME)/.cache))
TEST_CCACHE := $(strip $(if $(and $(call has_only,$(TEST_CCACHE_TOP),$(PATH_CHARS)),$(filter /%,$(TEST_CCACHE_TOP))),\
	$(TEST_CCACHE_TOP)/bbkit/test-ccache,$(abspath $(CACHE))/ccache))
CCACHE_SHARED := $(if $(filter 0,$(CCACHE)),0,$(if $(filter 1,$(CCACHE)),$(TEST_CCACHE),$(CCACHE)))
# make test's own programs through it too (a file an object): with
# none of the user's CCACHE_* (names only of [A-Za-z0-9_]), no config file,
# paths under the checkout hashed relative, the directory not hashed
SELF_CCACHE := $(filter-out 0,$(CCACHE_SHARED))
SELF_CCACHE_ENV = env $$(env | sed -n 's/^\(CCACHE_[A-Za-z0-9_]*\)=.*/-u \1/p') CCACHE_DIR=$(SELF_CCACHE) \
	CCACHE_CONFIGPATH=/dev/null CCACHE_BASEDIR=$(CURDIR) CCACHE_NOHASHDIR=1
# TESTS=name narrows to tests/bats/<name>.bats
test: setup-test
	@mkdir -p $(B) && dpkg --print-foreign-architectures >$(B)/foreign-architectures.before
	@$(if $(SELF_CCACHE),$(SELF_CCACHE_ENV) )$(MAKE) --no-print-directory -j$(JOBS) $(if $(SELF_CCACHE),BBKIT_SELF_CCACHE=1) \
		$(TEST_BINS) $(BBKIT) $(RESOLVER) $(FUZZERS)
	@$(MAKE) --no-print-directory PROFILE=_test PLATFORMS=linux/amd64 prepare
	@CCACHE=$(CCACHE_SHARED) BBKIT=$(ASAN)/bbkit BBKIT_BIN=$(ASAN)/bbkit BBKIT_ASAN=$(ASAN) BBKIT_SRC=$(SRCTREE) BBKIT_VERSION=$(BBV) BBKIT_REAL=$(BBKIT) \
		TEST_BD=$(B)/bb/$(BBTREE)/_test/linux-amd64 FUZZ=$(FUZZ) FUZZ_SECONDS=30 \
		CACHE=$(CACHE) B=$(B) UNIT=$(ASAN)/unit TOP=$(CURDIR) bash tests/run.sh $(TESTS)

# only directories bbkit made (scripts/dirs.sh), never /, $HOME or the
# checkout: checked before anything runs, make -n included
ifneq ($(filter clean distclean,$(MAKECMDGOALS)),)
CLEAN_REFUSED := $(shell sh scripts/dirs.sh check $(firstword $(filter distclean clean,$(MAKECMDGOALS))) B=$(B) OUT=$(OUT) \
	$(if $(filter distclean,$(MAKECMDGOALS)),CACHE=$(CACHE)) 2>&1 >/dev/null)
$(if $(CLEAN_REFUSED),$(error $(CLEAN_REFUSED)))
endif
clean:
	@sh scripts/dirs.sh delete clean B=$(B) OUT=$(OUT)

distclean: clean
	@sh scripts/dirs.sh delete distclean CACHE=$(CACHE)
