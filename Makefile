# A thin front for people; CMake does the building. See README.md.
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all build image run debug test unit-test system-test bench usb deps configure clean help

all: build

help:
	@awk '/^## Make targets/{f=1;next} /^## /{f=0} f' README.md

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	@scripts/deps.sh --check-build-only
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

image: build
	@echo "image: $(BUILD)/esp.img and $(BUILD)/disk.img are ready"

run: deps
	@$(MAKE) --no-print-directory build
	scripts/run-qemu.sh --disk $(BUILD)/disk.img $(if $(HEADLESS),--headless) $(QEMU_ARGS)

debug: deps
	@$(MAKE) --no-print-directory build
	scripts/run-qemu.sh --disk $(BUILD)/disk.img --debug $(if $(HEADLESS),--headless) $(QEMU_ARGS)

test: deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

unit-test: deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

system-test: deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L system

bench: deps
	@$(MAKE) --no-print-directory build
	python3 tests/system/bench.py --build $(BUILD)

usb:
	@$(MAKE) --no-print-directory build
	scripts/usb-write.sh --image $(BUILD)/disk.img --esp-dir $(BUILD)/esp $(if $(DEV),--dev $(DEV)) $(if $(ESP),--esp $(ESP)) $(if $(YES),--yes)

clean:
	rm -rf $(BUILD)
