# Everything a fresh clone needs: `make run`, `make test`, `make bench`.
# The Makefile owns its virtualenv (.venv) and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: install run test test-fast bench soak clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## start every vendor on 127.0.0.1:8000 (ARGS="--port 9000 --seed 7 ...")
	$(BIN)/mocks run $(ARGS)

test: $(STAMP)  ## the whole suite, contract gate included, on every core
	$(BIN)/python -m pytest -n auto $(ARGS)

test-fast: $(STAMP)  ## everything but the schemathesis contract gate
	$(BIN)/python -m pytest -n auto -m "not contract" $(ARGS)

bench: $(STAMP)  ## load test against bare Starlette (needs wrk; installed via apt if missing)
	$(BIN)/python bench/run.py $(ARGS)

soak: $(STAMP)  ## 50 connections of mixed reads and writes on every vendor, loopback (SOAK_SECONDS=600; ARGS=--json f)
	$(BIN)/python bench/soak.py --seconds $${SOAK_SECONDS:-60} $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info
