# The two set-up commands: `make run` and `make test`. Everything is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: install run serve static test lint migrate clean loadtest

# Reinstalled whenever requirements.txt changes.
$(VENV)/installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/installed

migrate: install
	$(BIN)/python manage.py migrate --no-input

# The development server: DEBUG is on unless the environment or .env says otherwise.
run: export DEBUG ?= true
run: migrate
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST_PORT)

static: install
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0

# Production mode: DEBUG off, so SECRET_KEY must be set (environment or .env).
serve: export DEBUG = false
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
# Plain http on this machine; behind a TLS proxy leave HTTPS on (the settings' default).
serve: export HTTPS ?= false
serve: migrate static
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/gunicorn -c network/gunicorn.py network.wsgi

# 64 connections for 30 seconds against the production server on this machine. The preparation
# runs in development mode; scripts/loadtest.py runs the server in production mode.
loadtest: export DEBUG ?= true
loadtest: migrate static
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python scripts/loadtest.py

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
