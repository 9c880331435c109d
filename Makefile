# ccgraph: `make run` serves the bundled data on http://127.0.0.1:8000; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export CCGRAPH_STORE ?= oxigraph:var/store

.PHONY: run test install assets lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Front-end packages come from npm (package.json + lockfile) and are bundled locally.
assets:
	@if [ -f package.json ]; then \
	  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi; \
	  npm run --silent build; \
	fi

run: install assets
	$(BIN)/ccgraph bundle --if-empty --reason
	$(BIN)/ccgraph serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# The whole suite on the embedded store, then the service subset again on a real
# `oxigraph serve` (remote mode). pytest's exit 5 (nothing collected) fails the build.
# The suite runs on TEST_WORKERS pytest-xdist processes (0: none), each module on one worker
# so its server or store is built once: much of it waits on servers, deadlines and soaks.
# The remote subset takes seconds, less than starting the workers would (13 s against 15 s).
TEST_WORKERS ?= 2
test: install assets lint
	$(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile
	CCGRAPH_TEST_REMOTE=1 $(BIN)/pytest -q -p no:cacheprovider -m remote

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var build src/*.egg-info
