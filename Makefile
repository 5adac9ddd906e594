# SILABU — the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-pg test-s3 test-e2e lint format bench migrations-check check install assets worker clean

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
	DEBUG=true $(PY) manage.py worker --interval 2 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Serve as production does, on http://$(HOST):$(PORT): gunicorn (gthread; GUNICORN_WORKERS, GUNICORN_THREADS),
# DEBUG off, static files collected and served by WhiteNoise, the background worker beside it. The database, the
# store and the rest come from the environment (deploy/README.md), e.g. DATABASE_URL=postgres://... make serve.
# Without SECRET_KEY (or SECRET_KEY_FILE) a random key is kept in var/serve-secret-key. No demo data is loaded:
# `manage.py seed_demo` adds it.
serve: install
	mkdir -p var
	test -s var/serve-secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/serve-secret-key
	chmod 600 var/serve-secret-key
	if [ -z "$$SECRET_KEY" ] && [ -z "$$SECRET_KEY_FILE" ]; then export SECRET_KEY_FILE=var/serve-secret-key; fi; \
	  export GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}"; \
	  $(PY) manage.py collectstatic --noinput --verbosity 0 && \
	  $(PY) manage.py migrate --noinput && \
	  $(PY) manage.py ensure_bucket && \
	  { $(PY) manage.py worker --no-reload & \
	    worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	    $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py silabu.wsgi; }

test: install
	$(PY) -m pytest -n 2 -p no:cacheprovider

# The same suite on PostgreSQL: DATABASE_URL must point at a server (see .ci/run, which starts one).
test-pg: install
	test -n "$$DATABASE_URL" || (echo "DATABASE_URL is not set" && exit 2)
	$(PY) -m pytest -n 2 -p no:cacheprovider

# The storage tests (pytest -m storage: evidence, documents, backups) against an S3 endpoint named by EVIDENCE_S3_BUCKET
# and EVIDENCE_S3_ENDPOINT_URL (.ci/run starts moto_server on loopback for it); ensure_bucket makes the bucket first.
test-s3: install
	test -n "$$EVIDENCE_S3_BUCKET" || (echo "EVIDENCE_S3_BUCKET is not set" && exit 2)
	DJANGO_SETTINGS_MODULE=silabu.settings_test $(PY) manage.py ensure_bucket
	$(PY) -m pytest -n 2 -p no:cacheprovider -m storage

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
