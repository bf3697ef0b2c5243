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

# The install: 35-40 s from a fresh clone on this 2-core machine at load 4, 20 CPU-s (it was
# 2-3 min, 75-80 CPU-s, with pip: ensurepip, a pip self-upgrade, then pip fetching, unpacking and
# byte-compiling ~80 wheels one at a time).
# - The venv is made without pip (ensurepip spends 8 CPU-s installing a pip and a setuptools that
#   nothing uses); uv (pinned here, installed by the machine's pip, see below) installs the
#   project's pins in parallel (5 CPU-s), keeping the unpacked wheels in ~/.cache/uv.
# - uv does not read pip's configuration. Where uv cannot be installed or cannot reach its index
#   (only pip's configured mirrors), pip installs the same pins instead, slower (~55 CPU-s).
# - Nothing is byte-compiled at install: pip compiles all 6,900 files (pandas' own tests, debugpy,
#   every pygments lexer...), 40 CPU-s. One import of every module of the package, and of pytest,
#   writes the .pyc of the ~1,000 library modules they load (11 CPU-s, even where the environment
#   sets PYTHONDONTWRITEBYTECODE), so no `optimiser` run and no test worker compiles them again.
# - uv itself is installed once per machine and user, in ~/.cache/optimiser-uv/<version> beside
#   uv's own cache, and reused by every later clone: pip spends 4-5 CPU-s (15-25 s at load 4)
#   just to install it. A uv that is missing or does not answer is installed again (into a
#   temporary folder renamed into place, so two clones installing at once do not collide).
UV_VERSION = 0.13.8
UV_HOME   ?= $(HOME)/.cache/optimiser-uv/$(UV_VERSION)
UV         = $(UV_HOME)/bin/uv
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	{ $(UV) --version >/dev/null 2>&1 \
	  || { rm -rf $(UV_HOME); t=$(UV_HOME).part-$$$$; \
	       $(PYTHON) -m pip install --quiet --target $$t uv==$(UV_VERSION) \
	       && { mv -T $$t $(UV_HOME) 2>/dev/null || rm -rf $$t; }; }; } \
	  && $(UV) pip install --quiet --python $(BIN)/python -e '.[dev]' \
	  || { echo "uv could not install the project: pip installs it instead (slower)"; \
	       $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'; }
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -c 'import importlib, pkgutil, optimiser, pytest, xdist; \
	  [importlib.import_module(m.name) for m in pkgutil.walk_packages(optimiser.__path__, "optimiser.")]'
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
