# The README's commands. Each installs what is missing, configures and
# builds first.
BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 3600

# ASan and UBSan settings of `make test-sanitize`: leaks that LLVM and
# libtorch keep on purpose are suppressed by name in lsan.supp; a failed
# allocation returns null as in glibc, since the probe's out-of-memory test
# makes libtorch's allocations fail on purpose.
SANITIZE_ENV = \
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:$(ASAN_OPTIONS) \
  LSAN_OPTIONS=suppressions=$(CURDIR)/test/sanitize/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all deps build demo test test-libtorch2 fuzz test-sanitize clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo runs the driver (confirm is one of its commands) and one example
# linked with the probe: it builds those alone, not the plugin, the tests
# or the other examples.
DEMO_TARGETS = torch_tidy mlp_eval_leaky

demo: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS) --target $(DEMO_TARGETS)
	scripts/demo.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The whole suite against libtorch 2.6: builds and tests in a Debian trixie
# root that scripts/test-libtorch2.sh makes once with mmdebstrap (needs root
# or sudo; TORCH_TIDY_TRIXIE_ROOT says where the root lives).
test-libtorch2:
	JOBS=$(JOBS) scripts/test-libtorch2.sh

# A longer fuzz run than the test suite's 60 s; its corpus grows from run
# to run under $(BUILD_DIR)/test/fuzz/corpus.
fuzz: build
	python3 test/fuzz/run_fuzz.py --seconds $(FUZZ_SECONDS) \
	  --fuzzer $(BUILD_DIR)/fuzz/test/fuzz/target/torch-tidy-fuzz \
	  --work $(BUILD_DIR)/test/fuzz

# The whole suite with ASan and UBSan (clang++-19); slow, not run in CI.
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_COMPILER=clang++-19 -DTORCH_TIDY_SANITIZE=ON
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && $(SANITIZE_ENV) ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) .demo
