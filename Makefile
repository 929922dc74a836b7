# outcomes: the two commands of the quick start are `make run` and `make test`.
# Both install the Debian packages they need (libcsv-dev, libsqlite3-dev, libcmark-gfm-dev,
# libcmark-gfm-extensions-dev, libjson-c-dev, libssl-dev, time) when missing.

SWIFT      ?= swift
CONFIG     ?= release
BIN         = .build/$(CONFIG)/outcomes
MONTH      ?= 2026-10
APT_PACKAGES = libcsv-dev libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libjson-c-dev libssl-dev time

.PHONY: run test build deps clean help example bench fuzz load check-render

help:
	@echo "make run    build, ingest sample-data/ and write the $(MONTH) report into reports/"
	@echo "make test   build and run the test suite"
	@echo "make example  regenerate the committed example reports from sample-data/ (fresh store)"
	@echo "make check-render  regenerate the examples, render outcomes.html in headless Chromium at 980 px and print it to A4 PDF (var/render/)"
	@echo "make fuzz   20 000 mutated exports through the ingest (a few minutes)"
	@echo "make load   10 million rows with 1 % garbage: every row and reject accounted for (a release build, then about 30 s)"
	@echo "make bench  benchmarks at 0.1 M, 2 M and 10 M rows against DuckDB and sqlite3 .import; writes BENCHMARKS.md"
	@echo "make clean  remove build products and the local store"

## deps: install the Debian packages the build links against, when missing.
deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

run: build
	$(BIN) run pipelines/monthly.yaml --month $(MONTH)
	@echo "open reports/$(MONTH)/outcomes.md (charts in reports/$(MONTH)/charts/)"

## example: the committed worked example, made from scratch as the golden test does.
## The ingest time is fixed (SOURCE_DATE_EPOCH = 2026-11-02T06:15:00Z), so the "data through" line is reproducible.
example: build
	rm -rf var reports/$(MONTH) reports/public/$(MONTH)
	SOURCE_DATE_EPOCH=1793600100 $(BIN) run pipelines/monthly.yaml --month $(MONTH)
	SOURCE_DATE_EPOCH=1793600100 $(BIN) run pipelines/monthly-public.yaml --month $(MONTH)

test: deps
	$(SWIFT) test

## check-render: what a reader sees, not part of `make test`: screenshots at GitHub's 980 px, tables and
## charts measured for overflow, and A4 PDFs with their page count (fails above 10 pages).
check-render: example
	@command -v chromium >/dev/null && command -v pdfinfo >/dev/null || { sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get install -y -qq chromium poppler-utils; }
	.ci/check-render reports/$(MONTH) reports/public/$(MONTH) --out var/render

clean:
	rm -rf .build var

## bench: 39 minutes on 2 cores for all five sizes and stages (2026-11-28, with bench/data already generated; a first
## run also generates it); needs hyperfine, sqlite3 and DuckDB's Python package, installed below when missing.
bench: build
	@command -v hyperfine >/dev/null || { sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; $$sudo apt-get install -y -qq hyperfine sqlite3; }
	@python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
	python3 bench/bench.py --sizes 0.1m,2m,10m,2m-messy,10m-messy --stages ingest,job,report,incremental,query,profile,layouts --runs 3

## fuzz: the property test of IngestFuzzTests with many more mutants (seed printed on failure).
fuzz: deps
	OUTCOMES_FUZZ_ITERATIONS=$${ITERATIONS:-20000} $(SWIFT) test --filter IngestFuzzTests

## load: LoadTests at about 10 million rows, in a release build.
load: deps
	OUTCOMES_LOAD_PATIENTS=$${PATIENTS:-420000} $(SWIFT) test -c release -Xswiftc -enable-testing --filter LoadTests
