# The two commands: `make run` and `make test` (see README). `make bench` runs bench/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/base.txt requirements/dev.txt | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
# Tests and checks never need a real secret; production must set SECRET_KEY.
TEST_ENV := SECRET_KEY=test-only-not-a-secret STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
DEV_ENV := DEBUG=true
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck check-migrations pytest bench messages setup clean

setup: $(STAMP) messages

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

messages: $(STAMP)
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --verbosity 0

run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_units
	$(DEV_ENV) $(MANAGE) load_demo
	$(DEV_ENV) $(MANAGE) load_petition_demo
	$(DEV_ENV) $(MANAGE) load_meeting_demo
	$(DEV_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(DEV_ENV) $(MANAGE) demo_logins
	$(DEV_ENV) $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(TEST_ENV) $(BIN)/mypy .

check-migrations: $(STAMP)
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run

pytest: setup
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck check-migrations pytest

bench: setup
	$(TEST_ENV) $(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
