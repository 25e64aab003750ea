# Routine tasks; `make help` lists them.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG = .build/debug/retrain
BIN = .build/release/retrain

.PHONY: help deps example-deps test-deps build release install dist share run test test-dist test-ci-example test-chaos test-sanitize fuzz bench schema screenshot demo fmt lint clean slurm-up slurm-down

help:
	@echo "make run     install what is missing, build, reconcile schedules/ on the example data, run one training"
	@echo "make test    run the test suite (and a short chaos run: SIGKILLs and a full disk at random points)"
	@echo "make test-chaos     SIGKILL reconcile, run --wait and the run supervisor at 100 random points each, and fill the disk before each write of a pass; invariants checked after each"
	@echo "make test-sanitize  the test suite under AddressSanitizer, then ThreadSanitizer"
	@echo "make fuzz    libFuzzer on the schedule, state, cron and CSV readers, FUZZ_SECONDS (60) each"
	@echo "make bench   time validate and plan against the yardsticks in ../shared/bench, reconcile per run, commands over a year of history, the Slurm executor"
	@echo "make schema  regenerate schedules/schedule.schema.json"
	@echo "make slurm-up | slurm-down  a single-node Slurm on loopback for the tests (Debian's packages, started by hand)"
	@echo "make screenshot  render reports/index.html to reports/dashboard.png with headless Chromium"
	@echo "make demo    eight weeks of retraining in .build-demo/ (history for the dashboard), and its screenshot"
	@echo "make install [PREFIX=/usr/local] [DESTDIR=]  the release binary (Swift runtime linked in), man page, completions, schema"
	@echo "make dist    .build/dist/retrain-VERSION-linux-ARCH.tar.gz: the same files, to unpack on a server"
	@echo "make build | release | lint | fmt | clean"

# What building needs: libyaml (the parser), pkg-config (how SwiftPM finds it), mimalloc (the
# allocator the binary links: see Package.swift), tzdata (time zones), git (plan --base).
deps:
	@if ! pkg-config --exists yaml-0.1 2>/dev/null || ! dpkg -s libmimalloc-dev >/dev/null 2>&1 || [ ! -f /usr/share/zoneinfo/Europe/Madrid ] || ! command -v git >/dev/null; then \
		echo "installing libyaml-dev libmimalloc-dev pkg-config tzdata git"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libyaml-dev libmimalloc-dev pkg-config tzdata git >/dev/null; \
	fi

# numpy for the example external trainer (examples/trainers), which `make run` and the tests run.
example-deps:
	@python3 -c 'import numpy' 2>/dev/null || { echo "installing numpy"; python3 -m pip install -q numpy; }

# What the tests use besides: Chromium and its driver (the dashboard in a real browser, through
# Debian's python3-selenium), msmtp and python3-aiosmtpd (mail sent through a real SMTP client to a
# local sink), curl (the webhook), python3-prometheus-client (metrics.prom read by Prometheus's own parser).
TEST_PACKAGES = chromium chromium-driver python3-selenium msmtp python3-aiosmtpd curl python3-prometheus-client
test-deps: deps example-deps
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# The Swift runtime linked in: start-up drops from 8 ms to 5 ms and runtime calls skip the PLT
# (about 10% less CPU on validate; see README "Speed").
# The product alone: RetrainTestSupport, a library target the tests share, imports Testing, which a
# release build of everything does not find.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product retrain

# What `make install` and `make dist` ship besides the binary: the man page (ArgumentParser's
# generate-manual, run on the release binary), bash/zsh/fish completions and the schedule schema.
VERSION := $(shell sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/RetrainBase/Support/RetrainVersion.swift)
ARCH := $(shell uname -m)
PREFIX ?= /usr/local
SHARE = .build/share
share: release
	$(SWIFT) build --product generate-manual
	@rm -rf $(SHARE) && mkdir -p $(SHARE)
	.build/debug/generate-manual $(BIN) --output-directory $(SHARE) --date "$$(git log -1 --format=%cs 2>/dev/null || date -u +%F)" --authors "the retrain authors"
	$(BIN) --generate-completion-script bash > $(SHARE)/retrain.bash
	$(BIN) --generate-completion-script zsh > $(SHARE)/_retrain
	$(BIN) --generate-completion-script fish > $(SHARE)/retrain.fish
	$(BIN) schema > $(SHARE)/schedule.schema.json

# Runs on a machine without Swift: the Swift runtime and Foundation are linked in, and besides
# glibc and libstdc++ the binary needs only libyaml and mimalloc (Debian: libyaml-0-2, libmimalloc2.0).
install: share
	install -D -m 0755 -s $(BIN) $(DESTDIR)$(PREFIX)/bin/retrain
	install -D -m 0644 $(SHARE)/retrain.1 $(DESTDIR)$(PREFIX)/share/man/man1/retrain.1
	install -D -m 0644 $(SHARE)/retrain.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/retrain
	install -D -m 0644 $(SHARE)/_retrain $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_retrain
	install -D -m 0644 $(SHARE)/retrain.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/retrain.fish
	install -D -m 0644 $(SHARE)/schedule.schema.json $(DESTDIR)$(PREFIX)/share/retrain/schedule.schema.json
	install -D -m 0644 LICENSE $(DESTDIR)$(PREFIX)/share/doc/retrain/LICENSE
	@echo "installed retrain $(VERSION) in $(DESTDIR)$(PREFIX)/bin; it needs: $$(ldd $(DESTDIR)$(PREFIX)/bin/retrain | awk '/=>/ {print $$1}' | tr '\n' ' ')"

# The installed tree in a versioned tarball (reproducible: sorted, owned by root, dated by the commit).
DIST_NAME = retrain-$(VERSION)-linux-$(ARCH)
dist: share
	@rm -rf .build/dist/$(DIST_NAME) && mkdir -p .build/dist
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/.build/dist/$(DIST_NAME) PREFIX= >/dev/null
	cp README.md .build/dist/$(DIST_NAME)/
	tar -C .build/dist --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$$(git log -1 --format=%ct 2>/dev/null || echo 0)" \
	    -czf .build/dist/$(DIST_NAME).tar.gz $(DIST_NAME)
	@echo "wrote .build/dist/$(DIST_NAME).tar.gz ($$(du -h .build/dist/$(DIST_NAME).tar.gz | cut -f1)); unpack it and put bin/ on PATH"

# A first reconcile (new schedules are recorded; whatever is due starts and is waited for), then one
# run by hand of the external-trainer schedule so there is a result to look at now.
run: release example-deps
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
	$(BIN) report
	@echo
	@echo "Results: reports/<schedule>/<run>/result.json and log.txt; comparisons: reports/<schedule>/comparison.md;"
	@echo "summary: reports/summary.md; Prometheus: reports/metrics.prom; models: models/<schedule>/<run>/model.json; state: .retrain/state.json"
	@echo "Dashboard: open file://$(CURDIR)/reports/index.html in a browser (make screenshot renders it to a PNG)"

test: test-deps slurm-up
	$(SWIFT) build
	$(SWIFT) test
	python3 Tests/Chaos/chaos.py --rounds 5 --disk-samples 5

# A throw-away Slurm cluster of one node on loopback (slurmctld, slurmd and munged from Debian's
# packages, started by hand: there is no systemd here), for the Slurm executor's tests. State, logs
# and spool in /tmp/slurm-local; the config at /etc/slurm/slurm.conf, where Slurm's commands look.
# SLURM_CPUS fake CPUs let that many one-CPU jobs run at once (the 8-schedule test runs 8).
SLURM_CPUS ?= 8
slurm-up:
	$(SUDO) env SLURM_LOCAL_CPUS=$(SLURM_CPUS) bash Tests/Slurm/slurm-local.sh start

slurm-down:
	$(SUDO) bash Tests/Slurm/slurm-local.sh stop

# The tarball on this machine with the Swift toolchain hidden: it runs, `retrain init` in a new git
# repository validates and plans (Tests/Dist/check.sh).
test-dist: dist
	bash Tests/Dist/check.sh

# The CI example in a scratch user repository: `retrain init --ci github`, then the workflow's steps
# as GitHub runs them, building retrain from this clone at its HEAD (Tests/CI/workflow_test.py).
test-ci-example: build
	python3 Tests/CI/workflow_test.py

# Kills at random points, each kill scenario 100 times, and a disk that fills before each write of a
# pass (Tests/Chaos/chaos.py says what is checked).
test-chaos: build
	python3 Tests/Chaos/chaos.py --rounds 100

# libFuzzer (with AddressSanitizer) on each reader of untrusted input, seeded from the examples:
# Sources/RetrainFuzz says what each target feeds. A crash stops it and leaves the input in
# .build-fuzz/artifacts/; what it finds becomes a test.
# SwiftPM gives an executable its own `main` (renamed, then aliased), which clashes with
# -sanitize=fuzzer's; so the code is instrumented for coverage and the toolchain's libFuzzer without
# a main is linked, whose driver Sources/RetrainFuzz/main.swift calls.
FUZZ_SECONDS ?= 60
FUZZER_LIB = $(firstword $(wildcard $(dir $(shell readlink -f $$(command -v $(SWIFT))))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a))
fuzz: deps
	RETRAIN_FUZZ=1 $(SWIFT) build --scratch-path .build-fuzz --product RetrainFuzz -Xswiftc -sanitize=address \
	    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xlinker $(FUZZER_LIB) -Xlinker -lstdc++
	@mkdir -p .build-fuzz/artifacts .build-fuzz/seeds/schedule .build-fuzz/seeds/state .build-fuzz/seeds/cron .build-fuzz/seeds/csv
	@cp schedules/*.yaml examples/invalid/*.yaml .build-fuzz/seeds/schedule/
	@cp Tests/Fixtures/state-v1/.retrain/state.json .build-fuzz/seeds/state/v1.json
	@printf '{"schedules":{"a":{"anchor":"2026-11-25T12:00:00Z","spec_hash":"x","timing_hash":"y"}},"version":2}\n' > .build-fuzz/seeds/state/v2.json
	@i=0; for e in '0 2 * * 1' '*/15 9-17 * * mon-fri' '0 0 1,15 * *' '30 4 1-7 * 0' '@weekly' '5 4 * jan,jul sun'; do \
	    i=$$((i+1)); printf '%s' "$$e" > .build-fuzz/seeds/cron/$$i; done
	@for f in examples/data/*.csv; do head -c 4096 $$f > .build-fuzz/seeds/csv/$$(basename $$f); done
	@for t in schedule state cron csv; do \
	    mkdir -p .build-fuzz/corpus/$$t; \
	    echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	    RETRAIN_FUZZ_TARGET=$$t ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/RetrainFuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	        -artifact_prefix=.build-fuzz/artifacts/$$t- -print_final_stats=1 .build-fuzz/corpus/$$t .build-fuzz/seeds/$$t 2>&1 \
	        | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added|==[0-9]+==|SUMMARY|INFO: Seed|Done)' || exit 1; \
	done

# The suite under each sanitizer, each in a build folder of its own, the tests that run the binary
# running the sanitized one, and time limits in tests given five times the slack. Leak checks are
# off: the only leaks reported are XCTest's own harness (368 bytes in 6 objects allocated by
# XCTMainMisc), which runs no test of ours. Races inside swift-subprocess are suppressed
# (Tests/Sanitizers/tsan.supp says why); none of retrain's own code is.
test-sanitize: test-deps
	ASAN_OPTIONS=detect_leaks=0 RETRAIN_TEST_SLACK=5 RETRAIN_BIN=$(CURDIR)/.build-asan/debug/retrain \
	    $(SWIFT) test --sanitize=address --scratch-path .build-asan
	TSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp RETRAIN_TEST_SLACK=5 RETRAIN_BIN=$(CURDIR)/.build-tsan/debug/retrain \
	    $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

bench: release slurm-up
	bash bench/validate.sh
	@echo
	python3 bench/reconcile_overhead.py
	@echo
	@[ -x /usr/bin/time ] || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq time >/dev/null; }
	python3 bench/history.py
	@echo
	bash bench/trainer.sh
	@echo
	$$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3) bench/dashboard.py
	@echo
	python3 bench/slurm.py
	@echo
	python3 bench/data_watch.py
	@echo
	RETRAIN_BENCH=1 $(SWIFT) build -c release --scratch-path .build-bench --product RetrainZoneBench
	.build-bench/release/RetrainZoneBench 10000 5

# The overview and the first schedule's page as a browser draws them (Debian's chromium, headless).
screenshot:
	@[ -f reports/index.html ] || { echo "no reports/index.html yet: run make run (or retrain report) first"; exit 1; }
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 --screenshot=$(CURDIR)/reports/dashboard.png \
	    "file://$(CURDIR)/reports/index.html" 2>/dev/null
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 --screenshot=$(CURDIR)/reports/schedule.png \
	    "file://$(CURDIR)/reports/$$(ls schedules/*.yaml | head -1 | xargs basename | sed 's/\.yaml$$//')/index.html" 2>/dev/null
	@echo "wrote reports/dashboard.png and reports/schedule.png"

# Eight weekly passes in a scratch copy (examples/demo.sh); the README's screenshot comes from it.
demo: release
	bash examples/demo.sh $(CURDIR)/.build-demo
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 --screenshot=$(CURDIR)/.build-demo/dashboard.png \
	    "file://$(CURDIR)/.build-demo/reports/index.html" 2>/dev/null
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1500 --screenshot=$(CURDIR)/.build-demo/schedule.png \
	    "file://$(CURDIR)/.build-demo/reports/attrition-weekly/index.html" 2>/dev/null
	@echo "wrote .build-demo/dashboard.png and .build-demo/schedule.png"

schema: build
	$(BIN_DEBUG) schema > schedules/schedule.schema.json

# swift-format (the toolchain's) with the checked-in .swift-format; any finding fails. `make fmt`
# fixes most of them. Then the layer order of RetrainCore's folders (Tests/Layers/layers.py).
lint: build
	$(SWIFT) format lint --strict --configuration .swift-format -r Package.swift Sources Tests
	python3 Tests/Layers/layers.py
	$(BIN_DEBUG) validate --strict --data

fmt:
	$(SWIFT) format format -i --configuration .swift-format -r Package.swift Sources Tests

clean:
	rm -rf .build
