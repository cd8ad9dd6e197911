# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY := .venv/bin/python
# uv installs the locked packages; where it is not on the PATH it is bootstrapped into var/tools
# (a plain venv, so Debian's externally-managed system Python is never touched).
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
PORT ?= 8000
# Every link the portal writes (emails, feeds, invites, certificates) uses SITE_URL: it
# follows PORT unless it is set (in the environment or as `make run SITE_URL=...`).
SITE_URL ?= http://127.0.0.1:$(PORT)
# With no Stripe key, card payments go to a demonstration stand-in for Stripe on the next
# port (portal/payments/standin.py): no card, no money, and a paid booking still completes.
ifeq ($(STRIPE_SECRET_KEY),)
DEMO_STRIPE_PORT := $(shell echo $$(($(PORT) + 1)))
DEMO_STRIPE := STRIPE_SECRET_KEY=sk_test_standin STRIPE_WEBHOOK_SECRET=whsec_standin_test_secret \
  STRIPE_API_BASE=http://127.0.0.1:$(DEMO_STRIPE_PORT)
endif
# Development only: DEBUG on, development secrets kept under var/ (never in production).
DEV := DEBUG=1 SITE_URL='$(SITE_URL)' $(DEMO_STRIPE)

.PHONY: run test install install-test assets migrate demo lint ci worker bench clean prerequisites

# What a fresh Debian machine may lack, named as the packages that bring it.
APT_PACKAGES := python3-venv nodejs npm chromium

run: prerequisites install assets migrate demo ## install, migrate, load the demo and serve on PORT (8000) with a worker
	@$(DEV) $(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "  The portal is running at http://127.0.0.1:$(PORT)/ (staff area: /admin/)"
	@echo "  Links in emails, feeds and invites start $(SITE_URL)"
	$(if $(DEMO_STRIPE),@echo "  No Stripe keys: card payments go to a demonstration checkout on port $(DEMO_STRIPE_PORT)")
	@echo "  Press Ctrl+C to stop the web server and the task worker."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	  $(DEV) $(PY) manage.py qcluster & \
	  $(if $(DEMO_STRIPE),$(DEV) $(PY) manage.py demo_stripe $(DEMO_STRIPE_PORT) &) \
	  $(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

test: prerequisites install-test assets ## install what the tests need, then run the whole suite
	$(PY) -m pytest --numprocesses=auto --maxprocesses=4 --dist=loadgroup --durations=15

install: .venv/.installed
install-test: install
	@test -x /usr/bin/chromium || echo "note: the browser tests need Chromium, or they skip:" \
	  "apt-get install -y chromium (as root)"

# Stops before anything is installed, naming every missing system package at once.
prerequisites:
	@missing=""; \
	command -v python3 >/dev/null || missing="$$missing python3"; \
	if ! command -v uv >/dev/null && [ ! -x var/tools/bin/uv ]; then \
	  python3 -c "import ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	fi; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "This machine is missing:$$missing"; \
	  echo "On Debian, install what the portal and its tests need (as root) with:"; \
	  echo "  apt-get install -y $(APT_PACKAGES)"; \
	  exit 1; \
	fi; \
	command -v python3.11 >/dev/null || echo "note: no python3.11 on the PATH: uv will" \
	  "download Python 3.11 (needs the network), or (as root): apt-get install -y python3.11"

.venv/.installed: requirements.lock $(UV)
	$(UV) venv --quiet --allow-existing -p 3.11 .venv
	$(UV) pip sync --quiet -p .venv/bin/python requirements.lock
	@touch $@

var/tools/bin/uv:
	python3 -m venv var/tools
	var/tools/bin/pip install --quiet uv

assets: portal/static/govuk/portal.css
portal/static/govuk/portal.css: package-lock.json $(wildcard assets/*.scss) assets/build.mjs $(wildcard assets/icons/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

migrate: install
	@$(DEV) $(PY) manage.py migrate --noinput -v0

demo: migrate
	@$(DEV) $(PY) manage.py seed_demo

worker: install
	$(DEV) $(PY) manage.py qcluster

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

lock: $(UV) ## re-pin every Python dependency after editing pyproject.toml
	$(UV) pip compile pyproject.toml --extra dev --generate-hashes -p 3.11 -o requirements.lock

bench: install-test assets
	$(PY) -m pytest tests/bench -m bench -s

clean:
	rm -rf .venv node_modules var portal/static/govuk
