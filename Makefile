# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint bench setup messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Welsh pages read locale/cy/LC_MESSAGES/django.mo, compiled here from django.po
# (not kept in git) with GNU gettext's msgfmt: `apt-get install gettext` if it is missing.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: apt-get install gettext"; exit 1; }
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale cy --ignore .venv --ignore var --verbosity 0

setup: messages
	DEBUG=1 $(BIN)/python manage.py migrate --verbosity 0
	DEBUG=1 $(BIN)/python manage.py load_fellowships
	DEBUG=1 $(BIN)/python manage.py load_postcodes --if-empty
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=1 $(BIN)/python manage.py dev_admin --port $(PORT)

run: setup
	@echo "Serving Recovery Finder on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

# Each script uses its own database (DATABASE_URL, emptied first, or a temporary SQLite
# file), never the development one. Figures go in docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python bench/bench_geo.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_feeds.py

clean:
	rm -rf $(VENV) var
