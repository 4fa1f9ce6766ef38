# Newsline: `make run` runs it, `make test` tests it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installs come from the lock files (requirements/*.txt, made by `make lock` from
# pyproject.toml): `make run` installs only what running needs, `make test` adds the
# development tools. A stamp per lock's content reinstalls when a lock changes. The
# locks are complete (--no-deps: nothing to resolve); the runtime install skips
# byte-compiling (Python compiles what it imports, on first import).
#
# The installer is uv (pinned below, fetched once into .tools/ with the system pip):
# it downloads and unpacks in parallel, which makes a cold `make run` about three times
# faster than pip. The locks stay plain pip files (the Dockerfile installs them with
# pip), and NEWSLINE_INSTALLER=pip, or uv failing to install, falls back to pip.
RUN_STAMP := $(VENV)/.run-$(shell cat requirements/run.txt pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements/dev.txt pyproject.toml | cksum | cut -d' ' -f1)
UV_VERSION := 0.13.9
UV := .tools/uv-$(UV_VERSION)/bin/uv
NEWSLINE_INSTALLER ?= uv
# uv must use this interpreter (never download one) and the locks as they are.
export UV_PYTHON_DOWNLOADS := never
# install LOCK: the venv (made if missing) gets exactly LOCK plus the project, editable.
install = requirements/install "$(PYTHON)" "$(VENV)" "$(NEWSLINE_INSTALLER)" "$(UV)" "$(UV_VERSION)" $(1)

$(RUN_STAMP): requirements/run.txt pyproject.toml requirements/install
	@$(call install,requirements/run.txt --no-compile)
	@rm -f $(VENV)/.run-* && touch $@

$(DEV_STAMP): requirements/dev.txt pyproject.toml requirements/install
	@$(call install,requirements/dev.txt)
	@rm -f $(VENV)/.dev-* $(VENV)/.run-* && touch $@ $(RUN_STAMP)

.PHONY: run test test-faults lint eval bench bench-extract bench-api bench-pipeline \
	bench-ingest-hardening bench-durability browser clean lock

run: $(RUN_STAMP)
	$(BIN)/newsline up

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest

# Faults on the whole stack as `make run` starts it: SIGKILLs, a Valkey restart, PostgreSQL
# stopped 150 s, poison entries, SIGTERM and restart; 2,400 articles each (tests/faults).
test-faults: $(DEV_STAMP)
	$(BIN)/python -m pytest -m faults tests/faults

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy lib services

# Precision, recall and F1 per language on the development set (eval/dev/).
eval: $(RUN_STAMP)
	$(BIN)/python eval/run.py

# Benchmarks write their figures to bench/results/.
bench: bench-extract bench-api bench-pipeline bench-ingest-hardening bench-durability

bench-extract: $(RUN_STAMP)
	$(BIN)/python bench/extract_bench.py

bench-api: $(DEV_STAMP)
	$(BIN)/python bench/api_bench.py

# The write path against raw PostgreSQL, 1-3 consumers (bench/results/pipeline.json).
bench-pipeline: $(DEV_STAMP)
	$(BIN)/python bench/pipeline_bench.py

# Issue 9's timings on a fresh ingest: cold start, a 1 MB article, 40 at once
# (bench/results/ingest_hardening.json).
bench-ingest-hardening: $(RUN_STAMP)
	$(BIN)/python bench/ingest_hardening_bench.py

# Accept rate and POST latency with and without the durable 202, side by side
# (bench/results/durability.json).
bench-durability: $(RUN_STAMP)
	$(BIN)/python bench/durability_bench.py

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
	rm -rf $(VENV) .venv-lock .tools .data
