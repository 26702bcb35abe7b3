# Two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PYTHON_VERSION) || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_WORKERS ?= auto
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test test-fast quality install clean bench bench-grid bench-scale

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 ou plus récent est requis (voir .python-version).")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load référentiels, geography and demo data, start the worker and serve.
run: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py setup_demo
	@echo "Plateforme CléA : http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/python manage.py run_worker --interval 2 & \
	  $(BIN)/python manage.py run_scheduler & \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: the whole suite (SQLite by default; PostgreSQL when DATABASE_URL is set).
test: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n $(TEST_WORKERS)

## make quality: linters, migrations up to date, deployment checks with production-like settings.
quality: $(STAMP)
	@mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/djlint clea/templates --lint
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
	  ALLOWED_HOSTS=clea.example.org DEBUG=false $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python bench/run.py

## make bench-grid: 106 criteria filled by keyboard in Chromium, the wait after each key (issue 12).
bench-grid: $(STAMP)
	CLEA_BENCH_GRID=1 $(BIN)/pytest tests/e2e/test_grid_keyboard_bench.py -s -q -p no:randomly

## make bench-scale: pages under load at 10 000 then 100 000 dossiers (PostgreSQL, gunicorn, wrk); bench/README.md.
## Options through BENCH_SCALE_ARGS, e.g. make bench-scale BENCH_SCALE_ARGS="--sizes 2000,10000 --duration 5".
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py $(BENCH_SCALE_ARGS)

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
