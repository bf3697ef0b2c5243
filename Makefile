# The two commands of the README do all the set-up on a fresh machine:
#   make run   — install, then solve the Laval Agglomération 2016 scenarios (poles; service commun + poles)
#   make test  — install, lint, then run the whole test suite in parallel (pytest-xdist)
# and for the edit loop:
#   make test-fast — the suite without the tests marked slow (real data, notebooks, long solves)
#   make lint      — ruff check (configured in pyproject.toml)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
# Test workers: one per core. --dist worksteal hands each worker a contiguous half of the suite
# (a test file's shared fixture, a solved scenario or a sweep, is mostly computed once) and lets
# an idle worker take tests from the other's queue, so one long file does not end the run alone.
# More pytest options: make test PYTEST_ARGS="--durations=30"
# Bytecode is written even where the environment sets PYTHONDONTWRITEBYTECODE: the suite starts
# dozens of Python processes (the workers, CLI subprocesses, notebook kernels, pool workers), and
# without .pyc files each compiles the package again and each worker re-does pytest's assertion
# rewriting of every test module (4-5 CPU-seconds a worker). The files go to __pycache__ folders,
# which git ignores.
WORKERS ?= auto
PYTEST_ARGS ?=
PYTEST   = PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

.PHONY: install browser run lint test test-fast bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/optimiser run scenarios/laval-2016.yaml --out results/laval-2016
	$(BIN)/optimiser run scenarios/laval-2016-service-commun.yaml --out results/laval-2016-service-commun

# The HTML report tests render report.html in headless Chromium (Debian's package): install it
# once, only if it is missing (sudo only when not root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .

test: install browser lint
	$(PYTEST)

test-fast: install lint
	$(PYTEST) -m "not slow"

bench: install
	$(BIN)/python benchmarks/poles.py
	$(BIN)/python benchmarks/services.py

clean:
	rm -rf $(VENV) results .pytest_cache
