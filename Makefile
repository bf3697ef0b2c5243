# The two commands of the README do all the set-up on a fresh machine:
#   make run   — install, then solve the default scenario (Laval Agglomération, 2016 perimeter)
#   make test  — install, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/optimiser run scenarios/laval-2016.yaml --out results/laval-2016

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/poles.py

clean:
	rm -rf $(VENV) results .pytest_cache
