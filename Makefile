# qualityaward: `make run` to serve it, `make test` to test it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Test processes (pytest-xdist): one per core by default.
TEST_WORKERS ?= auto

.PHONY: install run serve test test-fast e2e lint bench messages clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# Both first check the Debian packages (installed as root, else one line says how), so
# a missing one stops the run before the virtualenv is built.
run:
	@bash scripts/install-system-packages.sh run
	@$(MAKE) --no-print-directory install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS)

test:
	@bash scripts/install-system-packages.sh test
	@$(MAKE) --no-print-directory install
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Benchmarks at provincial scale in their own databases (var/bench, PostgreSQL
# qualityaward_bench when reachable); not part of `make test` or CI. docs/benchmarks.md
# The load test runs through the deployment's nginx: the test packages include it.
bench:
	@bash scripts/install-system-packages.sh test
	@$(MAKE) --no-print-directory install
	$(PY) -m bench.run

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy src/qualityaward

messages: install
	cd src/qualityaward && ../../$(PY) ../../manage.py makemessages --locale zh_Hans --no-obsolete --no-location
	cd src/qualityaward && ../../$(PY) ../../manage.py compilemessages --locale zh_Hans

clean:
	rm -rf $(VENV) var/static
