# `make run` and `make test` set everything up on a fresh machine (Python 3.11+ and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The address every link of `make run` is built from (see PUBLIC_URL in the README).
PUBLIC_URL ?= http://127.0.0.1:$(PORT)
# A developer's machine: a secret key is generated into instance/ (DIRECTORY_DEV=1); a
# server elsewhere must be given SECRET_KEY and PUBLIC_URL.
FLASK := DIRECTORY_DEV=1 $(BIN)/flask --app app
STAMP := $(VENV)/.installed
# npm ci rewrites this file: it marks node_modules/ as installed from package-lock.json.
NODE_STAMP := node_modules/.package-lock.json
ICONS := static/icons/sprite.svg
MINIFIED_CSS := static/css/site.min.css

.PHONY: icons css run test lint install browser-deps screenshots translations-compile translations-update db reset clean bench relevance prod-check lighthouse

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --constraint constraints.txt --editable ".[test]"
	touch $(STAMP)

install: $(STAMP) translations-compile $(ICONS) $(MINIFIED_CSS)

## The minified copy of each stylesheet (static/css/site.min.css from site.css, rcssmin), linked
## by the pages instead of the source when MINIFIED_CSS is on and the copy is current. Not
## committed; the deployment steps run the same command (README: Run it in production).
$(MINIFIED_CSS): $(filter-out %.min.css,$(wildcard static/css/*.css)) tools/minify_css.py directory/static_files.py | $(STAMP)
	$(BIN)/python -m tools.minify_css
	touch $@

css: $(STAMP)
	$(BIN)/python -m tools.minify_css

## The pictograms (directory/pictograms.py) gathered from Lucide's npm package (lucide-static,
## package.json) into one sprite, static/icons/sprite.svg, with its licence. The sprite is
## committed, so that serving needs no Node.js: without node_modules/ the committed one is kept.
$(ICONS): directory/pictograms.py tools/build_icons.py package-lock.json | $(STAMP)
	@if [ -d node_modules/lucide-static ]; then $(BIN)/python -m tools.build_icons; \
	else echo "node_modules/lucide-static is missing (npm ci): keeping the committed $@"; fi

icons: $(NODE_STAMP) $(STAMP)
	$(BIN)/python -m tools.build_icons

## What the browser tests need besides Python: Debian's Chromium (installed by .ci/chromium
## when missing and run as root) and axe-core from the npm registry (package-lock.json).
browser-deps: $(NODE_STAMP)
	.ci/chromium

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Retake the README's screenshots (docs/screenshots/) in headless Chromium.
screenshots: install browser-deps
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_screenshots.py

translations-compile: $(STAMP)
	$(BIN)/pybabel compile --directory translations --statistics

## Extract messages and merge them into the French and English catalogues.
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project=directory -o translations/messages.pot directory templates
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
		--ignore-obsolete --no-fuzzy-matching
	$(FLASK) translations fill-english

db: install
	SEARCH_REBUILD_ON_START=0 $(FLASK) init-db
	SEARCH_REBUILD_ON_START=0 $(FLASK) seed --if-empty
	SEARCH_REBUILD_ON_START=0 $(FLASK) reindex --if-needed

run: db
	PUBLIC_URL=$(PUBLIC_URL) $(FLASK) run --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive directory --severity-level medium

## The whole suite on SQLite, then again on PostgreSQL (installed and started by .ci/postgres
## when run as root; elsewhere set TEST_POSTGRES_URL, or the pass is reported as not run,
## which fails when REQUIRE_POSTGRES=1, as in CI). The browser tests (tests/browser) check
## pages, forms and scripts, not the database: they run in the SQLite pass only.
## Each pass runs on PYTEST_WORKERS processes (pytest-xdist), a test file per process at a
## time (--dist loadfile: a file's module fixtures are made once, its tests keep their
## order); PYTEST_WORKERS=0 runs them one after the other in one process, to debug.
PYTEST_WORKERS ?= 2
PYTEST_XDIST := -n $(PYTEST_WORKERS) --dist loadfile
test: install lint browser-deps
	$(BIN)/pytest $(PYTEST_XDIST)
	@if url=$$(.ci/postgres); then \
		echo "PostgreSQL pass on $$url"; \
		TEST_DATABASE_URL=$$url $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_XDIST) \
			--ignore=tests/browser; \
	elif [ "$${REQUIRE_POSTGRES:-0}" = 1 ]; then \
		echo "PostgreSQL is required here but could not be started." >&2; exit 1; \
	else \
		echo "PostgreSQL pass NOT RUN (see above); the SQLite pass succeeded."; \
	fi

## The production stack of deploy/ started for real on this machine, without systemd:
## PostgreSQL (.ci/postgres, database directory_prod_check), gunicorn with 4 workers and
## deploy/libre-assos.env.example's settings, Caddy with deploy/caddy/Caddyfile and an internal
## certificate for directory.test (.ci/caddy installs it), aiosmtpd as the mail relay; then
## checked through the proxy over HTTPS (see deploy/check/prod_check.py). As root; about 1 min.
prod-check: install
	.ci/caddy
	PYTHONPATH=. $(BIN)/python -m deploy.check

## Benchmarks (bench/): every figure at 1,000, 10,000 and 100,000 providers, about 15 minutes
## on 2 cores; BENCH_SIZES=1000,10000 for fewer. Installs wrk with apt-get when missing (root).
BENCH_SIZES ?= 1000,10000,100000
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| echo "wrk is missing: throughput figures will be skipped (apt-get install wrk)" >&2
	BENCH_SIZES=$(BENCH_SIZES) PYTHONPATH=. $(BIN)/python -m bench

## Relevance of the search on the seed data: the judged queries of
## bench/relevance/judgements.json through the search page of a fresh app; prints P@5, R@10,
## MRR and the failing queries (a measurement: exits 0 whatever the figures).
relevance: install
	PYTHONPATH=. $(BIN)/python -m bench.relevance

## Lighthouse (pinned in package.json, in Debian's Chromium) on a fresh seeded server started
## on LIGHTHOUSE_PORT (5097) and stopped at the end: the four scores, LCP, CLS and TBT of the
## home, results, provider and application pages, the questionnaire (first step, tools step,
## results), the request and report forms, mobile and desktop, the worst of LIGHTHOUSE_RUNS
## runs (2) each (LIGHTHOUSE_PAGES=help,report for some). About 15 minutes; a measurement,
## not part of `make test`.
lighthouse: install browser-deps
	PYTHONPATH=. $(BIN)/python -m bench.lighthouse

## Delete the local database, index, uploads and emails (recreated by `make run`).
reset:
	rm -rf instance

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis node_modules test-results
	find translations -name '*.mo' -delete
