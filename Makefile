# The two commands: `make run` and `make test`. Each does its own set-up and is safe to re-run.
SHELL := /bin/bash
ROLE ?= sales
PY := .dev/venv/bin/python

.PHONY: run test stop status token lint setup format bench chaos

run:            ## start the whole local stack in the foreground (Ctrl-C stops it)
	@dev/run.sh

test:           ## run every suite on the test profile's own ports and database
	@dev/test.sh

stop:           ## stop what `make run` started
	@dev/services.sh stop

status:         ## show which local services are running
	@dev/services.sh status

token:          ## print a demo JWT: make token ROLE=finance
	@dev/token.sh $(ROLE)

setup:          ## install what is missing (apt, venv, go build, npm)
	@dev/setup.sh

lint:           ## ruff, mypy --strict, eslint
	@[ -x $(PY) ] && [ -d erp-frontend/node_modules ] || dev/setup.sh --no-browser
	@$(PY) -m ruff check sales-service stripe-emulator dev gateway deploy
	@$(PY) -m ruff format --check sales-service stripe-emulator dev gateway deploy
	@cd sales-service && ../$(PY) -m mypy --strict app bench chaos contract
	@cd stripe-emulator && ../$(PY) -m mypy
	@cd dev && ../$(PY) -m mypy --strict tests
	@cd deploy && ../$(PY) -m mypy tests
	@cd erp-frontend && npm run -s lint

bench:          ## throughput and latency of the payment endpoints on a stack of their own
	@dev/setup.sh --no-browser
	@cd sales-service && ../$(PY) -m bench

chaos:          ## randomized payments under Stripe faults and kills, checked: make chaos ARGS="--seed 7"
	@dev/setup.sh --no-browser
	@cd sales-service && ../$(PY) -m chaos $(ARGS)

format:         ## apply ruff's formatting and safe fixes
	@$(PY) -m ruff check --fix sales-service stripe-emulator dev gateway deploy
	@$(PY) -m ruff format sales-service stripe-emulator dev gateway deploy
