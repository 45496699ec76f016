# Two commands matter (see README):
#   make serve   build the site from what the repo holds and serve it on 127.0.0.1:8000
#   make test    run every test (installs what it needs first)
# Everything else is a building block of those two.

PYTHON ?= python3
# Material prints an end-of-life banner on every build; the README already says why versions are pinned.
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup browser test serve build build-properdocs fonts site check ingest translate-check bench lint clean

setup: $(STAMP)

# Reinstall when the pins change. requirements.lock pins the whole tree that CI tested.
# npm --ignore-scripts: vnu-jar's postinstall would download a Java runtime where none is
# found; Java comes from Debian's packages instead (make browser).
$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	npm ci --no-audit --no-fund --silent --ignore-scripts
	touch $(STAMP)

# Headless Chromium and its driver come from Debian's packages, never from a download at run time;
# so does the Java that runs the Nu HTML checker (vnu.jar, from npm) in tests/site/test_audits_browser.py.
# DejaVu Sans: the font of the preview cards (scidigest.site.cards, tests/site/test_cards.py).
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && command -v java >/dev/null 2>&1 && dpkg -s fonts-dejavu-core >/dev/null 2>&1; then :; else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver default-jre-headless fonts-dejavu-core >/dev/null; \
	fi

test: setup browser
	$(BIN)/python -m pytest -n 2 -q

lint: setup
	$(BIN)/ruff check scripts tests

# DejaVu Sans draws each article's preview card at build time (scidigest.site.pagecards).
fonts:
	@dpkg -s fonts-dejavu-core >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; }

build: setup fonts
	$(BIN)/mkdocs build --strict

# The same site built by ProperDocs, the maintained MkDocs 1.x (same venv; moving is this one line).
# tests/site/test_properdocs.py builds both ways and compares them file by file.
build-properdocs: setup fonts
	$(BIN)/properdocs build --strict -d build/properdocs-site

# The live preview (scidigest serve): one full build, then only what each save changes.
# Plain `mkdocs serve` works too (a full rebuild on every save).
serve: setup fonts
	$(BIN)/scidigest serve --dev-addr 127.0.0.1:8000

check: setup
	$(BIN)/scidigest check

ingest: setup
	$(BIN)/scidigest ingest

bench: setup
	$(BIN)/python -m scidigest.bench.ingest
clean:
	rm -rf site build .pytest_cache
