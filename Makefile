# fabric: the two commands that matter are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   := build/demo

.PHONY: install demo test lint typecheck unit bench explore clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Plans and applies stamps/reference (its DR design included: the lab seeds its Hyper-V hosts and VMs)
# on a fresh embedded lab VMM (state kept in build/demo), lists the VMs and their replicas, rehearses
# the management stamp's planned failover (the timeline, exit 0: every VM as designed), then
# applies stamps/lab at a real pseudo-terminal (progress bar and all), so a hang there fails the demo.
demo: install
	rm -rf $(DEMO)
	$(BIN)/fabric validate stamps/reference
	$(BIN)/fabric plan stamps/reference --state-dir $(DEMO) --detailed-exitcode || test $$? -eq 2
	$(BIN)/fabric apply stamps/reference --state-dir $(DEMO) --auto-approve --parallelism 8
	$(BIN)/fabric plan stamps/reference --state-dir $(DEMO) --detailed-exitcode
	$(BIN)/fabric lab vms stamps/reference --state-dir $(DEMO)
	$(BIN)/fabric dr simulate stamps/reference management-stamp --type planned --state-dir $(DEMO)
	$(BIN)/python tests/terminal.py 120 $(BIN)/fabric apply stamps/lab --state-dir $(DEMO)/lab --auto-approve --compact
	$(BIN)/fabric plan stamps/lab --state-dir $(DEMO)/lab --detailed-exitcode
	@echo "Demo done: the lab VMM now matches stamps/reference (state in $(DEMO)), its failover rehearsed, and apply ran at a terminal."

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy fabric plugins/scvmm/fabric_scvmm

unit: install
	$(BIN)/fabric schema --out schemas --check
	$(BIN)/pytest

test: lint typecheck unit

# Property tests from fresh random seeds, many more examples than `make test` (which is derandomized).
explore: install
	FABRIC_EXPLORE=$${FABRIC_EXPLORE:-300} $(BIN)/pytest tests/engine/test_properties.py -x

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/dr.py

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache
