# Hotline: one binary (./hotline), every test run twice (plain, ASan+UBSan).
#
#   make          install missing build packages, build ./hotline
#   make run      build, then start the demo call center
#   make test     build both variants, run every unit and integration test
#   make bench    build and run the benchmarks under bench/
#
# V selects the variant: rel (default) or asan. Each lives in build/$(V)/.
# Sources are found by wildcard, so a new module is a new folder and nothing
# here changes.

V        ?= rel
B        := build/$(V)
PKGS     := libre sqlite3 jansson libsodium sndfile spandsp espeak-ng \
            webrtc-audio-processing \
            xlsxwriter zlib expat
CC       ?= cc
CXX      ?= g++

# Recursive (=) on purpose: pkg-config runs when a recipe needs it, after
# scripts/deps.sh has installed the packages it asks about.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))

# libre's headers need these to find <stdint.h> and IPv6.
RE_DEFS  := -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6
CFLAGS_rel  := -O2 -g
CFLAGS_asan := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=all
CFLAGS   = -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE $(RE_DEFS) \
           $(CFLAGS_$(V)) -Isrc -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
# C++ only where a library is C++ (region/ on libphonenumber): the same
# warnings and variant flags; everything is still linked by $(CC).
CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -D_GNU_SOURCE $(CFLAGS_$(V)) \
           -Isrc -MMD -MP
LDFLAGS  = $(filter -fsanitize=%,$(CFLAGS_$(V)))
LDLIBS   = $(PKG_LIBS) -lgeocoding -lphonenumber \
           $(shell pkg-config --libs icu-uc) -lstdc++ -lpthread -lm

SRC      := $(filter-out src/main.c,$(wildcard src/*/*.c))
CXXSRC   := $(wildcard src/*/*.cc)
GEN      := $(B)/gen/embedded.c
OBJ      := $(SRC:%.c=$(B)/obj/%.o) $(CXXSRC:%.cc=$(B)/obj/%.o) \
            $(B)/obj/gen/embedded.o $(B)/obj/gen/web.o
LIB      := $(B)/libhotline.a
EMBED    := $(wildcard src/*/migrations/*.sql)
# The console: its own files, and the lockfile that pins its libraries.
WEB      := web/index.html $(wildcard web/app/*) web/package-lock.json

UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
TOOL_SRC := $(wildcard tests/tools/*.c bench/*.c)
TOOL_BIN := $(TOOL_SRC:%.c=$(B)/%)

.PHONY: all run test test-build bench deps deps-test clean FORCE
all: hotline
FORCE:

# Copied then renamed: a running ./hotline (make run) keeps its old file.
hotline: $(B)/hotline
	cp $< $@.new && mv -f $@.new $@

# deps-test after deps: under make -j the two would otherwise run apt at
# once and one would fail on its lock.
deps:
	@scripts/deps.sh
deps-test: deps
	@scripts/deps.sh --test

$(B)/hotline: $(B)/obj/src/main.o $(LIB) | deps
	@echo "LD  $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "CC  $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(B)/obj/%.o: %.cc | deps
	@mkdir -p $(dir $@)
	@echo "CXX $<"
	@$(CXX) $(CXXFLAGS) -c -o $@ $<

$(B)/obj/gen/%.o: $(B)/gen/%.c | deps
	@mkdir -p $(dir $@)
	@echo "CC  $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# The list of embedded files is a prerequisite too: a migration moved to
# another module's folder changes the list, not any file's time.
$(B)/gen/embed.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(EMBED)' | cmp -s - $@ || echo '$(EMBED)' > $@

$(GEN): scripts/embed.sh $(EMBED) $(B)/gen/embed.list
	@mkdir -p $(dir $@)
	scripts/embed.sh $(EMBED) > $@

$(B)/gen/web.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(WEB)' | cmp -s - $@ || echo '$(WEB)' > $@

# web.o includes the staged files (.incbin), which -MMD cannot see: it is
# rebuilt because web.c is rewritten whenever any of them changes.
$(B)/gen/web.c: scripts/web.sh $(WEB) $(B)/gen/web.list | deps
	scripts/web.sh $(B)/gen

$(B)/tests/%: tests/%.c $(LIB) | deps-test
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

$(B)/bench/%: bench/%.c $(LIB) | deps
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

# bench/api and bench/api_ws share bench/httpload/.
HTTPLOAD_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(wildcard bench/httpload/*.c))
$(B)/bench/api $(B)/bench/api_ws: $(B)/bench/%: bench/%.c $(HTTPLOAD_OBJ) $(LIB) | deps
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< $(HTTPLOAD_OBJ) $(LIB) $(LDFLAGS) $(LDLIBS)

# bench/calls is more than one file: its parts are in bench/loadgen/.
LOADGEN_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(wildcard bench/loadgen/*.c))
$(B)/bench/calls: bench/calls.c $(LOADGEN_OBJ) $(LIB) | deps
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< $(LOADGEN_OBJ) $(LIB) $(LDFLAGS) $(LDLIBS)

# bench/calls' RTP counting has a unit test of its own.
$(B)/tests/unit/loadgen/test_rtp: tests/unit/loadgen/test_rtp.c $(B)/obj/bench/loadgen/rtp.o $(LIB) | deps-test
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< $(B)/obj/bench/loadgen/rtp.o $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

# bench/records fills its database with bench/recseed/.
RECSEED_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(wildcard bench/recseed/*.c))
$(B)/bench/records: bench/records.c $(RECSEED_OBJ) $(LIB) | deps
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< $(RECSEED_OBJ) $(LIB) $(LDFLAGS) $(LDLIBS)

test-build: $(B)/hotline $(UNIT_BIN) $(TOOL_BIN)

# The builds take every core even when make itself was started without -j
# (CI runs a bare `make test`): from a fresh clone on two cores both
# variants build in about a minute and a half of the run's 14 minutes.
NPROC   := $(shell nproc 2>/dev/null || echo 2)
test: deps-test
	$(MAKE) -j$(NPROC) V=rel test-build
	$(MAKE) -j$(NPROC) V=asan test-build
	tests/run.sh build/rel build/asan

run: hotline
	./hotline serve --demo

bench: deps-test
	$(MAKE) -j$(NPROC) V=rel test-build
	bench/run.sh build/rel

clean:
	rm -rf build hotline

-include $(OBJ:.o=.d) $(B)/obj/src/main.d $(LOADGEN_OBJ:.o=.d) \
	$(RECSEED_OBJ:.o=.d)
