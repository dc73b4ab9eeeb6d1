# libFuzzer targets (included by the Makefile).
#
#   make fuzz FUZZ_SECONDS=N   build every tests/fuzz/fuzz-*.c with clang, libFuzzer,
#                              AddressSanitizer and UBSan into build/fuzz, replay the
#                              regressions in tests/fuzz/regress, then fuzz each target
#                              for N seconds from its seed corpus (tests/fuzz/run.sh)

FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer
FUZZ_CFLAGS   = $(WARN) -g -O1 $(FUZZ_SAN) -MMD -MP
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_TARGETS := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIBA     = $(FUZZ_BUILD)/lib/libccc.a

.PHONY: fuzz fuzz-targets

$(FUZZ_BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIBA): $(FUZZ_LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_LIBA)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBA) $(LIBS)

fuzz-targets: $(FUZZ_TARGETS)

fuzz: deps
	$(MAKE) fuzz-targets
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_TARGETS:=.d)
