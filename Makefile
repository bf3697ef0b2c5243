# The two commands of the README do all the set-up on a fresh machine:
#   make run   — install, then solve the default scenario (Laval Agglomération, 2016 perimeter)
#   make test  — install, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install browser run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/optimiser run scenarios/laval-2016.yaml --out results/laval-2016

# The HTML report tests render report.html in headless Chromium (Debian's package): install it
# once, only if it is missing (sudo only when not root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/poles.py

clean:
	rm -rf $(VENV) results .pytest_cache
