# ccc: the operations-room toolchain.
#
#   make                install missing Debian packages (as root, as make check does), then
#                       build every program into build/bin and lib/ into build/lib/libccc.a
#   make check          install missing Debian packages (as root), build, run the unit
#                       tests and the bats suites under prove
#   make check SANITIZE=1   the same, built with AddressSanitizer and UBSan (in build/san)
#   make demo           the same, then run examples/ops-room.sh on a fresh temporary store
#   make bench          run tests/bench/*.sh, print their tables, then a summary of
#                       every row against its floor (tests/bench/summary.sh)
#   make bench-capacity store size, load and check rates, memory and verify time at
#                       1M and 10M documents and 1M persons, for ccc(7) CAPACITY (not
#                       part of make bench: about 40 minutes, some 10 GB of disk)
#   make lint           clang-format, cppcheck, mandoc -Tlint, shellcheck
#   make fuzz FUZZ_SECONDS=N   libFuzzer targets (clang, ASan, UBSan) in build/fuzz, N s each
#   make install        PREFIX=/usr/local DESTDIR= : programs, man pages, completions

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions

CC       ?= cc
CFLAGS   ?= -O2 -g
BUILD    ?= build
PKGS      = sqlite3 libcrypto libxml-2.0 icu-uc icu-i18n libcurl libhangul
WARN      = -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter
ifeq ($(SANITIZE),1)
BUILD    := build/san
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CPPFLAGS = -D_GNU_SOURCE -DCCC_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(WARN) $(CFLAGS) -MMD -MP
LIBS         = $(PKG_LIBS) -lmecab -ljq -lonig -lm

# lib/ in layers, each a folder; see ccc(7), The source tree
LIB_DIRS := base store stream formats intake triage check notice reply deploy case failover duty board plumbing glue
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard lib/$(d)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
PROG_SRC := $(sort $(wildcard bin/*.c))
PROGS    := $(PROG_SRC:bin/%.c=$(BUILD)/bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
TEST_TOOLS = $(BUILD)/tests/unit/forge-entry
MAN1     := $(sort $(wildcard man/man1/*.1))
MAN5     := $(sort $(wildcard man/man5/*.5))
MAN7     := $(sort $(wildcard man/man7/*.7))
LIBA      = $(BUILD)/lib/libccc.a
# the expected schema's digest, computed at build time (lib/store/schema.c)
SCHEMA_OBJ = $(BUILD)/gen/schema-digest.o

.PHONY: all programs check deps units unit-tests demo bench bench-capacity lint install uninstall clean completions fuzz
.SUFFIXES:

# Plain make installs what is missing first, as make check does; the build runs
# in a second make so that pkg-config sees the packages just installed.
all: deps
	@$(MAKE) --no-print-directory programs

programs: $(PROGS) completions

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: bin/%.c $(LIBA) $(SCHEMA_OBJ)
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MF $(BUILD)/dep/$*.d -o $@ $< $(SCHEMA_OBJ) $(LIBA) $(LDFLAGS) $(LIBS)

$(BUILD)/gen/schema-digest-gen: lib/gen/schema-digest-gen.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) -o $@ $< $(LIBA) $(LDFLAGS) $(LIBS)

$(SCHEMA_OBJ): $(BUILD)/gen/schema-digest-gen
	$(BUILD)/gen/schema-digest-gen > $(BUILD)/gen/schema-digest.c
	$(CC) $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $(BUILD)/gen/schema-digest.c

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/tap.h $(LIBA)
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MF $(BUILD)/dep/$*.d -Itests/unit -o $@ $< $(LIBA) $(LDFLAGS) $(LIBS)

# Completions come from the programs' own option tables (their --help).
completions: completions/ccc.bash completions/_ccc
completions/ccc.bash completions/_ccc: $(PROGS) completions/gen.sh
	sh completions/gen.sh $(BUILD)/bin $(notdir $(PROGS))

# after all (a second make), so that two makes never build the library at once
units: all
	@$(MAKE) --no-print-directory unit-tests

unit-tests: $(UNITS) $(TEST_TOOLS)

deps:
	@sh tests/deps.sh

check: deps
	$(MAKE) units
	CCC_BUILD=$(BUILD) prove --exec tests/run-test --timer $(UNITS) tests/*.bats

demo: all
	sh examples/ops-room.sh $(BUILD)/bin

BENCH_TOOLS = $(BUILD)/tests/bench/match-eval $(BUILD)/tests/bench/match-pairs

$(BUILD)/tests/bench/%: tests/bench/%.c $(LIBA)
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MF $(BUILD)/dep/$*.d -o $@ $< $(LIBA) $(LDFLAGS) $(LIBS)

bench: all $(BENCH_TOOLS)
	@rm -f $(BUILD)/bench-summary.tsv
	@for b in tests/bench/*.sh; do \
		case $$b in */lib.sh|*/summary.sh|*/capacity.sh) continue ;; esac; \
		CCC_BUILD=$(BUILD) BENCH_SUMMARY=$(BUILD)/bench-summary.tsv sh "$$b" || exit 1; \
	done
	@sh tests/bench/summary.sh $(BUILD)/bench-summary.tsv

bench-capacity: all
	CCC_BUILD=$(BUILD) sh tests/bench/capacity.sh

lint: all
	clang-format --dry-run --Werror $(LIB_SRC) lib/ccc/*.h bin/*.c tests/unit/*.c tests/unit/*.h
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -D_GNU_SOURCE -Ilib lib bin
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)
	shellcheck -x tests/*.sh tests/bench/*.sh examples/*.sh completions/gen.sh .ci/run tests/run-test

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 completions/ccc.bash $(DESTDIR)$(BASHCOMPDIR)/ccc
	for p in $(PROGS:$(BUILD)/bin/%=%); do [ "$$p" = ccc ] || \
		ln -sf ccc $(DESTDIR)$(BASHCOMPDIR)/$$p; done
	install -m 644 completions/_ccc $(DESTDIR)$(ZSHCOMPDIR)/_ccc

uninstall:
	rm -f $(PROGS:$(BUILD)/bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANDIR)/%) $(MAN5:man/%=$(DESTDIR)$(MANDIR)/%) $(MAN7:man/%=$(DESTDIR)$(MANDIR)/%)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ccc* $(DESTDIR)$(ZSHCOMPDIR)/_ccc

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(wildcard $(BUILD)/dep/*.d)

include tests/fuzz/fuzz.mk

# Fault injection and memory checking (tests/80-reliability.bats also runs under make check).
#   make reliability    run the fault-injection and attack suites and rewrite tests/RELIABILITY.md
#   make memcheck       run the demo with every program under valgrind memcheck
.PHONY: reliability memcheck

reliability: all
	CCC_BUILD=$(BUILD) CCC_RELIABILITY_LOG=$(BUILD)/reliability.tsv CCC_RELIABILITY_UPDATE=1 \
		bats tests/80-reliability.bats
	CCC_BUILD=$(BUILD) bats --tap tests/8[2-8]-attacks-*.bats >$(BUILD)/attacks.tap || true
	sh tests/reliability-report.sh $(BUILD)/reliability.tsv >$(BUILD)/RELIABILITY.md
	sh tests/attacks-report.sh $(BUILD)/attacks.tap >>$(BUILD)/RELIABILITY.md
	mv $(BUILD)/RELIABILITY.md tests/RELIABILITY.md

memcheck: all
	sh tests/memcheck-demo.sh $(BUILD)/bin
