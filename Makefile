# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint bench setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
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
