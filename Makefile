# Pandu Izin: every task for people and CI goes through these targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PY          := $(VENV)/bin/python
PIP         := $(VENV)/bin/pip
RASA        := $(VENV)/bin/rasa
STAMP       := $(VENV)/.installed
export PANDU_DATA_DIR ?= $(CURDIR)/var
export PYTHONPATH := $(CURDIR)
# Rasa/TensorFlow chatter that helps nobody in a terminal.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_WARN_20 ?= 0

.PHONY: help setup kb kb-check train run shell test lint unit validate rasa-test e2e eval bench bench-kb demo-data clean

help:
	@echo "make run      set up everything and start the assistant (REST on :5005)"
	@echo "make test     set up everything and run all tests"
	@echo "make shell    talk to the assistant in the terminal"
	@echo "make eval     accuracy on the held-out evaluation set"
	@echo "make bench    latency/throughput benchmark;  make bench-kb  knowledge-base benchmark"
	@echo "make kb-check data-quality report of the knowledge base"

# --- setup -------------------------------------------------------------------------------
$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/find-python310.sh
	@PY310=$$(scripts/find-python310.sh) || exit 1; \
	  if [ ! -x $(PY) ]; then echo ">> creating $(VENV) with $$PY310"; $$PY310 -m venv $(VENV) || exit 1; fi
	$(PIP) install --quiet --upgrade 'pip<25' wheel 'setuptools<70'
	$(PIP) install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	@touch $(STAMP)

setup: $(STAMP)

# Build the database from the curated YAML (idempotent; migrations first).
kb: setup
	$(PY) -m bot kb load

kb-check: setup
	$(PY) -m bot kb check

# --- quality -----------------------------------------------------------------------------
lint: setup
	$(VENV)/bin/ruff check bot actions tests

unit: setup
	$(VENV)/bin/pytest -q tests/unit tests/integration

test: setup lint unit

bench-kb: setup
	$(PY) -m bot.bench_kb

clean:
	rm -rf var models results .pytest_cache .ruff_cache
