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
SIZES = {"0.1m": 4_200, "1m": 45_000, "2m": 93_000, "10m": 420_000}
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


def dataset(size):
    """Synthetic exports of `size`: one file per kind, and a monthly split for the incremental run."""
    folder = WORK / size
    marker = folder / ".done"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        run([str(BIN), "synth", "--patients", str(SIZES[size]), "--seed", "1", "--messy", "0.01", "--out", str(folder / "whole")])
        run([str(BIN), "synth", "--patients", str(SIZES[size]), "--seed", "1", "--messy", "0.01", "--split", "24",
             "--out", str(folder / "monthly")])
        marker.write_text("ok")
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


def stage_query(size, runs):
    """Latency of typical ad hoc queries on a loaded store (the process, start to finish)."""
    store = loaded_store(size)
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


def stage_ingest(size, runs):
    """Cold ingest of the whole data set into an empty store; the no-validation
    floor, sqlite3 .import of the same files, in the same run."""
    folder, files, rows, size_bytes = dataset(size)
    store = folder / "cold.sqlite"
    clean = f"rm -f {store} {store}-wal {store}-shm"
    ingest = f"{BIN} ingest --db {store} " + " ".join(str(f) for f in files)
    imported = folder / "import.sqlite"
    script = folder / "import.sql"
    script.write_text(".mode csv\n" + "".join(f".import {f} t{i}\n" for i, f in enumerate(files)))
    sqlite_import = f"sqlite3 {imported} < {script} 2>/dev/null"
    timings = hyperfine([ingest, sqlite_import], runs, warmup=0,
                        prepare=f"{clean}; rm -f {imported}", name=f"ingest-{size}")
    ours, floor = timings
    return [
        {"label": "outcomes ingest", **ours, "rows_per_s": rows / ours["median_s"], "mb_per_s": size_bytes / 1e6 / ours["median_s"],
         "peak_rss_mb": peak_rss_mb(ingest, runs, prepare=clean)},
        {"label": "sqlite3 .import (no validation)", **floor, "rows_per_s": rows / floor["median_s"],
         "mb_per_s": size_bytes / 1e6 / floor["median_s"],
         "peak_rss_mb": peak_rss_mb(sqlite_import, runs, prepare=f"rm -f {imported}")},
    ]


def stage_job(size, runs):
    """SPEC's whole job (ingest, validation, outcome files) by outcomes and by the
    DuckDB peer, and the peer's files checked equal to ours."""
    folder, files, rows, size_bytes = dataset(size)
    store = folder / "job.sqlite"
    ours_out, duck_out = folder / "out-ours", folder / "out-duckdb"
    clean = f"rm -rf {store} {store}-wal {store}-shm {ours_out} {duck_out}"
    names = " ".join(str(f) for f in files)
    ours = f"{BIN} ingest --db {store} {names} >/dev/null && {BIN} report --db {store} --month {MONTH} --out {ours_out} >/dev/null"
    peer = ROOT / "bench" / "peers" / "duckdb_outcomes.py"
    duck1 = f"python3 {peer} --month {MONTH} --out {duck_out} --threads 1 {names} 2>/dev/null"
    duck2 = f"python3 {peer} --month {MONTH} --out {duck_out} --threads 2 {names} 2>/dev/null"
    timings = hyperfine([ours, duck1, duck2], runs, warmup=0, prepare=clean, name=f"job-{size}")
    # One more run of each, to compare their files and time DuckDB's load alone.
    subprocess.run(clean, shell=True, check=True)
    subprocess.run(ours, shell=True, check=True)
    load = subprocess.run(["python3", str(peer), "--month", MONTH, "--out", str(duck_out), "--threads", "1"] + [str(f) for f in files],
                          check=True, text=True, capture_output=True).stderr
    equal = all((ours_out / name).read_bytes() == (duck_out / name).read_bytes() for name in ["outcomes.csv", "retention.csv"])
    report_rss = peak_rss_mb(f"{BIN} report --db {store} --month {MONTH} --out {ours_out}", runs)
    labels = ["outcomes (ingest + report)", "DuckDB SQL, 1 thread", "DuckDB SQL, 2 threads"]
    results = [{"label": label, **timing, "peak_rss_mb": peak_rss_mb(command, runs, prepare=clean)}
               for label, timing, command in zip(labels, timings, [ours, duck1, duck2])]
    results[0]["report_peak_rss_mb"] = report_rss
    results[1]["load_s"] = float(load.split()[1])
    results[1]["files_equal_to_outcomes"] = equal
    return results


def stage_report(size, runs):
    """The monthly report on a loaded store."""
    store = loaded_store(size)
    out = WORK / size / "out-report"
    command = f"{BIN} report --db {store} --month {MONTH} --out {out}"
    timing = hyperfine([command], runs, name=f"report-{size}")[0]
    return [{"label": "outcomes report", **timing, "peak_rss_mb": peak_rss_mb(command, runs)}]


def stage_incremental(size, runs):
    """The monthly run: a store holding the earlier 23 months' exports, then
    `outcomes run` over all 48 monthly files (46 seen, 2 new) and the report;
    compared with the same run on an empty store."""
    folder, _, _, _ = dataset(size)
    monthly = sorted((folder / "monthly").glob("*.csv"))
    earlier = [f for f in monthly if f"_{MONTH}-" not in f.name]
    base = folder / "earlier.sqlite"
    if not base.exists():
        run([str(BIN), "ingest", "--db", str(base)] + [str(f) for f in earlier])
        run(["sqlite3", str(base), "PRAGMA wal_checkpoint(TRUNCATE)"])
    store = folder / "monthly.sqlite"
    pipeline = folder / "pipeline.yaml"
    pipeline.write_text(f"store: {store}\ninputs: [{folder / 'monthly'}/*.csv]\nreports: {folder / 'reports'}\n")
    runner = f"{BIN} run {pipeline} --month {MONTH} --quiet >/dev/null"
    cold_prepare = f"rm -rf {store} {store}-wal {store}-shm {store}.lock"
    warm_prepare = f"{cold_prepare}; cp {base} {store}"
    cold = hyperfine([runner], runs, warmup=0, prepare=cold_prepare, name=f"cold-run-{size}")[0]
    incremental = hyperfine([runner], runs, warmup=0, prepare=warm_prepare, name=f"incremental-run-{size}")[0]
    return [{"label": "cold run (empty store, 48 monthly files)", **cold,
             "peak_rss_mb": peak_rss_mb(runner, runs, prepare=cold_prepare)},
            {"label": "incremental run (23 months stored, 2 new files)", **incremental,
             "peak_rss_mb": peak_rss_mb(runner, runs, prepare=warm_prepare),
             "share_of_cold": incremental["median_s"] / cold["median_s"]}]


STAGES = {"ingest": stage_ingest, "job": stage_job, "report": stage_report, "incremental": stage_incremental,
          "query": stage_query}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0.1m,2m,10m")
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not BIN.exists():
        raise SystemExit("build first: swift build -c release")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        _, _, rows, size_bytes = dataset(size)
        for stage in args.stages.split(","):
            started = time.time()
            result = {"size": size, "rows": rows, "bytes": size_bytes, "stage": stage, "results": STAGES[stage](size, args.runs)}
            (RESULTS / f"{stage}-{size}.json").write_text(json.dumps(result, indent=2) + "\n")
            print(f"\n{stage} on {size} ({rows} rows, {size_bytes / 1e6:.1f} MB), {time.time() - started:.0f} s")
            for entry in result["results"]:
                label = entry.get("query") or entry.get("label") or entry.get("command")
                extra = "".join(f", {key} {entry[key]:.1f}" if isinstance(entry[key], float) else f", {key} {entry[key]}"
                                for key in ("rows_per_s", "peak_rss_mb", "report_peak_rss_mb", "load_s", "share_of_cold",
                                            "files_equal_to_outcomes") if key in entry)
                print(f"  {label:48s} median {entry['median_s']:8.3f} s (min {entry['min_s']:.3f}, max {entry['max_s']:.3f}, n={entry['runs']}){extra}")


if __name__ == "__main__":
    main()
