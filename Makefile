# Hebu: two commands on a fresh machine.
#   make run   – install, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test  – install what the tests need (incl. Debian chromium) and run the whole suite
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: run serve install test test-fast lint i18n-extract i18n-check bench clean system-deps node-deps

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/hebu: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $(BIN)/hebu

install: $(BIN)/hebu

run: install
	@bash scripts/system-deps.sh search || true
	$(BIN)/hebu i18n compile
	$(BIN)/hebu db upgrade
	$(BIN)/hebu demo
	$(BIN)/hebu serve

serve: run

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules/.installed

node-deps: node_modules/.installed

# Debian packages the tests use: chromium (browser tests), PostgreSQL server (already on
# the base image). Installed only when missing and apt-get is usable.
system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests migrations bench scripts
	$(BIN)/lint-imports

test: install node-deps system-deps
	$(BIN)/hebu i18n compile
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=40

# Fast subset for iteration: no browser, SQLite only.
test-fast: install
	$(BIN)/pytest -x -q -m "not browser and not postgres" -p no:randomly

# The plain-language catalogues (fi@selko, sv@latt) are sparse and hand-kept: `pybabel update`
# would fill them with empty entries (an empty plural shadows its base language), so they are
# not updated here; tests/test_i18n_selko.py and test_i18n_lattlast.py list what is missing
# or stale after an extract. `hebu i18n compile` compiles every catalogue.
i18n-extract: install
	$(BIN)/pybabel extract -F app/i18n/babel.cfg -k lazy_gettext -k _ -k gettext -k ngettext:1,2 -k pgettext:1c,2 --no-location --sort-output --omit-header -o app/i18n/messages.pot .
	for l in fi sv en; do $(BIN)/pybabel update -i app/i18n/messages.pot -d app/i18n -D messages -l $$l --no-fuzzy-matching --ignore-obsolete -w 100; done

bench: install node-deps
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/*.db*
