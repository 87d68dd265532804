# The two set-up commands: `make run` and `make test`. Everything is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: install run serve static test test-quick lint migrate clean screenshots loadtest bench

# What the site needs to run; reinstalled whenever requirements.txt changes.
$(VENV)/installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# What the tests, lint and screenshots add (requirements-dev.txt includes requirements.txt);
# reinstalled whenever either file changes.
$(VENV)/installed-dev: $(VENV)/installed requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# GOV.UK Frontend, Sass and axe-core, exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The compiled stylesheet and GOV.UK Frontend's JavaScript, fonts and images, served as static files.
FRONTEND := build/static
GOVUK_FRONTEND := node_modules/govuk-frontend/dist/govuk
build/frontend-built: node_modules/.installed $(wildcard frontend/*.scss)
	rm -rf $(FRONTEND)
	mkdir -p $(FRONTEND)/css $(FRONTEND)/govuk-frontend
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules --quiet-deps \
		frontend/app.scss $(FRONTEND)/css/app.css
	cp -R $(GOVUK_FRONTEND)/assets $(GOVUK_FRONTEND)/govuk-frontend.min.js $(GOVUK_FRONTEND)/govuk-frontend.min.js.map \
		$(FRONTEND)/govuk-frontend/
	touch $@

install: $(VENV)/installed build/frontend-built

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
# The address the feed and the content API write their absolute URLs with.
serve: export SITE_URL ?= http://127.0.0.1:8000
serve: migrate static
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/gunicorn network.wsgi  # with gunicorn.conf.py's settings

# 64 connections for 30 seconds against the production server on this machine, with the site's
# own database. The preparation runs in development mode; tools/loadtest.py serves in production mode.
loadtest: export DEBUG ?= true
loadtest: migrate static
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python -m tools.loadtest

# The benchmark (docs/performance.md): the production server on loopback addresses, with its own
# databases under .bench/. CACHE_URL sets the page cache (default each process's memory).
bench: install
	$(BIN)/python -m tools.benchmark

test: install $(VENV)/installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: everything but the drills that start real servers, processes and databases,
# and the browser tests (the markers are in pyproject.toml). CI runs `make test`.
test-quick: install $(VENV)/installed-dev
	$(BIN)/python -m pytest -m "not drill and not browser" $(PYTEST_ARGS)

# The README's screenshots, served from a throwaway database with the demo content: the page at two
# widths, and a draft (made in the admin, as an editor makes one): its preview and its page.
screenshots: export DEBUG = true
screenshots: export DATABASE_URL = sqlite:///$(CURDIR)/build/screenshots.sqlite3
screenshots: install $(VENV)/installed-dev
	rm -f build/screenshots.sqlite3
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python -m tools.take_screenshots docs

lint: $(VENV)/installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache .bench
