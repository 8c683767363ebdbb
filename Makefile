# noticepub: the two commands of the README are `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.noticepub-installed

.PHONY: site test serve install chromium gettext docs-check lint linkcheck mdlint pytest clean

# Create the venv and install the pinned dependencies (torch's CPU build first: a plain `torch`
# requirement would pull a multi-GB CUDA build).
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## Build the whole site: source_texts/ -> docs/ (zh-Hans, zh-Hant, en) -> site/
site: $(STAMP) gettext
	$(BIN)/noticepub build
	$(BIN)/noticepub site

## Preview site/ with the three languages under /, /zh-Hant/ and /en/, rebuilt incrementally on edits
## (ADDR=127.0.0.1:8000 by default; LANG_PREVIEW=zh-Hant|en also prints that language's address)
serve: $(STAMP)
	$(BIN)/noticepub build
	$(BIN)/noticepub serve --addr $(or $(ADDR),127.0.0.1:8000) --lang $(or $(LANG_PREVIEW),zh-Hans)

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# GNU msgfmt (Debian's gettext) checks every en.po before a build reads it.
gettext:
	@command -v msgfmt >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext >/dev/null; }

## Run the whole suite: pytest (unit, end-to-end, engine, browser), lint, build determinism, link check
test: $(STAMP) chromium gettext
	$(BIN)/ruff check scripts tests
	$(BIN)/noticepub build
	$(BIN)/noticepub build --check --full
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory mdlint
	$(BIN)/noticepub site
	$(BIN)/python -m noticepub.linkcheck site

mdlint: $(STAMP)
	$(BIN)/pymarkdown --config .pymarkdown.json scan --recurse docs

docs-check: $(STAMP) gettext
	$(BIN)/noticepub build
	$(BIN)/noticepub build --check --full

clean:
	rm -rf site .noticepub-cache test-artifacts .pytest_cache
