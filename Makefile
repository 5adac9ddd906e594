# SILABU — the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg test-e2e lint format bench migrations-check check install assets worker clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Serve the app with demo data on http://$(HOST):$(PORT), with the background task worker beside it.
run: install
	mkdir -p var
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py db_worker --interval 2 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n 2 -p no:cacheprovider

# The same suite on PostgreSQL: DATABASE_URL must point at a server (see .ci/run, which starts one).
test-pg: install
	test -n "$$DATABASE_URL" || (echo "DATABASE_URL is not set" && exit 2)
	$(PY) -m pytest -n 2 -p no:cacheprovider

# The browser journeys in headless Chromium (Debian's `chromium`, or the binary named by CHROMIUM) against a live
# server. Screenshots of every key page land in var/e2e-screenshots/.
test-e2e: install
	$(PY) -m pytest -p no:cacheprovider tests/e2e

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: install
	DEBUG=true $(PY) manage.py check
	$(MAKE) migrations-check

migrations-check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Every benchmark runs and prints its figures; the exit status says whether any of them missed a target.
BENCHES = run softfile rekap pengukuran phone
bench: install
	@status=0; for b in $(BENCHES); do $(PY) -m tests.bench.$$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV) node_modules var staticfiles
