# Set-up and everyday commands. `make run` and `make test` work on a fresh
# machine with Python 3.11: they create .venv and install what they need.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the demo's e-mails and footer point at the address `make run`
# serves on, unless PORTAL_URL is set in the environment.
PORTAL_URL ?= http://$(HOST):$(PORT)

.PHONY: e2e reliability run test lint format migrate demo messages catalogs smoke clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Compiled catalogs (.mo) are build output: `run` and `test` compile them
# with Babel, so GNU gettext is only needed to extract messages.
catalogs: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py compile_catalogs

# Extract new and changed strings of the portal (not of the tests) into
# locale/de/LC_MESSAGES/django.po.
# Needs xgettext from GNU gettext (apt-get install gettext).
messages: $(VENV)/.installed
	@command -v xgettext >/dev/null || { echo "xgettext not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	DEBUG=true $(BIN)/python manage.py makemessages --locale de --no-obsolete \
		--add-location file --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --ignore 'tests/*'
	DEBUG=true $(BIN)/python manage.py compile_catalogs

run: $(VENV)/.installed catalogs
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py demo
	DEBUG=true PORTAL_URL=$(PORTAL_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production-style stack without Docker: gunicorn (DEBUG off), Celery worker
# and beat, an SMTP sink, against the local PostgreSQL and Redis. Recreates the
# database ccc_smoke and flushes Redis DB 15 (SMOKE_DATABASE_URL and
# SMOKE_REDIS_URL change them); serves on 127.0.0.1:18880-18881 (SMOKE_PORT).
smoke: $(VENV)/.installed catalogs
	$(BIN)/python scripts/smoke.py

# Benchmark of the requests overview on PostgreSQL with 100,000 seeded requests
# (docs/benchmarks.md). BENCH_DATABASE_URL names the database; it is seeded on
# the first run.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var

# Browser journeys, accessibility and layout in Debian's Chromium (Playwright).
# Screenshots go to test-artifacts/screenshots/.
E2E_PORT ?= 18950
e2e: $(VENV)/.installed catalogs
	E2E=1 $(BIN)/python -m pytest tests/e2e --liveserver $(HOST):$(E2E_PORT) $(PYTEST_ARGS)

# Load, concurrency and fault runs against gunicorn, a Celery worker and a
# PostgreSQL and Redis of their own; prints its figures against budgets.
reliability: $(VENV)/.installed catalogs
	$(BIN)/python reliability/run.py $(RELIABILITY_ARGS)
