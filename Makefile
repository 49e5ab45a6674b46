# Two commands: `make run` serves the demo network, `make test` checks everything.
# Both install what is missing first (Debian packages, virtualenv, npm assets,
# translations, the project-local PostgreSQL cluster), and are quick when nothing is.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PGPORT ?= 55432
DB_NAME ?= cities
TEST_DB_NAME ?= cities_test
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export PGPORT
# Some machines set this; without cached bytecode every command spends ~2 s compiling.
unexport PYTHONDONTWRITEBYTECODE

# Settings read these; the Makefile is the only place the local defaults live.
export DATABASE_URL ?= postgis://postgres@127.0.0.1:$(PGPORT)/$(DB_NAME)
export TEST_DATABASE_NAME ?= $(TEST_DB_NAME)
# A local run: generated keys in .data/, in-process tasks without REDIS_URL, console
# email. Without it (and without DEBUG) a process refuses to start on those fallbacks.
export LOCAL_DEFAULTS ?= 1

PO_FILES := $(shell find tenants shared_apps tenant_apps platform -path '*/locale/*' -name '*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)
VENDOR := shared_apps/core/static/vendor/.built

.PHONY: help run test stop bench setup system-deps system-deps-test db messages lint typecheck pytest \
        lock makemessages test-fresh shell infra-check

help:
	@echo "make run    - set up everything and serve the demo network on http://localhost:$(PORT)"
	@echo "make test   - set up everything, then ruff, mypy and pytest"
	@echo "make stop   - stop the project's PostgreSQL"
	@echo "make bench  - run the benchmarks and print their figures"

## ---- set-up (idempotent) ----------------------------------------------------

system-deps:
	@scripts/system-deps.sh base

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==0.13.9 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	@$(VENV)/bin/uv pip sync -q --compile-bytecode --python $(PY) requirements.lock
	@$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR): node_modules/.installed scripts/assets.sh
	@scripts/assets.sh

%.mo: %.po
	@msgfmt --check-format -o $@ $<

messages: $(MO_FILES)

db: system-deps
	@scripts/db.sh start

setup: system-deps $(VENV)/.installed $(VENDOR) messages db
	@mkdir -p staticfiles

## ---- the two commands -------------------------------------------------------

run: setup
	@scripts/db.sh ensure $(DB_NAME)
	@$(PY) manage.py migrate_schemas --shared --noinput -v 0
	@$(PY) manage.py migrate_standby_schemas --fill -v 0
	@$(PY) manage.py migrate_territories -v 0
	@# Same PLATFORM_PORT as the server: the demo's signed badges carry their URLs.
	@PLATFORM_PORT=$(PORT) $(PY) manage.py load_demo
	@echo "Serving the network on http://localhost:$(PORT) (territories on http://<slug>.localhost:$(PORT))"
	@DEBUG=1 PLATFORM_PORT=$(PORT) $(PY) manage.py runserver 0.0.0.0:$(PORT)

test: setup system-deps-test lint typecheck infra-check pytest

# 1EdTech's Open Badges 2.0 validator in its own virtualenv (its pins are old): the
# conformance tests run it by subprocess against a live test server.
BADGECHECK := .data/badgecheck
$(BADGECHECK)/.installed: scripts/badgecheck-requirements.txt | $(VENV)/.installed
	@rm -rf $(BADGECHECK) && $(PYTHON) -m venv $(BADGECHECK)
	@$(VENV)/bin/uv pip install -q --python $(BADGECHECK)/bin/python --no-deps \
		-r scripts/badgecheck-requirements.txt
	@touch $@

system-deps-test:
	@scripts/system-deps.sh base test

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The layer contracts ([tool.importlinter] in pyproject.toml, README "Architecture").
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy .

# No connection pool in tests: pytest-django creates and drops the test database.
# PYTEST_WORKERS=2: pytest-xdist workers, each with its own test database
# (cities_test_gw0...) and server ports; a file's tests, and the browser package, stay
# in one worker (tests/conftest.py). 0: one process. Two by default: on this 2-core
# machine the suite took 471 s with two workers and 664 s in one process (same code,
# same hour, nothing else running; README "Test time").
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadgroup)
pytest: setup $(BADGECHECK)/.installed
	DB_POOL=0 $(VENV)/bin/pytest -q $(PYTEST_PARALLEL)

# The edit loop: lint, mypy and the tests without a browser or slow ones (make test
# still runs everything).
.PHONY: test-fast
test-fast: setup lint typecheck
	DB_POOL=0 $(VENV)/bin/pytest -q -m "not browser and not slow"

# Recreate the test database from scratch (use after rewriting an existing migration).
test-fresh: setup $(BADGECHECK)/.installed
	DB_POOL=0 $(VENV)/bin/pytest -q --create-db

stop:
	@scripts/db.sh stop

# Infrastructure as code (terraform/): formatting, and a static scan by checkov, which
# lives in its own virtualenv (its dependency tree must not touch requirements.lock).
# Providers cannot be downloaded here, so `terraform validate` cannot run (see
# terraform/README.md). Every finding is fixed or skipped in the .tf file with a reason.
CHECKOV_VERSION := 3.3.30
CHECKOV := .data/tools/checkov-$(CHECKOV_VERSION)/bin/checkov

# Order-only: a project dependency change must not rebuild this separate environment.
$(CHECKOV): | $(VENV)/.installed
	@$(VENV)/bin/uv venv -q --clear --python $(PYTHON) .data/tools/checkov-$(CHECKOV_VERSION)
	@$(VENV)/bin/uv pip install -q --python .data/tools/checkov-$(CHECKOV_VERSION)/bin/python \
		checkov==$(CHECKOV_VERSION)

infra-check: $(CHECKOV)
	@if command -v terraform >/dev/null 2>&1; then \
		TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive -diff terraform \
		&& echo "terraform fmt: terraform/ is formatted"; \
	else \
		echo "terraform fmt: SKIPPED, no terraform binary on this machine"; \
	fi
	@$(CHECKOV) -d terraform --framework terraform --quiet --compact --skip-download \
		2> >(grep -v -e 'CLI configuration' -e terraformrc -e '^[│╷╵]' >&2)

## ---- the rest ---------------------------------------------------------------

# Every bench/bench_*.py prints its figures; results are also written to bench/results/.
bench: setup
	@scripts/system-deps.sh bench
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lock:
	@$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev --python-version 3.11 \
		--no-header --annotation-style line -o requirements.lock

makemessages: $(VENV)/.installed
	@$(PY) scripts/makemessages.py

shell: setup
	@$(PY) manage.py shell

# Faults under load (issue #15): Redis stopped and frozen, PostgreSQL restarted, the
# Celery worker killed; prints failed requests, recovery seconds and lost writes.
# It restarts this checkout's PostgreSQL: run it when nothing else uses that cluster.
.PHONY: chaos
chaos: setup system-deps-test
	@$(PY) bench/bench_chaos.py

# Line coverage of the whole suite (not part of `make test`: measuring slows it down).
# Code run only inside the live servers (gunicorn, Celery workers started by tests) is
# not measured, so the figures are a lower bound. Per package, then the total.
# COVERAGE_ARGS narrows the run, e.g. COVERAGE_ARGS='-m "not browser and not slow"'.
COVERAGE_ARGS ?=
.PHONY: coverage
coverage: setup system-deps-test $(BADGECHECK)/.installed
	@status=0; DB_POOL=0 $(VENV)/bin/pytest -q --cov --cov-report= $(COVERAGE_ARGS) || status=$$?; \
		$(PY) scripts/coverage_packages.py; exit $$status

# Screenshots of the main pages at 1366 and 390 px (docs/screenshots/, shown in the
# README): Chromium over the browser tests' live demo territory.
.PHONY: screenshots
screenshots: setup
	DB_POOL=0 $(VENV)/bin/pytest -q -s tests/browser/screenshots.py

# The app-level import graph's cycles (scripts/import_cycles.py; README "Layers and the
# import contracts"); LAYERS_ARGS=-v also prints every app's imports of other apps.
LAYERS_ARGS ?=
.PHONY: layers
layers: $(VENV)/.installed
	$(PY) scripts/import_cycles.py $(LAYERS_ARGS)
