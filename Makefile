# Everything a fresh clone needs: `make run`, `make test`, `make bench`.
# The Makefile owns its virtualenv (.venv) and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: install run test test-fast lint bench soak browser redis-server container-test clean

install: $(STAMP)

# piwik-pro-mcp (Piwik PRO's client, a test dependency) declares Python >= 3.12 but runs on 3.11: installed without
# its metadata checks; its dependencies come with the test extra.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python piwik-pro-mcp==0.10.0
	touch $(STAMP)

run: $(STAMP)  ## start every vendor on 127.0.0.1:8000 (ARGS="--port 9000 --seed 7 ...")
	$(BIN)/mocks run $(ARGS)

test: $(STAMP) browser redis-server  ## the whole suite, contract gate included, on every core
	$(BIN)/python -m pytest -n auto $(ARGS)

test-fast: $(STAMP) redis-server  ## everything but the schemathesis contract gate
	$(BIN)/python -m pytest -n auto -m "not contract" $(ARGS)

lint: $(STAMP)  ## ruff (lint + format check) and mypy, as configured in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP) redis-server  ## load test against bare Starlette, then embedded vs Redis store, 1 vs 2 workers (wrk via apt)
	$(BIN)/python bench/run.py $(ARGS)
	$(BIN)/python bench/scale_out.py

soak: $(STAMP)  ## 50 connections of mixed reads and writes on every vendor, loopback (SOAK_SECONDS=600; ARGS=--json f)
	$(BIN)/python bench/soak.py --seconds $${SOAK_SECONDS:-60} $(ARGS)

browser:  ## Debian's chromium for the dashboard's browser tests (installed with apt when missing and root)
	@test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || { echo "installing chromium (apt) for the browser tests"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium) \
	  >/dev/null || echo "apt-get could not install chromium: the browser tests will fail and say so"; }

redis-server:  ## Debian's redis-server for the shared-store tests (installed with apt when missing and root)
	@command -v redis-server >/dev/null || [ "$$(id -u)" != 0 ] || { echo "installing redis-server (apt) for the tests"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server) \
	  >/dev/null || echo "apt-get could not install redis-server: the Redis tests will fail and say so"; }

container-test:  ## build the Dockerfile with podman and run it as a CI service (root; installs podman via apt)
	bash tests/container/container-test.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
