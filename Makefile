# triage: `make run` starts the service with the sample configuration; `make test` runs the suite.
# Both install what is missing first (Debian/Ubuntu, as root), idempotently.

SWIFT ?= swift
export PATH := /opt/swift/usr/bin:$(PATH)
CONFIG ?= rules
STORE ?= sqlite:./data/triage.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test build deps sink demo check-rules clean reliability fuzz

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build --product triage

run: build
	@mkdir -p data
	.build/debug/triage serve --config $(CONFIG) --store $(STORE) --host $(HOST) --port $(PORT)

# A stand-in vendor endpoint on :9101 that prints each delivery (the sample vendors point at it).
sink: build
	.build/debug/triage sink --port 9101

# The vendor lifecycle end to end (about 20 s): a simulated vendor acknowledges and resolves the
# sample alert through the callback API. Builds, and needs ports 8080 and 9101 free.
demo: deps
	@bash scripts/demo.sh

check-rules: build
	.build/debug/triage rules check --config $(CONFIG)

# One build (tests and the triage executable together), a smoke run of every fuzz target, then the whole suite.
test:
	@./scripts/install-deps.sh --test
	@./scripts/check-layers.sh
	$(SWIFT) build --build-tests
	@./scripts/fuzz.sh --smoke
	.build/debug/triage rules check --config rules
	.build/debug/triage rules test --config rules
	@./scripts/with-postgres.sh ./scripts/run-tests.sh

# Issue 13's proofs at full scale (about 14 minutes): 20 SIGKILLs under load, a vendor outage, a full
# and a read-only disk, and a 10-minute soak; prints the figures. As root (the disk test mounts a tmpfs).
reliability:
	@./scripts/install-deps.sh --test
	$(SWIFT) build --build-tests
	@./scripts/reliability.sh

# libFuzzer (Fuzz/): every payload decoder, the rule-file parser and the CSV readers, 1,000,000
# executions each, two targets at a time (about 75 min on 2 cores). make test runs a smoke run of each.
fuzz:
	@./scripts/install-deps.sh --test
	@./scripts/fuzz.sh --jobs 2

clean:
	rm -rf .build data
