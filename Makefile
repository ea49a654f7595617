# Two commands for people: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Installs come from requirements.lock (exact versions, with hashes), so every fresh install is the one measured.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
LINT_STAMP := tools/cypherlint/node_modules/.package-lock.json
NEO4J_DIR := tools/neo4j-server
NEO4J_JAR := $(NEO4J_DIR)/target/agkg-neo4j-server-1.jar
BROWSER_STAMP := tools/browsercheck/node_modules/.package-lock.json
DEMO_STORE ?= $(CURDIR)/.agkg/demo
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup lock demo test lint typecheck pytest bench bench-lookup bench-incremental bench-startup bench-scale neo4j neo4j-server check-java chromium browsercheck clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e . --config-settings editable_mode=strict
	rm -f $(VENV)/.installed-*
	touch $@

$(LINT_STAMP): tools/cypherlint/package-lock.json
	npm ci --prefix tools/cypherlint --no-audit --no-fund --loglevel=error

# The Neo4j 5.26 Community server the suite runs its Neo4j leg against, from Maven Central (built once;
# Maven caches the jars in ~/.m2). Without Java or Maven the build stops here and says what to install.
check-java:
	@command -v java >/dev/null || { echo "error: Java 17+ is needed for the Neo4j test server: install it (Debian: apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
	@command -v mvn >/dev/null || { echo "error: Maven is needed to build the Neo4j test server: install it (Debian: apt-get install maven)" >&2; exit 1; }

$(NEO4J_JAR): $(NEO4J_DIR)/pom.xml $(wildcard $(NEO4J_DIR)/src/main/java/agkg/*.java)
	@$(MAKE) --no-print-directory check-java
	mvn -q -B -f $(NEO4J_DIR)/pom.xml package
	@touch $@

neo4j-server: $(NEO4J_JAR)

# A local Neo4j without Docker: runs in the foreground until Ctrl-C (data in build/neo4j, deleted at exit).
neo4j: setup neo4j-server
	$(BIN)/python tools/neo4j_server.py

$(BROWSER_STAMP): tools/browsercheck/package-lock.json
	npm ci --prefix tools/browsercheck --no-audit --no-fund --loglevel=error

# Debian's Chromium for the Neo4j Browser check (tests/test_neo4j_browser.py); installing it needs root.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -q && apt-get install -y -q chromium; } || { echo "error: install Chromium as root: apt-get install -y chromium" >&2; exit 1; }

browsercheck: chromium $(BROWSER_STAMP)

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

# Resolve the dependencies into requirements.lock, with hashes: what pyproject.toml changed, keeping every other
# pin it still allows (uv reads the existing lock as its preferences); UPGRADE=1 takes the newest of everything.
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu $(if $(UPGRADE),--upgrade) -o requirements.lock

lint: setup
	$(BIN)/python tools/check_lock.py
	$(BIN)/ruff check agkg/*.py cli graph loaders queries tests bench tools
	$(BIN)/ruff format --check agkg/*.py cli graph loaders queries tests bench tools

# mypy strict over the package, the tests and tools, and the benchmarks (scripts that import each other).
typecheck: setup
	cd build/__editable__.agkg-*/ && $(CURDIR)/$(BIN)/mypy -p agkg
	$(BIN)/mypy --explicit-package-bases tests tools
	cd bench && MYPYPATH=$(CURDIR) $(CURDIR)/$(BIN)/mypy --config-file ../pyproject.toml *.py

# The suite starts the Neo4j server itself (tests/conftest.py) unless NEO4J_URI names one.
pytest: setup neo4j-server browsercheck
	$(BIN)/pytest -q

test: lint typecheck pytest

# Benchmarks (figures in the README): ingest rate vs the engine's raw writes, lookups, incremental runs.
bench: setup neo4j-server
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/ingest_bench.py

bench-lookup: setup neo4j-server
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/lookup_bench.py

bench-incremental: setup neo4j-server
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/incremental_bench.py

# Start-up: `agkg --help` and `agkg profile` (server warm, then cold) next to `python -c pass`; the bench keeps
# its own server lingering between calls, as in an analyst's session, and stops it at the end.
bench-startup: setup
	$(BIN)/python bench/startup.py

# A million facts over 10,000 files on both back ends: about an hour on a quiet 2-core machine.
bench-scale: setup neo4j-server
	AGKG_EMBEDDED_LINGER=0 $(BIN)/python bench/scale_bench.py

clean:
	rm -rf $(VENV) build .agkg $(NEO4J_DIR)/target .pytest_cache .mypy_cache .ruff_cache .hypothesis tools/cypherlint/node_modules tools/browsercheck/node_modules
