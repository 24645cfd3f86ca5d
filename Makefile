# Makefile: the two commands of the README, on a fresh Debian 12 machine.
#   make run    install missing build dependencies, build, launch the app from the build tree
#   make test   the same set-up, then every test under Xvfb, ending with "N passed, N failed"
# SPDX-License-Identifier: GPL-3.0-or-later

BUILDDIR ?= build
MESON_ARGS ?=
WERROR ?= false

.PHONY: all deps setup build run test bench flatpak-test pot clean

all: build

deps:
	@build-aux/install-deps

$(BUILDDIR)/build.ninja:
	@build-aux/install-deps
	meson setup $(BUILDDIR) -Dwerror=$(WERROR) $(MESON_ARGS)

setup: $(BUILDDIR)/build.ninja

build: setup
	meson compile -C $(BUILDDIR)

run: deps build
	@build-aux/run-uninstalled $(BUILDDIR)

test: deps build
	@build-aux/run-tests $(BUILDDIR)

bench: deps build
	bench/engines $(BUILDDIR)
	bench/driver $(BUILDDIR)
	bench/charts $(BUILDDIR)
	bench/fidelity $(BUILDDIR)

flatpak-test: deps
	flatpak/test-bundle

pot: setup
	meson compile -C $(BUILDDIR) tradeoff-pot

clean:
	rm -rf $(BUILDDIR)
