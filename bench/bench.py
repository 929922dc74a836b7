#!/usr/bin/env python3
"""Benchmarks for outcomes: `make bench` (all stages) or
`python3 bench/bench.py --sizes 1m --stages query`.

Every figure in BENCHMARKS.md comes from this script's output
(bench/results/<stage>-<size>.json and the tables it prints). Wall times come
from hyperfine (median of several runs), peak RSS from /usr/bin/time -v
(median of the same number of runs).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".build" / "release" / "outcomes"
WORK = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"

# Synthetic patients per size: about 24 rows per patient (sessions + scores + 1 % messy).
SIZES = {"0.1m": 4_200, "1m": 45_000, "2m": 93_000, "10m": 420_000,
         # The same patients written as other tools do (synth --style messy-headers): a BOM, upper- and
         # mixed-case headers, aliases in mixed case, patients and rows in random order.
         "0.1m-messy": 4_200, "2m-messy": 93_000, "10m-messy": 420_000}


def synth_style(size):
    return ["--style", "messy-headers"] if size.endswith("-messy") else []
MONTH = "2026-10"


def run(command, **kwargs):
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


def hyperfine(commands, runs, warmup=1, prepare=None, name="hyperfine"):
    """Median and spread of each command, from hyperfine's JSON export."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    export = RESULTS / f".{name}.json"
    arguments = ["hyperfine", "--style", "none", "--runs", str(runs), "--warmup", str(warmup), "--export-json", str(export)]
    if prepare:
        arguments += ["--prepare", prepare]
    run(arguments + commands)
    results = json.loads(export.read_text())["results"]
    export.unlink()
    return [{"command": r["command"], "median_s": r["median"], "mean_s": r["mean"], "stddev_s": r["stddev"],
             "min_s": r["min"], "max_s": r["max"], "runs": len(r["times"])} for r in results]


def peak_rss_mb(command, runs, prepare=None):
    """Median peak resident set size of a command, in MB, from /usr/bin/time -v."""
    values = []
    for _ in range(runs):
        if prepare:
            subprocess.run(prepare, shell=True, check=True)
        result = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", command], text=True, capture_output=True)
        if result.returncode != 0:
            raise SystemExit(f"failed: {command}\n{result.stderr[-2000:]}")
        for line in result.stderr.splitlines():
            if "Maximum resident set size" in line:
                values.append(int(line.split(":")[1]) / 1024)
    return statistics.median(values)


def measure(command, runs, prepare=None):
    """Wall time and peak RSS of a shell command over several runs: medians, with
    min and max. Each run is timed here (perf_counter around the process) and its
    peak resident set size is read from /usr/bin/time -v."""
    walls, rss = [], []
    for _ in range(runs):
        if prepare:
            subprocess.run(prepare, shell=True, check=True)
        started = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", command], text=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"failed ({result.returncode}): {command}\n{result.stderr[-3000:]}")
        rss.append(max(int(line.split(":")[1]) for line in result.stderr.splitlines() if "Maximum resident set size" in line) / 1024)
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls), "runs": runs,
            "peak_rss_mb": statistics.median(rss)}


def measure_alternately(commands, runs):
    """`measure` for several (command, prepare) pairs, run in turn (A, B, A, B, …)
    rather than one after the other: this shared machine's speed drifts by tens
    of per cent over minutes, and a ratio between two tools should not be a
    ratio between two minutes."""
    timings = [[] for _ in commands]
    for _ in range(runs):
        for index, (command, prepare) in enumerate(commands):
            timings[index].append(measure(command, 1, prepare))
    return [{"median_s": statistics.median(t["median_s"] for t in runs_of), "min_s": min(t["min_s"] for t in runs_of),
             "max_s": max(t["max_s"] for t in runs_of), "runs": runs,
             "peak_rss_mb": statistics.median(t["peak_rss_mb"] for t in runs_of)} for runs_of in timings]


def generator_version():
    """A hash of the generator's source: data sets are made again when it changes."""
    import hashlib
    digest = hashlib.sha256()
    for path in sorted((ROOT / "Sources" / "OutcomesKit" / "Synthetic").glob("*.swift")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def dataset(size):
    """Synthetic exports of `size`: one file per kind, and a monthly split for the incremental run."""
    folder = WORK / size
    marker = folder / ".done"
    if not marker.exists() or marker.read_text() != generator_version():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        run([str(BIN), "synth", "--patients", str(SIZES[size]), "--seed", "1", "--messy", "0.01", "--out", str(folder / "whole")]
            + synth_style(size))
        run([str(BIN), "synth", "--patients", str(SIZES[size]), "--seed", "1", "--messy", "0.01", "--split", "24",
             "--out", str(folder / "monthly")] + synth_style(size))
        marker.write_text(generator_version())
    files = sorted((folder / "whole").glob("*.csv"))
    rows = sum(sum(1 for _ in open(f, "rb")) - 1 for f in files)
    size_bytes = sum(f.stat().st_size for f in files)
    return folder, files, rows, size_bytes


def loaded_store(size):
    """A store holding the whole data set of `size`, made once."""
    folder, files, _, _ = dataset(size)
    store = folder / "loaded.sqlite"
    if not store.exists():
        run([str(BIN), "ingest", "--db", str(store)] + [str(f) for f in files])
    return store


FORGET_RESULTS = "DELETE FROM course_results; DELETE FROM patient_results; DELETE FROM result_coverage; DELETE FROM result_catalogs;"


def forget_results(store):
    """A shell command that deletes the course results a report kept, so the next report is computed cold."""
    return f"sqlite3 {store} '{FORGET_RESULTS}'"


def reported_store(size):
    """A loaded store after the month's report, which kept its course results
    (as the monthly run leaves it): what a director's query meets."""
    folder, _, _, _ = dataset(size)
    store = folder / "reported.sqlite"
    if not store.exists():
        shutil.copy(loaded_store(size), store)
        run([str(BIN), "report", "--db", str(store), "--month", MONTH, "--out", str(folder / "out-reported")])
        run(["sqlite3", str(store), "PRAGMA wal_checkpoint(TRUNCATE)"])
    return store


def stage_query(size, runs):
    """Latency of typical ad hoc queries on a store the month's report has
    run on (the process, start to finish)."""
    store = reported_store(size)
    patient = run(["sqlite3", str(store), "SELECT pseudonym FROM patients ORDER BY id LIMIT 1 OFFSET 100"]).stdout.strip()
    base = f"{BIN} query --db {store} --month {MONTH}"
    queries = {
        "one site, one modality, 12m": f"{base} --modality tms --site 'St. Augustine' --window 12m",
        "all modalities, all windows": f"{base}",
        "by site, one modality": f"{base} --modality ketamine --by site",
        "by month, 12 months": f"{base} --modality ketamine --instrument phq9 --by month",
        "explain one patient": f"{BIN} explain --db {store} --patient {patient} --month {MONTH}",
    }
    timings = hyperfine(list(queries.values()), runs, name=f"query-{size}")
    return [{"query": label, **timing} for label, timing in zip(queries, timings)]


SQLITE_ALONE = "SQLite alone: the stored rows into the store's tables (INSERT … SELECT)"
# The ingest writer's window: two batches of 8,192 records (IngestWriter.batchesPerWindow), whose rows it inserts by patient.
WRITER_WINDOW = 16384


def sqlite_alone_insert(folder, files):
    """The part of a cold ingest no reader can take off the writer: SQLite
    inserting the rows our ingest stored, already parsed and checked, into
    empty tables of the store's own schema (clustered keys, the partial index,
    duplicates skipped by ON CONFLICT), in the writer's order (each window of
    WRITER_WINDOW rows of the file sorted by patient), in one transaction per
    table, with the first load's rollback journal and synchronous = FULL.
    No parsing, no checks, no binding, no interning: a floor for any ingest
    into this store. Returns the command and its prepare step."""
    staged = folder / "stored-rows.sqlite"
    writer_order = f"(row_number() OVER (ORDER BY file_id, record) - 1) / {WRITER_WINDOW}, patient_id, file_id, record"
    if not staged.exists():
        source = folder / "stored-rows-source.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{source}{suffix}").unlink(missing_ok=True)
        run([str(BIN), "ingest", "--db", str(source)] + [str(f) for f in files])
        run(["sqlite3", str(staged), f"ATTACH '{source}' AS s; "
             f"CREATE TABLE staged_sessions AS SELECT * FROM s.sessions ORDER BY {writer_order}; "
             f"CREATE TABLE staged_scores AS SELECT * FROM s.scores ORDER BY {writer_order}; "
             "CREATE TABLE schema AS SELECT sql FROM s.sqlite_master "
             "WHERE tbl_name IN ('sessions', 'scores') AND sql IS NOT NULL ORDER BY type DESC, name;"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{source}{suffix}").unlink(missing_ok=True)
    schema = run(["sqlite3", str(staged), "SELECT sql || ';' FROM schema"]).stdout
    target = folder / "sqlite-alone.sqlite"
    script = folder / "sqlite-alone.sql"
    script.write_text("PRAGMA synchronous = FULL;\nPRAGMA cache_size = -65536;\n"
                      f"ATTACH '{staged}' AS staged;\n{schema}"
                      "BEGIN; INSERT OR FAIL INTO main.sessions SELECT * FROM staged.staged_sessions WHERE true ON CONFLICT DO NOTHING; COMMIT;\n"
                      "BEGIN; INSERT OR FAIL INTO main.scores SELECT * FROM staged.staged_scores WHERE true ON CONFLICT DO NOTHING; COMMIT;\n")
    return f"sqlite3 {target} < {script}", f"rm -f {target} {target}-journal"


def stage_ingest(size, runs):
    """Cold ingest of the whole data set into an empty store; the no-validation
    floor, sqlite3 .import of the same files, in the same run."""
    folder, files, rows, size_bytes = dataset(size)
    store = folder / "cold.sqlite"
    ingest = f"{BIN} ingest --db {store} " + " ".join(str(f) for f in files) + " >/dev/null"
    imported = folder / "import.sqlite"
    script = folder / "import.sql"
    script.write_text(".mode csv\n" + "".join(f".import {f} t{i}\n" for i, f in enumerate(files)))
    sqlite_import = f"sqlite3 {imported} < {script} 2>/dev/null"
    labels = ["outcomes ingest", "sqlite3 .import (no validation)", SQLITE_ALONE]
    sqlite_alone, sqlite_alone_prepare = sqlite_alone_insert(folder, files)
    timings = measure_alternately([(ingest, f"rm -f {store} {store}-wal {store}-shm"), (sqlite_import, f"rm -f {imported}"),
                                   (sqlite_alone, sqlite_alone_prepare)], runs)
    return [{"label": label, **timing, "rows_per_s": rows / timing["median_s"], "mb_per_s": size_bytes / 1e6 / timing["median_s"]}
            for label, timing in zip(labels, timings)]


def stage_job(size, runs):
    """SPEC's whole job (ingest, validation, outcome files) by outcomes and by the
    DuckDB peer, and the peer's files checked equal to ours."""
    folder, files, rows, size_bytes = dataset(size)
    store = folder / "job.sqlite"
    ours_out, duck_out = folder / "out-ours", folder / "out-duckdb"
    clean = f"rm -rf {store} {store}-wal {store}-shm {ours_out} {duck_out}"
    names = " ".join(str(f) for f in files)
    ingest = f"{BIN} ingest --db {store} {names} >/dev/null"
    report = f"{BIN} report --db {store} --month {MONTH} --out {ours_out} >/dev/null"
    peer = ROOT / "bench" / "peers" / "duckdb_outcomes.py"
    ducks = {threads: f"python3 {peer} --month {MONTH} --out {duck_out} --threads {threads} {names} 2>{folder / f'duckdb-{threads}.log'}"
             for threads in (1, 2)}
    timings = measure_alternately([(f"{ingest} && {report}", clean), (ducks[1], clean), (ducks[2], clean)], runs)
    results = [{"label": "outcomes (ingest + report)", **timings[0]}]
    for threads, timing in zip((1, 2), timings[1:]):
        results.append({"label": f"DuckDB SQL, {threads} thread{'s' if threads > 1 else ''}", **timing})
        results[-1]["load_s"] = float((folder / f"duckdb-{threads}.log").read_text().split()[1])
        subprocess.run(f"{clean} && {ducks[threads]} && {ingest} && {report}", shell=True, check=True)
        results[-1]["files_equal_to_outcomes"] = all((ours_out / name).read_bytes() == (duck_out / name).read_bytes()
                                                     for name in ["outcomes.csv", "retention.csv", "timepoints.csv"])
    # Cold each time: the course results the previous report kept are deleted first.
    results[0]["report_peak_rss_mb"] = measure(report, runs, forget_results(store))["peak_rss_mb"]
    return results


def stage_report(size, runs):
    """The monthly report on a loaded store."""
    store = loaded_store(size)
    out = WORK / size / "out-report"
    command = f"{BIN} report --db {store} --month {MONTH} --out {out} >/dev/null"
    # The first report of the month computes every course (the kept results are
    # deleted first); a second report of the same month reads them back.
    return [{"label": "outcomes report", **measure(command, runs, forget_results(store))},
            {"label": "outcomes report again (course results kept)", **measure(command, runs)}]


def stage_incremental(size, runs):
    """The monthly run: a store holding the earlier months' exports, then
    `outcomes run` over all 48 monthly files (46 seen, 2 new) and the report;
    compared with the same run on an empty store."""
    folder, _, _, _ = dataset(size)
    monthly = sorted((folder / "monthly").glob("*.csv"))
    earlier = [f for f in monthly if f"_{MONTH}-" not in f.name]
    # The store as last month's cron run left it: the earlier files, and the
    # course results its report kept (schema v5).
    base = folder / "earlier-reported.sqlite"
    if not base.exists():
        run([str(BIN), "ingest", "--db", str(base)] + [str(f) for f in earlier])
        previous = f"{int(MONTH[:4]) - (MONTH[5:] == '01')}-{(int(MONTH[5:]) - 2) % 12 + 1:02d}"
        run([str(BIN), "report", "--db", str(base), "--month", previous, "--out", str(folder / "out-previous")])
        run(["sqlite3", str(base), "PRAGMA wal_checkpoint(TRUNCATE)"])
    store = folder / "monthly.sqlite"
    pipeline = folder / "pipeline.yaml"
    pipeline.write_text(f"store: {store}\ninputs: [{folder / 'monthly'}/*.csv]\nreports: {folder / 'reports'}\n")
    runner = f"{BIN} run {pipeline} --month {MONTH} --quiet >/dev/null"
    cold_prepare = f"rm -rf {store} {store}-wal {store}-shm {store}.lock"
    cold = measure(runner, runs, cold_prepare)
    incremental = measure(runner, runs, f"{cold_prepare}; cp {base} {store}")
    results = [{"label": "cold run (empty store, 48 monthly files)", **cold},
               {"label": "incremental run (23 months stored and reported, 2 new files)", **incremental,
                "share_of_cold": incremental["median_s"] / cold["median_s"]}]
    return results + incremental_parts(folder, base, store, [f for f in monthly if f not in earlier], runs, cold["median_s"])


def incremental_parts(folder, base, store, new_files, runs, cold_s):
    """Where the monthly run's time goes, each part measured alone, and the
    floor of any design that recomputes only the patients with a row in the new
    month: a cold report on a store holding those patients' rows alone (all
    their months) and nothing kept. Whatever else such a design saved, it
    would still read and compute these patients and write the report's files."""
    ingested = folder / "month-ingested.sqlite"      # last month's store and the two new files
    reported = folder / "month-reported.sqlite"      # ... and the month's report, every course kept
    changed_only = folder / "changed-patients.sqlite"  # only the patients the new files touch, nothing kept
    changed_reported = folder / "changed-patients-reported.sqlite"  # ... and their report, every course kept
    if not changed_reported.exists():  # main() deletes every store when a bench run starts
        shutil.copy(base, ingested)
        run([str(BIN), "ingest", "--db", str(ingested)] + [str(f) for f in new_files])
        run(["sqlite3", str(ingested), "PRAGMA wal_checkpoint(TRUNCATE)"])
        shutil.copy(ingested, reported)
        run([str(BIN), "report", "--db", str(reported), "--month", MONTH, "--out", str(folder / "out-month")])
        run(["sqlite3", str(reported), "PRAGMA wal_checkpoint(TRUNCATE)"])
        shutil.copy(ingested, changed_only)
        names = ", ".join(f"'{f.name}'" for f in new_files)
        run(["sqlite3", str(changed_only),
             "CREATE TEMP TABLE changed AS SELECT patient_id FROM sessions WHERE file_id IN "
             f"(SELECT id FROM files WHERE name IN ({names})) UNION SELECT patient_id FROM scores WHERE file_id IN "
             f"(SELECT id FROM files WHERE name IN ({names}));"
             "DELETE FROM sessions WHERE patient_id NOT IN changed; DELETE FROM scores WHERE patient_id NOT IN changed;"
             + FORGET_RESULTS + "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"])
        shutil.copy(changed_only, changed_reported)
        run([str(BIN), "report", "--db", str(changed_reported), "--month", MONTH, "--out", str(folder / "out-changed")])
        run(["sqlite3", str(changed_reported), "PRAGMA wal_checkpoint(TRUNCATE)"])
    def copy_of(path):
        return f"rm -f {store} {store}-wal {store}-shm; cp {path} {store}"
    report = f"{BIN} report --db {store} --month {MONTH} --out {folder / 'out-part'} >/dev/null"
    parts = [("part: the new month's ingest alone (2 files on last month's store)",
              f"{BIN} ingest --db {store} {' '.join(str(f) for f in new_files)} >/dev/null", copy_of(base)),
             ("part: the month's report after it", report, copy_of(ingested)),
             ("part: the same report with every course kept (nothing recomputed)", report, copy_of(reported)),
             ("floor: a cold report of only the patients with a row in the new month", report, copy_of(changed_only)),
             ("floor's fixed part: the same report with their courses kept (nothing computed)", report, copy_of(changed_reported))]
    results = []
    for label, command, prepare in parts:
        measured = measure(command, runs, prepare)
        results.append({"label": label, **measured, "share_of_cold": measured["median_s"] / cold_s})
    return results


def perf_shares(command, prepare=None):
    """Where a command's CPU time goes, from `perf record` samples grouped into
    components (perf's cpu-clock sampling works where hardware counters do not)."""
    if shutil.which("perf") is None:
        return None
    if prepare:
        subprocess.run(prepare, shell=True, check=True)
    data = RESULTS / ".perf.data"
    subprocess.run(["perf", "record", "-q", "-o", str(data), "sh", "-c", command], check=True, capture_output=True)
    report = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", "dso,symbol", "-g", "none"],
                            check=True, text=True, capture_output=True).stdout
    data.unlink()
    groups = {}
    for line in report.splitlines():
        parts = line.split()
        if len(parts) < 4 or not parts[0].endswith("%"):
            continue
        share, dso, symbol = float(parts[0][:-1]), parts[1], " ".join(parts[3:])
        if "sqlite" in dso:
            group = "SQLite (inserts, B-trees, reads)"
        elif dso.startswith("[kernel"):
            group = "kernel (file I/O, page faults)"
        elif "csv_parse" in symbol or "csv_" in symbol:
            group = "libcsv parsing"
        elif "sha256" in symbol.lower() or "BoringSSL" in symbol:
            group = "SHA-256"
        elif "libc" in dso or "ld-linux" in dso:
            group = "C library (memcpy, malloc)"
        elif "swift" in symbol.lower() and "OutcomesKit" not in symbol and "outcomes" not in dso:
            group = "Swift runtime (retain/release, allocation)"
        elif dso == "outcomes":
            group = "outcomes' own code" if "OutcomesKit" in symbol else "Swift runtime (retain/release, allocation)"
        elif "duckdb" in dso or "python" in dso:
            group = dso
        else:
            group = "other"
        groups[group] = groups.get(group, 0) + share
    return dict(sorted(groups.items(), key=lambda item: -item[1]))


def stage_profile(size, runs):
    """CPU profile of the cold ingest and of the report, by component."""
    folder, files, _, _ = dataset(size)
    store = folder / "profile.sqlite"
    ingest = f"{BIN} ingest --db {store} " + " ".join(str(f) for f in files) + " >/dev/null"
    report = f"{BIN} report --db {store} --month {MONTH} --out {folder / 'out-profile'} >/dev/null"
    ingest_shares = perf_shares(ingest, prepare=f"rm -f {store} {store}-wal {store}-shm")
    report_shares = perf_shares(report)
    if ingest_shares is None:
        return []
    return [{"label": "cold ingest", "shares": ingest_shares, "median_s": 0, "min_s": 0, "max_s": 0, "runs": 1},
            {"label": "report", "shares": report_shares, "median_s": 0, "min_s": 0, "max_s": 0, "runs": 1}]


def stage_layouts(size, runs):
    """Ingest of the same scores as this project's CSV, as an Epic-style long
    flowsheet (';', Windows-1252, header on line 3, labels, 12-hour times) and
    as FHIR NDJSON Observations, each through its sources.yaml (synth --layout)."""
    folder = WORK / size
    results = []
    for layout, file_name in [("epic", "flowsheets.csv"), ("fhir", "Observation.ndjson")]:
        out = folder / f"layout-{layout}"
        marker = out / ".done"
        if not (out / file_name).exists() or not marker.exists() or marker.read_text() != generator_version():
            shutil.rmtree(out, ignore_errors=True)
            run([str(BIN), "synth", "--patients", str(SIZES[size]), "--seed", "1", "--out", str(out), "--layout", layout])
            marker.write_text(generator_version())
        pipeline = out / "p.yaml"
        pipeline.write_text("store: layout.sqlite\nreports: r\n" + (out / "sources.yaml").read_text())
        canonical = out / "canonical" / "scores.csv"
        rows = sum(1 for _ in open(canonical, "rb")) - 1
        store = out / "layout.sqlite"
        prepare = f"rm -f {store} {store}-wal {store}-shm"
        if layout == "epic":
            plain = measure(f"{BIN} ingest --db {store} {canonical} >/dev/null", runs, prepare)
            results.append({"label": "scores, this project's CSV", **plain, "rows_per_s": rows / plain["median_s"]})
        mapped = measure(f"cd {out} && {BIN} ingest --db layout.sqlite --pipeline p.yaml {file_name} >/dev/null", runs, prepare)
        base = results[0]["median_s"]
        results.append({"label": f"scores, {layout} layout", **mapped, "rows_per_s": rows / mapped["median_s"],
                        "share_of_cold": base / mapped["median_s"]})
    return results


def measured_commit():
    """The commit the binary was built from, marked when the work tree differed from it."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"],
                           capture_output=True, text=True).stdout.strip()
    return head + ("+changes" if dirty else "")


STAGES = {"ingest": stage_ingest, "job": stage_job, "report": stage_report, "incremental": stage_incremental,
          "query": stage_query, "profile": stage_profile, "layouts": stage_layouts}


def load_results():
    results = {}
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        results[(data["stage"], data["size"])] = data
    return results


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    def version(command):
        try:
            return subprocess.run(command, shell=True, text=True, capture_output=True).stdout.strip().splitlines()[0]
        except Exception:
            return "?"
    return [("CPU", f"{os.cpu_count()} × {cpu}"), ("memory", f"{memory} GiB"),
            ("outcomes", version(f"{BIN} --version")), ("Swift", version("swift --version 2>&1")),
            ("SQLite (library)", version("sqlite3 --version").split()[0]),
            ("DuckDB (Python)", version("python3 -c 'import duckdb; print(duckdb.__version__)'")),
            ("libcsv", "3.0.3 (Debian libcsv-dev)")]


def markdown():
    """BENCHMARKS.md from bench/results/*.json: every figure comes from them."""
    r = load_results()
    sizes = [size for size in SIZES if any(key[1] == size for key in r)]
    def get(stage, size, label):
        data = r.get((stage, size))
        return next((e for e in data["results"] if e.get("label") == label), None) if data else None
    def seconds(value):
        return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"
    out = ["# Benchmarks", "",
           "Generated by `make bench` (`bench/bench.py`) from its own measurements in `bench/results/`;",
           "every figure below comes from those files, and the last table names the commit each measured",
           "(a stage can be run again alone). Wall times are medians of several runs (min–max in",
           "brackets), each process timed from start to finish; peak RSS is the median of `/usr/bin/time -v`'s",
           "maximum resident set size over the same runs. Where two tools are compared (ingest against",
           "`.import`, the job against DuckDB) their runs take turns, so that the machine's drift (tens of",
           "per cent over minutes on this shared host) falls on both. Data: `outcomes synth --seed 1 --messy 0.01`",
           "(realistic schedules, 1 % messy rows of every reject kind), one sessions and one scores file",
           "(`-messy` sizes: the same patients with `--style messy-headers`);",
           "the monthly run uses the same patients split into 24 monthly files per kind.", "", "## Machine", "",
           "| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in machine()] + ["", "## Data", "",
           "| size | rows | MB |", "|---|---:|---:|"]
    for size in sizes:
        any_stage = next(data for key, data in r.items() if key[1] == size)
        out.append(f"| {size} | {any_stage['rows']:,} | {any_stage['bytes'] / 1e6:.1f} |")

    # Targets (issue 15), as ratios within this run, on both data shapes.
    out += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    def verdict(ok):
        return "met" if ok else "**missed**"
    for size in [s for s in ("2m", "10m", "2m-messy", "10m-messy") if s in sizes]:
        job, duck = get("job", size, "outcomes (ingest + report)"), get("job", size, "DuckDB SQL, 1 thread")
        if job and duck:
            ratio = job["median_s"] / duck["median_s"]
            out.append(f"| cold ingest + monthly report ≤ 0.4 × DuckDB (1 thread), {size} | {seconds(job['median_s'])} vs {seconds(duck['median_s'])}: **{ratio:.2f}** | {verdict(ratio <= 0.4)} |")
        ours, floor = get("ingest", size, "outcomes ingest"), get("ingest", size, "sqlite3 .import (no validation)")
        if ours and floor:
            ratio = ours["rows_per_s"] / floor["rows_per_s"]
            alone = get("ingest", size, SQLITE_ALONE)
            context = (f" (SQLite alone inserting the stored rows: {alone['rows_per_s'] / floor['rows_per_s']:.2f} ×)" if alone else "")
            out.append(f"| ingest ≥ 1.5 × sqlite3 .import, {size} | {ours['rows_per_s'] / 1e6:.2f} vs {floor['rows_per_s'] / 1e6:.2f} M rows/s: **{ratio:.2f} ×**{context} | {verdict(ratio >= 1.5)} |")
        # The report stage's own measure when there is one (it may be newer than the job stage's).
        report = get("report", size, "outcomes report")
        peak = report["peak_rss_mb"] if report else job["report_peak_rss_mb"] if job else None
        if peak is not None:
            out.append(f"| report peak RSS ≤ 256 MB at any size, {size} | **{peak:.0f} MB** | {verdict(peak <= 256)} |")
        incremental = get("incremental", size, "incremental run (23 months stored and reported, 2 new files)")
        if incremental:
            floor = get("incremental", size, "floor: a cold report of only the patients with a row in the new month")
            context = f" (a cold report of only the patients with a row in the new month, no ingest: {floor['share_of_cold'] * 100:.1f} %)" if floor else ""
            out.append(f"| incremental monthly run ≤ 5 % of a cold run, {size} | **{incremental['share_of_cold'] * 100:.0f} %**{context} | {verdict(incremental['share_of_cold'] <= 0.05)} |")
        queries = r.get(("query", size))
        if queries:
            for label, limit in [("one site, one modality, 12m", 0.100), ("explain one patient", 0.050)]:
                entry = next((e for e in queries["results"] if e.get("query") == label), None)
                if entry:
                    out.append(f"| {'query' if limit > 0.05 else 'explain'}, whole process ≤ {limit * 1000:.0f} ms ({label}), {size} | **{seconds(entry['median_s'])}** | {verdict(entry['median_s'] <= limit)} |")
    rss = [(size, get("ingest", size, "outcomes ingest")) for size in sizes]
    rss = [(size, e["peak_rss_mb"]) for size, e in rss if e]
    if rss:
        worst = max(v for _, v in rss)
        out.append(f"| ingest peak RSS flat, ≤ 150 MB | " + ", ".join(f"{size}: {v:.0f} MB" for size, v in rss) + f" | {verdict(worst <= 150)} |")
    if "2m" in sizes and "10m" in sizes:
        for stage, label in [("ingest", "outcomes ingest"), ("job", "outcomes (ingest + report)")]:
            a, b = get(stage, "2m", label), get(stage, "10m", label)
            if a and b:
                per_row = (b["median_s"] / r[(stage, "10m")]["rows"]) / (a["median_s"] / r[(stage, "2m")]["rows"])
                out.append(f"| time linear from 2 M to 10 M rows ({label}) | time per row at 10 M = **{per_row:.2f} ×** that at 2 M | {verdict(per_row <= 1.15)} |")

    # Tables per stage.
    sections = [("ingest", "Cold ingest", "Empty store, the whole data set: our ingest (checking every row, keeping every reject, deduplicating) and `sqlite3 .import` of the same files into plain tables (no validation, no index); and SQLite alone inserting the rows our ingest stored, already parsed and checked, into empty tables of the store's schema (`INSERT … SELECT` from a copy, in the writer's order: the file's rows 16,384 at a time, each window by patient; the first load's journal settings): what the writer thread cannot avoid, whatever the readers do. Rows per second count the files' rows for all three."),
                ("job", "SPEC's whole job: outcomes vs DuckDB", "Ingest, validation and the outcome files for 2026-10. outcomes: `ingest` then `report` (two processes, all report files). DuckDB: `bench/peers/duckdb_outcomes.py`, the same job in DuckDB SQL (load = reading and validating). Its `outcomes.csv` and `retention.csv` are compared byte for byte with ours."),
                ("report", "Monthly report on a loaded store", "`outcomes report` (all files, with the 12-month trend)."),
                ("incremental", "The monthly run", "`outcomes run` over 48 monthly files, on an empty store, and on a store already holding the earlier 46 and the course results last month's report kept, as the monthly cron run leaves it (seen files are recognized by their SHA-256 and skipped)."),
                ("query", "Ad hoc queries", "A whole `outcomes query` or `explain` process, start to finish (medians by hyperfine).")]
    for stage, title, text in sections:
        rows = [(size, r.get((stage, size))) for size in sizes]
        rows = [(size, data) for size, data in rows if data]
        if not rows:
            continue
        out += ["", f"## {title}", "", text, "", "| size | what | wall time | peak RSS | |", "|---|---|---:|---:|---|"]
        for size, data in rows:
            for e in data["results"]:
                label = e.get("label") or e.get("query")
                notes = []
                if "rows_per_s" in e:
                    notes.append(f"{e['rows_per_s'] / 1e6:.2f} M rows/s, {e['mb_per_s']:.0f} MB/s")
                if "report_peak_rss_mb" in e:
                    notes.append(f"report alone {e['report_peak_rss_mb']:.0f} MB")
                if "load_s" in e:
                    notes.append(f"load {e['load_s']:.2f} s")
                if "files_equal_to_outcomes" in e:
                    notes.append("files equal to outcomes'" if e["files_equal_to_outcomes"] else "**files differ from outcomes'**")
                if "share_of_cold" in e:
                    notes.append(f"{e['share_of_cold'] * 100:.1f} % of the cold run")
                rss = f"{e['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in e else ""
                out.append(f"| {size} | {label} | {seconds(e['median_s'])} ({seconds(e['min_s'])}–{seconds(e['max_s'])}, n={e['runs']}) | {rss} | {'; '.join(notes)} |")

    profiles = [(size, r[("profile", size)]) for size in sizes if ("profile", size) in r]
    if profiles:
        out += ["", "## Where the time goes", "",
                "`perf record` (cpu-clock sampling) of the cold ingest and of the report, samples grouped by component.",
                "The ingest runs on two threads (a reader parsing and checking, a writer storing), so these are shares of CPU time, not of wall time."]
        for size, data in profiles:
            for e in data["results"]:
                out += ["", f"**{e['label']}, {size}**", "", "| component | share of samples |", "|---|---:|"]
                out += [f"| {group} | {share:.1f} % |" for group, share in e["shares"].items() if share >= 0.5]
    layouts = [(size, r[("layouts", size)]) for size in SIZES if ("layouts", size) in r]
    if layouts:
        out += ["", "## Real export layouts (stage `layouts`)", "",
                "The same scores ingested as this project's CSV, as an Epic-style flowsheet and as FHIR NDJSON Observations, "
                "each through the `sources.yaml` that `synth --layout` writes. Speed is the CSV's time over the layout's "
                "(target: at least 0.70 for the flowsheet, 0.33 for FHIR).", "",
                "| size | input | median | rows/s | peak RSS | speed vs CSV |", "|---|---|---:|---:|---:|---:|"]
        for size, data in layouts:
            for e in data["results"]:
                share = f"{e['share_of_cold']:.2f}" if "share_of_cold" in e else "1.00"
                out.append(f"| {size} | {e['label']} | {seconds(e['median_s'])} | {e['rows_per_s'] / 1e6:.2f} M | {e['peak_rss_mb']:.0f} MB | {share} |")
    out += ["", "## What each results file measured", "",
            "Every figure above comes from `bench/results/`; each file names the commit of the binary it ran "
            "(`+changes`: the work tree differed from it; `?`: written before files recorded it).", "",
            "| results file | commit |", "|---|---|"]
    for (stage, size), data in sorted(r.items()):
        out.append(f"| {stage}-{size}.json | {data.get('commit', '?')} |")
    analysis = ROOT / "bench" / "ANALYSIS.md"
    if analysis.exists():
        out += ["", analysis.read_text().strip()]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(out) + "\n")
    print("wrote BENCHMARKS.md")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0.1m,2m,10m")
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="only write BENCHMARKS.md from bench/results")
    args = parser.parse_args()
    if args.markdown:
        markdown()
        return
    if not BIN.exists():
        raise SystemExit("build first: swift build -c release")
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Stores are made fresh by this run, with this build, never reused.
    for store in WORK.glob("*/*.sqlite*"):
        store.unlink()
    for size in args.sizes.split(","):
        _, _, rows, size_bytes = dataset(size)
        for stage in args.stages.split(","):
            started = time.time()
            result = {"size": size, "rows": rows, "bytes": size_bytes, "stage": stage, "commit": measured_commit(),
                      "results": STAGES[stage](size, args.runs)}
            (RESULTS / f"{stage}-{size}.json").write_text(json.dumps(result, indent=2) + "\n")
            print(f"\n{stage} on {size} ({rows} rows, {size_bytes / 1e6:.1f} MB), {time.time() - started:.0f} s")
            for entry in result["results"]:
                label = entry.get("query") or entry.get("label") or entry.get("command")
                extra = "".join(f", {key} {entry[key]:.1f}" if isinstance(entry[key], float) else f", {key} {entry[key]}"
                                for key in ("rows_per_s", "peak_rss_mb", "report_peak_rss_mb", "load_s", "share_of_cold",
                                            "files_equal_to_outcomes") if key in entry)
                print(f"  {label:48s} median {entry['median_s']:8.3f} s (min {entry['min_s']:.3f}, max {entry['max_s']:.3f}, n={entry['runs']}){extra}")
                if "shares" in entry:
                    print("    " + ", ".join(f"{group} {share:.1f} %" for group, share in entry["shares"].items() if share >= 1))
    markdown()


if __name__ == "__main__":
    main()
