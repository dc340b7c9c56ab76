# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-quick chaos sysdeps clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

# Debian packages: the CJK font for pay slips and charts, chromium for the browser tests.
sysdeps:
	@bash scripts/sysdeps.sh

run: $(STAMP) sysdeps
	$(BIN)/microfactory run

# Three test processes on two cores: the end-to-end and browser tests spend much of their time waiting on the
# processes they start, and with two the machine stood idle nearly half the suite (18 min of CPU in 18 min).
test: $(STAMP) sysdeps lint
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 3 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Every figure in one run: bench/results.json and docs/benchmarks.md (~25 minutes on two cores; bench-quick shorter).
bench: $(STAMP) sysdeps
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-quick: $(STAMP) sysdeps
	$(BIN)/python -m bench.run --quick $(BENCH_ARGS)

chaos: $(STAMP) sysdeps
	$(BIN)/python -m bench.chaos

clean:
	rm -rf var/*.db var/*.db-* var/logs
