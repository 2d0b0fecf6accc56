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
export SOURCE_DATE_EPOCH
export KCONFIG_NOTIMESTAMP := 1
export BBKIT_CACHE := $(CACHE)

V := $(BUSYBOX_VERSION)
Q := $(if $(QUIET),-q)
SRCTREE := $(CACHE)/src/busybox-$(V)
BBKIT := $(B)/bbkit
RESOLVER := $(B)/bbkit-$(V)

CC := gcc
WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS ?= -O2 -g
LIBS := $(shell pkg-config --libs libarchive libcrypto libelf 2>/dev/null || echo -larchive -lcrypto -lelf)
TK_LIB := $(wildcard toolkit/lib/*.c)
TK_CMDS := $(filter-out toolkit/resolve.c toolkit/resolve_exec.c,$(wildcard toolkit/*.c))
TK_HDRS := $(wildcard toolkit/*.h toolkit/lib/*.h)

.PHONY: resolver all setup setup-test test clean distclean fetch prepare help
.DEFAULT_GOAL := all

all: prepare $(RESOLVER)

resolver: $(RESOLVER)

setup:
	@sh scripts/host-setup.sh build

setup-test:
	@sh scripts/host-setup.sh test

# --- the bbkit program ------------------------------------------------------
$(BBKIT): $(TK_CMDS) toolkit/resolve_exec.c $(TK_LIB) $(TK_HDRS) | setup
	@mkdir -p $(@D)
	@$(CC) $(WARN) $(CFLAGS) -o $@.tmp $(TK_CMDS) toolkit/resolve_exec.c $(TK_LIB) $(LIBS)
	@mv $@.tmp $@

# The resolver is compiled together with the busybox tree's own kconfig
# engine (zconf.tab.c includes confdata.c, symbol.c, expr.c, menu.c).
KCONF := $(B)/kconfig-$(V)
$(RESOLVER): $(TK_CMDS) toolkit/resolve.c $(TK_LIB) $(TK_HDRS) $(SRCTREE)/Makefile | setup
	@mkdir -p $(KCONF)
	@for f in zconf.tab.c lex.zconf.c zconf.hash.c; do cp $(SRCTREE)/scripts/kconfig/$$f"_shipped" $(KCONF)/$$f; done
	@$(CC) -O2 -g -w -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -include toolkit/kconf_io.h \
		-I$(SRCTREE)/scripts/kconfig -c -o $(KCONF)/zconf.tab.o $(KCONF)/zconf.tab.c
	@$(CC) $(WARN) $(CFLAGS) -DKBUILD_NO_NLS -DLKC_DIRECT_LINK -DBBKIT_KCONFIG_VERSION='"$(V)"' -isystem $(SRCTREE)/scripts/kconfig \
		-o $@.tmp $(TK_CMDS) toolkit/resolve.c $(TK_LIB) $(KCONF)/zconf.tab.o $(LIBS)
	@mv $@.tmp $@

# --- busybox source ---------------------------------------------------------
$(SRCTREE)/Makefile: | $(BBKIT)
	@$(BBKIT) fetch $(Q) --version $(V) $(if $(BUSYBOX_TARBALL),--tarball $(BUSYBOX_TARBALL)) >/dev/null

fetch: $(SRCTREE)/Makefile

# --- per platform -----------------------------------------------------------
slug = $(subst /,-,$(1))
bd = $(B)/bb/$(V)/$(PROFILE)/$(call slug,$(1))
od = $(OUT)/$(PROFILE)/$(call slug,$(1))

define platform_rules
$(call bd,$(1))/.config.allnoconfig: $(SRCTREE)/Makefile | $(BBKIT)
	@$(BBKIT) prepare $(Q) $(1) --src $(SRCTREE) --builddir $(call bd,$(1))

prepare: $(call bd,$(1))/.config.allnoconfig
endef
$(foreach p,$(PLATFORMS),$(eval $(call platform_rules,$(p))))

clean:
	rm -rf $(B) $(OUT)

distclean: clean
	rm -rf $(CACHE)
