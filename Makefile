# Hearth: two commands do everything on a fresh machine.
#   make dev   [SEED=1]   the whole stack: emulators, functions, admin page, demo site
#   make test             every test, on the real emulators and a real browser
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: help dev test lint bench seed users import reports-rebuild setup setup-browser web-build clean

help:
	@echo "make dev [SEED=1]  run the whole local stack (Ctrl-C stops it)"
	@echo "make web-build     build the admin page into web/dist/"
	@echo "make test          run every test (installs what is missing)"
	@echo "make bench         print the benchmarks' figures"
	@echo "make lint          ruff check and format check"
	@echo "make users ARGS=…  manage users and roles (e.g. ARGS=\"list\"; PROJECT=<id> for the real one)"
	@echo "make import FILE=… [SOURCE=…] [YES=1] [PROJECT=<id>]   import a CSV of customers (docs/import.md)"
	@echo "make reports-rebuild [WRITE=1] [PROJECT=<id>]   recompute the pipeline reports from the events"
	@echo "make backup [DIR=…] / make restore DIR=…   save or bring back the running stack's data"
	@echo "make deploy PROJECT=<id> [REGION=…] [DRY_RUN=1]   put Hearth live (docs/go-live.md)"

$(STAMP): requirements.txt functions/requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Java runs the Cloud SDK's Firestore emulator; say so plainly when it is missing.
setup: $(STAMP) $(NODE_STAMP)
	@command -v java >/dev/null || { echo "Java 17+ is needed for the Firestore emulator: apt-get install -y openjdk-17-jre-headless"; exit 1; }

# Debian's Chromium for the browser tests; never a browser download of Playwright's own.
setup-browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The admin page: esbuild bundles web/src/ into web/dist/ (git-ignored). `make dev` builds
# it first and then keeps rebuilding it on every change (node web/build.mjs --watch).
web-build: $(NODE_STAMP)
	@command -v node >/dev/null || { echo "Node 20+ is needed to build the admin page."; exit 1; }
	@test -f web/build.mjs || { echo "web/build.mjs is missing: cannot build the admin page."; exit 1; }
	node web/build.mjs

dev: setup web-build
	cd functions && ../$(PY) -m devstack dev $(if $(filter 1 yes true,$(SEED)),--seed) $(if $(filter 1 yes true,$(FRESH)),--fresh)

seed: setup
	cd functions && ../$(PY) -m devstack seed

# Users and roles: the Auth emulator of a running `make dev` by default; the real
# project with PROJECT=<id> (Application Default Credentials, see docs/go-live.md).
users: $(STAMP)
ifdef PROJECT
	cd functions && env -u FIREBASE_AUTH_EMULATOR_HOST -u FIRESTORE_EMULATOR_HOST \
	  GOOGLE_CLOUD_PROJECT=$(PROJECT) ../$(PY) -m hearth.access.users $(ARGS)
else
	cd functions && FIREBASE_AUTH_EMULATOR_HOST=$${FIREBASE_AUTH_EMULATOR_HOST-127.0.0.1:9099} \
	  FIRESTORE_EMULATOR_HOST=$${FIRESTORE_EMULATOR_HOST-127.0.0.1:8080} \
	  ../$(PY) -m hearth.access.users $(ARGS)
endif

# A CSV of customers imported from the terminal (docs/import.md): resumable, with a
# progress bar. Same targets as `make users`.
IMPORT_ARGS = "$(abspath $(FILE))" $(if $(SOURCE),--source "$(SOURCE)") $(if $(filter 1 yes true,$(YES)),--yes)
import: $(STAMP)
	@test -n "$(FILE)" || { echo "Name the file: make import FILE=customers.csv [SOURCE=old-crm]"; exit 1; }
ifdef PROJECT
	cd functions && env -u FIREBASE_AUTH_EMULATOR_HOST -u FIRESTORE_EMULATOR_HOST \
	  GOOGLE_CLOUD_PROJECT=$(PROJECT) ../$(PY) -m hearth.imports $(IMPORT_ARGS)
else
	cd functions && FIRESTORE_EMULATOR_HOST=$${FIRESTORE_EMULATOR_HOST-127.0.0.1:8080} \
	  ../$(PY) -m hearth.imports $(IMPORT_ARGS)
endif

# The pipeline reports recomputed from every event: compare with the stored figures, or
# replace them with WRITE=1 (after a stage changed group). Same targets as `make users`.
reports-rebuild: $(STAMP)
ifdef PROJECT
	cd functions && env -u FIREBASE_AUTH_EMULATOR_HOST -u FIRESTORE_EMULATOR_HOST \
	  GOOGLE_CLOUD_PROJECT=$(PROJECT) ../$(PY) -m hearth.deals.rebuild $(if $(filter 1 yes true,$(WRITE)),--write)
else
	cd functions && FIRESTORE_EMULATOR_HOST=$${FIRESTORE_EMULATOR_HOST-127.0.0.1:8080} \
	  ../$(PY) -m hearth.deals.rebuild $(if $(filter 1 yes true,$(WRITE)),--write)
endif

lint: $(STAMP)
	$(PY) -m ruff check functions tests bench
	$(PY) -m ruff format --check functions tests bench

test: setup setup-browser lint web-build
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup setup-browser web-build
	$(PY) bench/intake.py
	$(PY) bench/export.py
	$(PY) bench/admin_page.py
	$(PY) bench/booking.py
	$(PY) bench/analytics.py
	$(PY) bench/pipeline.py
	$(PY) bench/imports.py
	$(PY) bench/routing.py

clean:
	rm -rf $(VENV) node_modules test-artifacts web/dist

# Deploy (docs/go-live.md): everything in deploy/functions.toml into a Firebase project
# with gcloud and the Firebase CLI. DRY_RUN=1 checks offline and prints the commands.
PROJECT ?=
REGION  ?=
.PHONY: deploy
deploy:
	@test -x $(PY) || { echo "Run make setup first (the deploy checks import the functions)."; exit 1; }
	@test -n "$(PROJECT)" || { echo "Usage: make deploy PROJECT=<project-id> [REGION=europe-west1] [DRY_RUN=1]"; exit 1; }
	cd functions && ../$(PY) -m devstack.deploy --project "$(PROJECT)" $(if $(REGION),--region "$(REGION)") $(if $(filter 1 yes true,$(DRY_RUN)),--dry-run)

# --- Backups of the local stack (docs/backups.md) -----------------------------------
.PHONY: backup restore

# The running `make dev`'s Firestore and Auth data to DIR (default backups/<date-time>/).
backup:
	cd functions && ../$(PY) -m devstack backup $(if $(DIR),$(abspath $(DIR)))

# Replace the running stack's data with a backup: make restore DIR=backups/<date-time>
restore:
	@test -n "$(DIR)" || { echo "Name the backup: make restore DIR=backups/<date-time>" >&2; exit 1; }
	cd functions && ../$(PY) -m devstack restore $(abspath $(DIR))
