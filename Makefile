# Two commands on a fresh machine (Python 3.11+ and make): `make site`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

# Material prints a long end-of-life banner on every build; the README covers it.
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: dates MkDocs writes (sitemap) come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

NODE_READY := node_modules/.ready
BENCH_READY := $(VENV)/.bench-ready

.PHONY: site serve test bench profile check clean

$(READY): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# Built beside site/ and moved into place only when the build succeeds: a failed build leaves the last
# good site/ as it was, never half a site.
site: $(READY)  ## build site/ with --strict (fails on any warning)
	@rm -rf site.new site.old
	$(BIN)/mkdocs build --strict --clean --site-dir site.new || { rm -rf site.new; exit 1; }
	@if [ -d site ]; then mv site site.old; fi; mv site.new site; rm -rf site.old

serve: $(READY)  ## live preview on 127.0.0.1:8000: after an edit, only the pages it changed are rendered
	@# MkDocs rebuilds on changes to docs/ and (through the plugin) notes/; a change to the
	@# generator's own code needs a fresh process, which watchmedo starts.
	$(BIN)/watchmedo auto-restart --directory=generator --recursive --patterns='**/*.py;**/*.j2;**/*.js' \
	  --signal SIGTERM -- $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

check: $(READY)  ## every finding in notes and project pages as path:line: level: message
	$(BIN)/caucus-site check

# Node tools for the checks (workflow linter); without npm those tests skip locally.
$(NODE_READY): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	 else echo "npm not found: the checks that need Node.js will be skipped" >&2; fi

# The CommonMark spec's examples, from the pinned markdown-it-py's source package: the tests render
# every example with references added and check that linking changes nothing else on the page.
SPEC := .cache/commonmark.json
$(SPEC): requirements.lock
	@mkdir -p .cache/sdist
	$(PIP) download --no-deps --no-binary :all: --dest .cache/sdist \
	  "$$(grep '^markdown-it-py==' requirements.lock)"
	tar -xzf .cache/sdist/markdown_it_py-*.tar.gz -O --wildcards '*/tests/test_cmark_spec/commonmark.json' > $@.tmp
	@mv $@.tmp $@

test: $(READY) $(NODE_READY) $(SPEC)  ## the whole test suite
	$(BIN)/python -m pytest

$(BENCH_READY): $(READY) requirements-bench.lock
	$(PIP) install -r requirements-bench.lock
	@touch $@

bench: $(BENCH_READY)  ## benchmark table (benchmarks/); Chromium and hugo figures need Debian's chromium and hugo
	$(BIN)/python -m benchmarks

profile: $(BENCH_READY)  ## where the generator's time goes (pyinstrument; `--mkdocs` for the whole build)
	$(BIN)/python -m benchmarks.profile $(ARGS)

clean:
	rm -rf site .pytest_cache .hypothesis node_modules .cache
