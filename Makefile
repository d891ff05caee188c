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

.PHONY: help setup kb kb-check train run run-cluster shell test lint unit validate rasa-test e2e browser nginx eval bench bench-kb demo-data backup clean

help:
	@echo "make run      set up everything and start the assistant (REST on :5005)"
	@echo "make run-cluster  the same with 2 Rasa processes behind nginx (local PostgreSQL + Redis)"
	@echo "make test     set up everything and run all tests"
	@echo "make shell    talk to the assistant in the terminal"
	@echo "make eval     accuracy on the held-out evaluation set"
	@echo "make bench    latency/throughput benchmark;  make bench-kb  knowledge-base benchmark"
	@echo "make kb-check data-quality report of the knowledge base"
	@echo "make backup   back up applications, complaints and conversations (python -m bot backup)"

# --- setup -------------------------------------------------------------------------------
$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/find-python310.sh
	@PY310=$$(scripts/find-python310.sh) || exit 1; \
	  if [ ! -x $(PY) ]; then echo ">> creating $(VENV) with $$PY310"; $$PY310 -m venv $(VENV) || exit 1; fi
	@$(PIP) install --quiet --upgrade 'pip<25' wheel 'setuptools<70'
	@scripts/install-requirements.sh $(PIP)
	@touch $(STAMP)

setup: $(STAMP)

# Build the database from the curated YAML (idempotent; migrations first).
kb: setup
	$(PY) -m bot kb load

kb-check: setup
	$(PY) -m bot kb check

# Sample applications (fake people, real standards) for trying the status check: docs/permohonan-pengaduan.md
demo-data: kb
	$(PY) -m bot permohonan import knowledge/contoh/permohonan_contoh.csv

# --- quality -----------------------------------------------------------------------------
lint: setup
	$(VENV)/bin/ruff check bot actions tools tests

unit: setup
	$(VENV)/bin/pytest -q tests/unit tests/integration

test: setup lint unit validate train rasa-test e2e

# --- dialogue (docs/dialogue.md) ----------------------------------------------------------
MODELS ?= models

validate: setup
	$(RASA) data validate --domain domain.yml --data data --config config.yml

# Rasa fingerprints config, domain and data: nothing changed -> it keeps the newest model.
# The knowledge base comes first: the NLU masks service/region names it links (docs/nlu.md).
train: kb
	$(RASA) train --out $(MODELS) --config config.yml --domain domain.yml --data data

# Knowledge base, model (when needed), then every configured service (REST on :5005), supervised;
# Ctrl-C stops all. PANDU_RASA_PROCESSES=2 runs several Rasa processes (see run-cluster).
run: setup
	$(PY) -m bot.run

# Several Rasa processes and action servers behind nginx, on this machine's PostgreSQL and Redis
# (bot/cluster.py, docs/deploy.md). The database is created on first use.
CLUSTER_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/pandu_izin
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/0
run-cluster: setup nginx
	PANDU_RASA_PROCESSES=$${PANDU_RASA_PROCESSES:-2} DATABASE_URL=$${DATABASE_URL:-$(CLUSTER_DATABASE_URL)} \
	  PANDU_REDIS_URL=$${PANDU_REDIS_URL:-$(CLUSTER_REDIS_URL)} $(PY) -m bot.run

# A backup folder under $(PANDU_DATA_DIR)/backups (restore: python -m bot restore FOLDER).
backup: setup
	$(PY) -m bot backup

shell: setup
	$(PY) -m bot.run --shell

# Conversation tests (real user text) against the newest model; any wrong prediction fails.
rasa-test: kb train
	$(RASA) test core --model $(MODELS) --stories tests/test_stories.yml --e2e \
	  --fail-on-prediction-errors --out results/rasa-test
	@# applications and complaints (issue 4); rasa test takes one story file or folder per run
	for f in tests/test_stories_permohonan.yml tests/test_stories_pengaduan.yml tests/test_stories_handoff.yml; do \
	  $(RASA) test core --model $(MODELS) --stories $$f --e2e --fail-on-prediction-errors \
	    --out results/rasa-test-$$(basename $$f .yml) || exit 1; done

# Servers started by the tests on free ports (model: PANDU_TEST_MODEL or the newest in models/).
e2e: train browser nginx
	$(VENV)/bin/pytest -q tests/e2e

# Headless Chromium for the widget tests (Debian's package, driven by Playwright; never `playwright install`).
browser:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; else \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; fi

# The load balancer of several Rasa processes (Debian's package). On a machine with systemd the
# package also starts its default site on port 80: `systemctl disable --now nginx` if unwanted.
nginx:
	@if [ -x /usr/sbin/nginx ]; then echo "nginx: $$(/usr/sbin/nginx -v 2>&1)"; else \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx; fi

# Sequential latency vs Rasa's moodbot, 1 vs 2 Rasa processes at 20 and 50 conversations, fault run
# (tools/bench.py; about 10 minutes; needs the local PostgreSQL and Redis).
bench: train nginx
	$(PY) -m tools.bench

bench-kb: setup
	$(PY) -m tools.bench_kb

# Held-out test split of the generated corpus + the fresh held-out sets (tests/eval/fresh*/) +
# the legacy set, over REST, per kind (docs/evaluation.md); the default split is "test,fresh,fresh2,fresh3,fresh4".
# EVAL_ARGS: e.g. "--split dev", "--with-default", "--nlu-only", "--stats".
eval: kb
	$(PY) -m tools.evaluate $(EVAL_ARGS)

clean:
	rm -rf var models results .pytest_cache .ruff_cache
