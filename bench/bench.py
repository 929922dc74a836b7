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


STAGES = {"query": stage_query}


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
                print(f"  {label:40s} median {entry['median_s'] * 1000:8.1f} ms  (min {entry['min_s'] * 1000:.1f}, max {entry['max_s'] * 1000:.1f}, n={entry['runs']})")


if __name__ == "__main__":
    main()
