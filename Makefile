# Rifd: two commands for a new machine.
#   make run   create .venv, install, seed the demo association, serve on 127.0.0.1:$(PORT)
#   make dev   the same with Flask's reloading development server
#   make test  install what the tests need (system packages too when root), run them on
#              every core; one file: make test PYTEST_ARGS="tests/x.py" (add -n 0 to debug)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
RIFD_DATA ?= $(CURDIR)/instance/data
export RIFD_DATA
# Python keeps each module's compiled code in __pycache__ (git ignores it). Where the
# environment says not to (PYTHONDONTWRITEBYTECODE), every process compiled Rifd again and
# every test worker rewrote every test file: 18 s of CPU before a worker's first test.
unexport PYTHONDONTWRITEBYTECODE

# Debian packages the browser tests need (installed by `make test` when root), and
# PostgreSQL, whose throwaway cluster the store's tests start (its initdb is not on PATH).
SYSTEM_PACKAGES := chromium:chromium chromium-driver:chromedriver fonts-noto-core nodejs:node libreoffice-writer-nogui:soffice fonts-hosny-amiri fonts-kacst poppler-utils:pdftotext python3-uno postgresql

.PHONY: run dev test install install-dev system-deps lint format bench translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# A catalogue is compiled when it changed, into a file renamed into place: `make run` in the
# test suite must not rewrite one while other test workers read it.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations: $(CATALOGUES)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@.tmp >/dev/null
	mv $@.tmp $@

# gunicorn with several workers (gunicorn.conf.py); `make dev` reloads on every change.
run: install
	$(BIN)/flask --app app seed
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py

dev: install
	$(BIN)/flask --app app seed
	$(BIN)/flask --app app run --debug --host 127.0.0.1 --port $(PORT)

system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

test: install-dev system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python -m bench.bench_forms
	$(BIN)/python -m bench.bench_store

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
