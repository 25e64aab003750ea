# Routine tasks; `make help` lists them.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG = .build/debug/retrain
BIN = .build/release/retrain

.PHONY: help deps build release run test bench schema fmt lint clean

help:
	@echo "make run     install what is missing, build, reconcile schedules/ on the example data, run one training"
	@echo "make test    run the test suite"
	@echo "make bench   time validate and plan against the yardsticks in ../shared/bench, and reconcile per run"
	@echo "make schema  regenerate schedules/schedule.schema.json"
	@echo "make build | release | lint | fmt | clean"

# libyaml (the parser), pkg-config (how SwiftPM finds it), tzdata (time zones), git (plan --base);
# numpy for the example external trainer (examples/trainers) and its test.
deps:
	@if ! pkg-config --exists yaml-0.1 2>/dev/null || [ ! -f /usr/share/zoneinfo/Europe/Madrid ] || ! command -v git >/dev/null; then \
		echo "installing libyaml-dev pkg-config tzdata git"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libyaml-dev pkg-config tzdata git >/dev/null; \
	fi
	@python3 -c 'import numpy' 2>/dev/null || { echo "installing numpy"; python3 -m pip install -q numpy; }

build: deps
	$(SWIFT) build

# The Swift runtime linked in: start-up drops from 8 ms to 5 ms and runtime calls skip the PLT
# (about 10% less CPU on validate; see README "Speed").
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# A first reconcile (new schedules are recorded; whatever is due starts and is waited for), then one
# run by hand of the external-trainer schedule so there is a result to look at now.
run: release
	$(BIN) validate schedules
	@echo
	$(BIN) plan
	@echo
	$(BIN) reconcile --wait || echo "(a run failed: see its log.txt under reports/)"
	@echo
	@# None of the example schedules is due today: train each one now, by hand, as a user would.
	@for s in attrition-weekly duration-daily performance-monthly risk-workdays attrition-python; do \
	    echo "$(BIN) run $$s --wait"; $(BIN) run $$s --wait || echo "(failed: see its log.txt under reports/$$s/)"; done
	@echo
	$(BIN) list
	@echo
	$(BIN) next --all
	@echo
	@m=$$(ls -d models/risk-workdays/*/ | tail -1); echo "$(BIN) predict --model $$m --input examples/data/risk.csv | head -4"; \
	    $(BIN) predict --model $$m --input examples/data/risk.csv | head -4
	@echo
	@echo "Results: reports/<schedule>/<run>/result.json and log.txt; models: models/<schedule>/<run>/model.json; state: .retrain/state.json"

test: deps
	$(SWIFT) build
	$(SWIFT) test

bench: release
	bash bench/validate.sh
	@echo
	python3 bench/reconcile_overhead.py
	@echo
	bash bench/trainer.sh

schema: build
	$(BIN_DEBUG) schema > schedules/schedule.schema.json

lint: build
	$(BIN_DEBUG) validate schedules --strict

fmt:
	@command -v swift-format >/dev/null && swift-format format -i -r Sources Tests || $(SWIFT) format -i -r Sources Tests

clean:
	rm -rf .build
