# Two commands for people: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
LINT_STAMP := tools/cypherlint/node_modules/.package-lock.json
DEMO_STORE ?= $(CURDIR)/.agkg/demo
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo test lint typecheck pytest bench bench-lookup bench-incremental clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -e ".[dev]" --config-settings editable_mode=strict
	rm -f $(VENV)/.installed-*
	touch $@

$(LINT_STAMP): tools/cypherlint/package-lock.json
	npm ci --prefix tools/cypherlint --no-audit --no-fund --loglevel=error

# The strict editable install links each module; relinking picks up modules added since.
setup: $(STAMP) $(LINT_STAMP)
	@$(BIN)/pip install --quiet --no-deps -e . --config-settings editable_mode=strict

demo: setup
	@echo "== Loading data/ into the embedded store at $(DEMO_STORE)"
	$(BIN)/agkg --store $(DEMO_STORE) ingest data/
	@echo; echo "== What the graph holds"
	$(BIN)/agkg --store $(DEMO_STORE) stats
	@echo; echo "== Example lookup: members of the Popular Mobilization Units"
	$(BIN)/agkg --store $(DEMO_STORE) members "PMU"

lint: setup
	$(BIN)/ruff check cli graph loaders queries tests bench
	$(BIN)/ruff format --check cli graph loaders queries tests bench

typecheck: setup
	cd build/__editable__.agkg-*/ && $(CURDIR)/$(BIN)/mypy -p agkg

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

# Benchmarks (figures in the README): ingest rate vs the engine's raw writes, lookups, incremental runs.
bench: setup
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/ingest_bench.py

bench-lookup: setup
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/lookup_bench.py

bench-incremental: setup
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/incremental_bench.py

clean:
	rm -rf $(VENV) build .agkg .pytest_cache .mypy_cache .ruff_cache .hypothesis tools/cypherlint/node_modules
