# Newsline: `make run` runs it, `make test` tests it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint eval bench bench-extract bench-api browser clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/newsline up

test: $(STAMP) browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy lib services

# Precision, recall and F1 per language on the development set (eval/dev/).
eval: $(STAMP)
	$(BIN)/python eval/run.py

# Benchmarks write their figures to bench/results/.
bench: bench-extract bench-api

bench-extract: $(STAMP)
	$(BIN)/python bench/extract_bench.py

bench-api: $(STAMP)
	$(BIN)/python bench/api_bench.py

# Debian's chromium for the dashboard's browser tests, installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "could not install chromium: browser tests will fail with a clear message"; }

clean:
	rm -rf $(VENV) .data
