# LearnFlow: `make dev` runs the system locally, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Python 3.12 matches the Lambda runtime; take the first one that really runs.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed

.PHONY: help install dev test lint format typecheck unit bench synth clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 is needed (the Lambda runtime's version): install it, or run 'make PYTHON=/path/to/python3.12'"; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install everything

dev: $(STAMP) ## run the local cloud: REST, WebSocket, Kafka consumers, Postgres
	$(BIN)/learnflow dev

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP) ## mypy over the code
	$(BIN)/mypy layers/shared/python/learnflow functions localcloud infra

test: lint typecheck ## lint, type-check and run the whole test suite
	$(BIN)/pytest

bench: $(STAMP) ## the local cloud's latency figures (docs/benchmarks.md)
	$(BIN)/python -m tests.bench.cloud_latency

synth: $(STAMP) ## synthesize the CDK app offline into cdk.out
	CDK_VALIDATION=false $(BIN)/python -m infra.app

clean: ## remove the local cloud's state and build outputs (keeps .venv)
	rm -rf .learnflow cdk.out build
