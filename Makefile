# The two commands a newcomer needs: `make serve` and `make test`.
# Both set up everything on a fresh machine: a virtual environment with pinned packages,
# and (for tests) Debian's chromium, postgresql, nginx and wrk.

VENV    := .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup system serve build check test lint typecheck bench-smoke demo-results messages clean

$(STAMP): pyproject.toml constraints.txt
	PYTHON=$(PYTHON) bash scripts/system-deps.sh venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

system:
	bash scripts/system-deps.sh

serve: setup
	$(BIN)/portal serve

build: setup
	$(BIN)/portal build

check: setup
	$(BIN)/portal check

lint: setup
	$(BIN)/ruff check plugins tests bench
	$(BIN)/ruff format --check plugins tests bench

typecheck: setup
	$(BIN)/mypy

# The Nu HTML Checker for tests/a11y (npm's vnu-jar, pinned in tools/vnu/package-lock.json);
# --ignore-scripts: its install script would download a Java of its own, Debian's is used.
VNU := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU): tools/vnu/package.json tools/vnu/package-lock.json
	cd tools/vnu && npm ci --no-audit --no-fund --ignore-scripts
	touch $(VNU)

# Lighthouse 12.2 for tests/a11y/test_lighthouse.py and bench/lighthouse.py (npm, pinned in
# tools/lighthouse/package-lock.json). --ignore-scripts: nothing may download a browser;
# Lighthouse runs Debian's chromium (CHROME_PATH), and it depends on puppeteer-core, not
# puppeteer, which would fetch one.
LIGHTHOUSE := tools/lighthouse/node_modules/lighthouse/cli/index.js
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --ignore-scripts
	touch $(LIGHTHOUSE)

test: setup system $(VNU) $(LIGHTHOUSE) lint typecheck
	$(BIN)/portal check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench-smoke: setup
	$(BIN)/python bench/smoke.py

# The demo's published results: demonstration responses from a fixed seed, stored in a
# temporary database and published with 'portal review' and 'portal results' (commit them).
demo-results: setup
	$(BIN)/python scripts/demo-results.py

# The portal's own words (portal.i18n): extract the English messages from the engine's code
# and templates into portal.pot, then add new ones to every catalogue for translators.
# tests/i18n fails while a catalogue lacks a translation of any message.
I18N := plugins/portal/i18n
messages: setup
	$(BIN)/pybabel extract -F $(I18N)/babel.cfg -k _ -k plural:1,2 -k to_translate \
	  --no-location --sort-output --omit-header -w 100 -o $(I18N)/portal.pot plugins theme
	$(BIN)/pybabel update -D portal -i $(I18N)/portal.pot -d $(I18N)/locale \
	  -w 100 --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf site var .pytest_cache .mypy_cache .ruff_cache
