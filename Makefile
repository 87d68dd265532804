# The two set-up commands: `make run` and `make test`. Everything is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: install run serve static test lint migrate clean bench

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
serve: migrate static
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/gunicorn -c network/gunicorn.py network.wsgi

# The benchmark (docs/performance.md): the production server on a loopback address, with its own
# databases under .bench/. BENCH_BIND sets the address; CACHE_URL the page cache (default locmem).
bench: install
	$(BIN)/python -m network.benchmark

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .bench
