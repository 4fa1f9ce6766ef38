# Newsline: `make run` runs it, `make test` tests it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installs come from the lock files (requirements/*.txt, made by `make lock` from
# pyproject.toml): `make run` installs only what running needs, `make test` adds the
# development tools. A stamp per lock's content reinstalls when a lock changes. The
# locks are complete (--no-deps: nothing to resolve); the runtime install skips
# byte-compiling (Python compiles what it imports, on first import).
RUN_STAMP := $(VENV)/.run-$(shell cat requirements/run.txt pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements/dev.txt pyproject.toml | cksum | cut -d' ' -f1)
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test lint eval bench bench-extract bench-api bench-pipeline browser clean lock

$(RUN_STAMP): requirements/run.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --no-deps --no-compile -r requirements/run.txt
	$(PIP) install --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) install --no-deps -e .
	@rm -f $(VENV)/.run-* && touch $@

$(DEV_STAMP): requirements/dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --no-deps -r requirements/dev.txt
	$(PIP) install --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) install --no-deps -e .
	@rm -f $(VENV)/.dev-* $(VENV)/.run-* && touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/newsline up

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy lib services

# Precision, recall and F1 per language on the development set (eval/dev/).
eval: $(RUN_STAMP)
	$(BIN)/python eval/run.py

# Benchmarks write their figures to bench/results/.
bench: bench-extract bench-api bench-pipeline

bench-extract: $(RUN_STAMP)
	$(BIN)/python bench/extract_bench.py

bench-api: $(DEV_STAMP)
	$(BIN)/python bench/api_bench.py

# The write path against raw PostgreSQL, 1-3 consumers (bench/results/pipeline.json).
bench-pipeline: $(DEV_STAMP)
	$(BIN)/python bench/pipeline_bench.py

# Re-resolve the lock files from pyproject.toml (needs the package index).
lock:
	@test -x .venv-lock/bin/pip-compile || { $(PYTHON) -m venv .venv-lock && \
	  .venv-lock/bin/pip install --quiet pip-tools==7.5.2; }
	.venv-lock/bin/pip-compile --quiet --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements/run.txt pyproject.toml
	.venv-lock/bin/pip-compile --quiet --strip-extras --no-emit-index-url \
	  --no-emit-find-links --extra dev -c requirements/run.txt -o requirements/dev.txt pyproject.toml

# Debian's chromium for the dashboard's browser tests, installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "could not install chromium: browser tests will fail with a clear message"; }

clean:
	rm -rf $(VENV) .venv-lock .data
