#!/usr/bin/env python3
"""SPEC.md's (v2) job in DuckDB SQL, the benchmark's peer: read the exports,
validate every row (reject reasons in SPEC order, dates with an optional time
of day), drop duplicates and conflicting duplicates (the first row wins),
build courses in instant order, and write outcomes.csv, retention.csv and
timepoints.csv for a month.

    duckdb_outcomes.py --month 2026-10 --out DIR --threads 1 FILE...

It implements SPEC.md for files like the benchmark's (headers in lower case,
no session_id column); the benchmark checks its output files equal outcomes'.
Timing of the load (reading and validating) goes to stderr.
"""
import argparse
import calendar
import datetime
import os
import sys
import time

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_output  # noqa: E402

# SPEC §3: id, aliases, floor, max, min baseline, response ('p', percent) or ('k', points), remission, reliable change.
INSTRUMENTS = [
    ("phq9", ["phq-9", "phq 9"], 0, 27, 10, ("p", 50), 4, 6),
    ("gad7", ["gad-7"], 0, 21, 10, ("p", 50), 4, 4),
    ("madrs", [], 0, 60, 20, ("p", 50), 10, 7),
    ("hamd17", ["ham-d", "hamd", "hdrs17"], 0, 52, 14, ("p", 50), 7, 6),
    ("qids_sr16", ["qids", "qids-sr"], 0, 27, 11, ("p", 50), 5, 5),
    ("bdi2", ["bdi-ii", "bdi"], 0, 63, 20, ("p", 50), 12, 9),
    ("pcl5", ["pcl-5"], 0, 80, 33, ("k", 10), 32, 10),
    ("ymrs", [], 0, 60, 20, ("p", 50), 12, None),
    ("bprs", ["bprs-18"], 18, 126, 41, ("p", 40), None, None),
    ("cgi_s", ["cgi-s"], 1, 7, 4, ("k", 2), 2, None),
    ("mrs", [], 0, 44, 9, ("p", 50), 4, None),
    ("tnss", ["rtnss"], 0, 12, 4, ("p", 30), None, None),
]
# SPEC §4: id, aliases, instruments, acute sessions, completion sessions, horizon, gap, follow-up, retention, time points.
RAPID = [("4h", 4, 2, 8), ("24h", 24, 16, 48)]
MODALITIES = [
    ("ketamine_iv", ["ketamine", "iv ketamine", "ketamine infusion"], ["phq9", "gad7", "madrs", "pcl5"], 6, 6, None, 90, 14, None, RAPID),
    ("esketamine", ["spravato"], ["phq9", "madrs"], 8, 8, None, 90, 14, None, RAPID),
    ("tms", ["rtms", "neurostar", "neurostar tms"], ["phq9", "gad7"], 36, 20, None, 60, 14, None, []),
    ("ort", ["buprenorphine", "suboxone", "moud"], ["phq9", "gad7"], None, None, 180, 30, 30, 180, []),
    ("lai", ["invega", "invega sustenna", "paliperidone"], ["ymrs", "bprs", "cgi_s", "phq9"], None, None, 180, 60, 45, 180, []),
    ("bhrt", ["hrt"], ["mrs"], None, None, 90, 120, 45, None, []),
    ("ait", ["allergy shots", "scit"], ["tnss"], None, None, 365, 60, 30, None, []),
]


# SPEC §1: a date with an optional time (expressions over one VARCHAR column, {} = the column).
VALID_DATE = ("length({0}) IN (10, 16, 19) AND regexp_full_match({0}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([T ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?)?')"
              " AND try_strptime(substr({0}, 1, 10), '%Y-%m-%d') IS NOT NULL"
              " AND (length({0}) = 10 OR (try_cast(substr({0}, 12, 2) AS INT) < 24 AND try_cast(substr({0}, 15, 2) AS INT) < 60"
              " AND (length({0}) = 16 OR try_cast(substr({0}, 18, 2) AS INT) < 60)))")
DAY = "try_strptime(substr({0}, 1, 10), '%Y-%m-%d')::DATE"
TIME = ("CASE WHEN length({0}) >= 16 AND regexp_full_match({0}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ][0-9:]+') THEN"
        " try_cast(substr({0}, 12, 2) AS INT) * 3600 + try_cast(substr({0}, 15, 2) AS INT) * 60"
        " + coalesce(try_cast(substr({0}, 18, 2) AS INT), 0) ELSE -1 END")


def catalog_tables(con):
    con.execute("CREATE TABLE instrument_names (name VARCHAR, id VARCHAR)")
    con.execute("CREATE TABLE instruments (id VARCHAR, floor INT, max INT, min_baseline INT, kind VARCHAR, amount INT, remission INT, rc INT)")
    for ident, aliases, floor, top, minimum, (kind, amount), remission, rc in INSTRUMENTS:
        con.execute("INSERT INTO instruments VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [ident, floor, top, minimum, kind, amount, remission, rc])
        for name in [ident] + aliases:
            con.execute("INSERT INTO instrument_names VALUES (?, ?)", [name, ident])
    con.execute("CREATE TABLE modality_names (name VARCHAR, id VARCHAR)")
    con.execute("CREATE TABLE modalities (id VARCHAR, n INT, completion INT, h INT, gap INT, g INT, r INT)")
    con.execute("CREATE TABLE modality_instruments (modality VARCHAR, instrument VARCHAR)")
    con.execute("CREATE TABLE time_points (modality VARCHAR, label VARCHAR, ord INT, target INT, lo INT, hi INT)")
    for ident, aliases, instruments, n, completion, h, gap, g, r, points in MODALITIES:
        con.execute("INSERT INTO modalities VALUES (?, ?, ?, ?, ?, ?, ?)", [ident, n, completion, h, gap, g, r])
        for order, (label, target, lo, hi) in enumerate(points):
            con.execute("INSERT INTO time_points VALUES (?, ?, ?, ?, ?, ?)", [ident, label, order, target * 3600, lo * 3600, hi * 3600])
        for name in [ident] + aliases:
            con.execute("INSERT INTO modality_names VALUES (?, ?)", [name, ident])
        for instrument in instruments:
            con.execute("INSERT INTO modality_instruments VALUES (?, ?)", [ident, instrument])


def load(con, files):
    """Reads each file (rows with too few or too many fields, or bytes that are not
    UTF-8, go to DuckDB's reject tables), then validates the rest in SPEC order."""
    sessions, scores = [], []
    for order, path in enumerate(files):
        with open(path, "rb") as handle:
            header = handle.readline().decode("utf-8", "replace").lower()
        if "session_date" in header:
            sessions.append((order, path))
        else:  # item9 is optional (SPEC §1): a file without it reads as all blank
            item9 = "item9" if "item9" in [name.strip() for name in header.split(",")] else "NULL"
            scores.append((order, path, item9))
    con.execute("CREATE TABLE session_rows (file INT, line BIGINT, patient VARCHAR, date VARCHAR, modality VARCHAR, site VARCHAR)")
    con.execute("CREATE TABLE score_rows (file INT, line BIGINT, patient VARCHAR, date VARCHAR, instrument VARCHAR, score VARCHAR, item9 VARCHAR)")
    for order, path in sessions:
        con.execute(f"""
            INSERT INTO session_rows
            SELECT {order}, row_number() OVER (), trim(coalesce(patient_id, ''), ' \t'), trim(coalesce(session_date, ''), ' \t'),
                   trim(coalesce(modality, ''), ' \t'), trim(coalesce(site, ''), ' \t')
            FROM read_csv('{path}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
                          store_rejects = true, strict_mode = true)""")
    for order, path, item9 in scores:
        con.execute(f"""
            INSERT INTO score_rows
            SELECT {order}, row_number() OVER (), trim(coalesce(patient_id, ''), ' \t'), trim(coalesce(assessment_date, ''), ' \t'),
                   trim(coalesce(instrument, ''), ' \t'), trim(coalesce(score, ''), ' \t'), trim(coalesce({item9}, ''), ' \t')
            FROM read_csv('{path}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
                          store_rejects = true, strict_mode = true)""")

    # SPEC §1–2: the reasons in order; valid rows keep canonical ids, day numbers and
    # times (seconds since midnight, -1 when none was written). A date is YYYY-MM-DD,
    # optionally followed by T or a space and HH:MM or HH:MM:SS.
    con.execute(f"""
        CREATE TABLE sessions_checked AS
        SELECT r.file, r.line, r.patient, r.site, m.id AS modality, {DAY.format("r.date")} AS day, {TIME.format("r.date")} AS time,
            CASE
                WHEN r.patient = '' OR r.date = '' OR r.modality = '' THEN 'missing_field'
                WHEN NOT regexp_full_match(r.patient, '[A-Za-z0-9._-]{{1,64}}') OR regexp_full_match(r.patient, '[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}') THEN 'bad_patient_id'
                WHEN NOT ({VALID_DATE.format("r.date")}) THEN 'bad_date'
                WHEN m.id IS NULL THEN 'unknown_modality'
            END AS reason
        FROM session_rows r LEFT JOIN modality_names m ON m.name = lower(r.modality)""")
    con.execute(f"""
        CREATE TABLE scores_checked AS
        SELECT r.file, r.line, r.patient, i.id AS instrument, {DAY.format("r.date")} AS day, {TIME.format("r.date")} AS time,
            try_cast(r.score AS HUGEINT) AS value,
            CASE WHEN i.id = 'phq9' AND regexp_full_match(r.item9, '-?[0-9]+') AND try_cast(r.item9 AS HUGEINT) BETWEEN 0 AND 3
                 THEN CAST(r.item9 AS INT) END AS item9,
            CASE
                WHEN r.patient = '' OR r.date = '' OR r.instrument = '' OR r.score = '' THEN 'missing_field'
                WHEN NOT regexp_full_match(r.patient, '[A-Za-z0-9._-]{{1,64}}') OR regexp_full_match(r.patient, '[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}') THEN 'bad_patient_id'
                WHEN NOT ({VALID_DATE.format("r.date")}) THEN 'bad_date'
                WHEN i.id IS NULL THEN 'unknown_instrument'
                WHEN NOT regexp_full_match(r.score, '-?[0-9]+') THEN 'bad_score'
                WHEN try_cast(r.score AS HUGEINT) IS NULL OR try_cast(r.score AS HUGEINT) NOT BETWEEN d.floor AND d.max THEN 'score_out_of_range'
            END AS reason
        FROM score_rows r LEFT JOIN instrument_names i ON i.name = lower(r.instrument) LEFT JOIN instruments d ON d.id = i.id""")

    # SPEC §2 keys: the first valid row of a key is stored; a later one with the same
    # values is a duplicate, with other values a conflicting duplicate.
    con.execute("""
        CREATE TABLE sessions AS
        SELECT patient, modality, day, time, site FROM (
            SELECT *, row_number() OVER (PARTITION BY patient, day, time, modality ORDER BY file, line) AS k
            FROM sessions_checked WHERE reason IS NULL) WHERE k = 1""")
    con.execute("""
        CREATE TABLE scores AS
        SELECT patient, instrument, day, time, CAST(value AS INT) AS score, item9 FROM (
            SELECT *, row_number() OVER (PARTITION BY patient, day, time, instrument ORDER BY file, line) AS k
            FROM scores_checked WHERE reason IS NULL) WHERE k = 1""")


def compute_outcomes(con, month):
    """SPEC §5–9 in SQL: courses in instant order, W, per-course outcomes, the
    three populations, windows, retention, and the time points of §6b."""
    year, number = map(int, month.split("-"))
    cut = datetime.date(year, number, calendar.monthrange(year, number)[1])
    # An instant in seconds (the start of the day when untimed); `key` orders scores:
    # by instant, the untimed one first (SPEC §5).
    con.execute("""
        CREATE TABLE scores_in AS
        SELECT *, (day - DATE '1970-01-01') * 86400 + greatest(time, 0) AS instant,
               ((day - DATE '1970-01-01') * 86400 + greatest(time, 0)) * 2 + CASE WHEN time >= 0 THEN 1 ELSE 0 END AS key
        FROM scores""")
    # Sessions up to C with their course number and position in the course (SPEC §5):
    # instant order; at one instant the smallest site, then the untimed one, first.
    con.execute("""
        CREATE TABLE sessions_in AS
        WITH timed AS (
            SELECT s.*, (s.day - DATE '1970-01-01') * 86400 + greatest(s.time, 0) AS instant,
                   CASE WHEN s.time >= 0 THEN 1 ELSE 0 END AS is_timed, m.gap
            FROM sessions s JOIN modalities m ON m.id = s.modality WHERE s.day <= $cut),
        ordered AS (
            SELECT *, CASE WHEN day - lag(day) OVER (PARTITION BY patient, modality ORDER BY instant, site, is_timed) > gap
                           THEN 1 ELSE 0 END AS breaks
            FROM timed),
        numbered AS (
            SELECT *, sum(breaks) OVER (PARTITION BY patient, modality ORDER BY instant, site, is_timed ROWS UNBOUNDED PRECEDING) AS course
            FROM ordered)
        SELECT *, row_number() OVER (PARTITION BY patient, modality, course ORDER BY instant, site, is_timed) AS i FROM numbered""",
                {"cut": cut})
    month_start = datetime.date(year, number, 1)
    twelve_first = (year * 12 + number - 1) - 11
    twelve_start = datetime.date(twelve_first // 12, twelve_first % 12 + 1, 1)
    first = con.execute("SELECT min(day) FROM sessions WHERE day <= ?", [cut]).fetchone()[0] or cut
    con.execute("CREATE TABLE windows (name VARCHAR, start DATE, stop DATE)")
    con.execute("INSERT INTO windows VALUES ('month', ?, ?), ('12m', ?, ?), ('all', ?, ?)",
                [month_start, cut, twelve_start, cut, min(first, cut), cut])
    con.execute("""
        CREATE TABLE courses AS
        WITH summary AS (
            SELECT s.patient, s.modality, s.course, min(s.day) AS start, max(s.day) AS stop, count(*) AS sessions,
                   arg_min(s.site, s.i) AS site, any_value(m.n) AS n, any_value(m.completion) AS completion, any_value(m.h) AS h,
                   any_value(m.g) AS g, any_value(m.r) AS r, any_value(m.gap) AS gap,
                   max(CASE WHEN s.i = 1 THEN s.instant END) AS start_instant,
                   max(CASE WHEN s.i = 1 THEN s.is_timed END) AS start_timed,
                   max(CASE WHEN s.i = 2 THEN s.instant END) AS second_instant,
                   max(CASE WHEN s.i = m.n THEN s.day END) AS dn, max(CASE WHEN s.i = m.n + 1 THEN s.day END) AS dn1
            FROM sessions_in s JOIN modalities m ON m.id = s.modality GROUP BY s.patient, s.modality, s.course)
        SELECT *, CASE WHEN h IS NOT NULL AND start + h < w0 THEN start + h ELSE w0 END AS w
        FROM (SELECT *, CASE WHEN n IS NOT NULL AND sessions >= n
                             THEN CASE WHEN dn1 IS NOT NULL AND dn1 < dn + g THEN dn1 ELSE dn + g END
                             ELSE stop + g END AS w0 FROM summary)""")
    con.execute("""
        CREATE TABLE pairs AS
        SELECT c.*, mi.instrument, d.floor, d.min_baseline, d.kind, d.amount, d.remission, d.rc
        FROM courses c JOIN modality_instruments mi ON mi.modality = c.modality JOIN instruments d ON d.id = mi.instrument
        WHERE c.w <= $cut""", {"cut": cut})
    # Baseline: the latest score from start − 30 that comes before the first session
    # (at one instant the score comes first).
    con.execute("""
        CREATE TABLE baselines AS
        SELECT p.patient, p.modality, p.course, p.instrument, arg_max(s.score, s.key) AS b
        FROM pairs p JOIN scores_in s ON s.patient = p.patient AND s.instrument = p.instrument
             AND s.day >= p.start - 30 AND s.instant <= p.start_instant
        GROUP BY p.patient, p.modality, p.course, p.instrument""")
    con.execute("""
        CREATE TABLE follow AS
        SELECT p.patient, p.modality, p.course, p.instrument, s.day, s.time, s.instant, s.key, s.score
        FROM pairs p JOIN scores_in s ON s.patient = p.patient AND s.instrument = p.instrument
             AND s.instant > p.start_instant AND s.day <= p.w""")
    con.execute("""
        CREATE TABLE judged AS
        WITH endpoints AS (
            SELECT patient, modality, course, instrument, arg_max(score, key) AS e_score
            FROM follow GROUP BY patient, modality, course, instrument)
        SELECT p.*, b.b, en.e_score,
               CASE WHEN b.b IS NULL THEN 'no_baseline' WHEN b.b < p.min_baseline THEN 'below_threshold'
                    WHEN en.e_score IS NULL THEN 'no_followup' ELSE 'evaluated' END AS status
        FROM pairs p
        LEFT JOIN baselines b USING (patient, modality, course, instrument)
        LEFT JOIN endpoints en USING (patient, modality, course, instrument)""")
    con.execute("""
        CREATE TABLE outcomes AS
        WITH meets AS (
            SELECT f.patient, f.modality, f.course, f.instrument, f.instant, f.key, j.sessions, j.second_instant,
                   CASE WHEN j.kind = 'p' THEN (j.b - f.score) * 100 >= j.amount * (j.b - j.floor)
                        ELSE j.b - f.score >= j.amount END AS responds
            FROM follow f JOIN judged j USING (patient, modality, course, instrument)
            WHERE j.status IN ('no_followup', 'evaluated')),
        firsts AS (
            SELECT patient, modality, course, instrument,
                   bool_or(responds AND (sessions = 1 OR instant <= second_instant)) AS early,
                   arg_min(instant, key) FILTER (responds) AS first_response
            FROM meets GROUP BY patient, modality, course, instrument),
        flagged AS (
            SELECT j.*, coalesce(f.early, false) AS early, f.first_response,
                   j.status = 'evaluated' AND CASE WHEN j.kind = 'p' THEN (j.b - j.e_score) * 100 >= j.amount * (j.b - j.floor)
                                                   ELSE j.b - j.e_score >= j.amount END AS responder,
                   j.status = 'evaluated' AND j.remission IS NOT NULL AND j.e_score <= j.remission AS remitter,
                   j.status = 'evaluated' AND j.rc IS NOT NULL AND j.b - j.e_score >= j.rc AS improved,
                   j.status = 'evaluated' AND j.rc IS NOT NULL AND j.e_score - j.b >= j.rc AS deteriorated
            FROM judged j LEFT JOIN firsts f USING (patient, modality, course, instrument))
        SELECT *, remitter AND improved AS recovered,
               status = 'evaluated' AND (completion IS NULL OR sessions >= completion OR responder) AS completer
        FROM flagged""")
    con.execute("""
        CREATE TABLE with_sessions AS
        SELECT o.*, CASE WHEN o.responder THEN (
                   SELECT count(*) FROM sessions_in s WHERE s.patient = o.patient AND s.modality = o.modality
                   AND s.course = o.course AND s.instant < o.first_response) END AS to_response
        FROM outcomes o""")
    rows = con.execute("""
        SELECT w.name, w.start, w.stop, o.modality, o.instrument, coalesce(o.site, '*') AS site,
               count(*), count(*) FILTER (status = 'no_baseline'), count(*) FILTER (status = 'below_threshold'),
               count(*) FILTER (status IN ('no_followup', 'evaluated')), count(*) FILTER (status = 'evaluated'),
               count(*) FILTER (completer), count(*) FILTER (responder), count(*) FILTER (remitter), count(*) FILTER (recovered),
               count(*) FILTER (completer AND responder), count(*) FILTER (completer AND remitter),
               coalesce(sum(b) FILTER (status = 'evaluated'), 0), coalesce(sum(e_score) FILTER (status = 'evaluated'), 0),
               count(*) FILTER (improved), count(*) FILTER (deteriorated), count(*) FILTER (early),
               median(to_response), bool_or(remission IS NOT NULL), bool_or(rc IS NOT NULL), grouping(o.site)
        FROM with_sessions o JOIN windows w ON o.w BETWEEN w.start AND w.stop
        GROUP BY GROUPING SETS ((w.name, w.start, w.stop, o.modality, o.instrument, o.site),
                                (w.name, w.start, w.stop, o.modality, o.instrument))""").fetchall()
    outcome_rows = [{"window": r[0], "period_start": str(r[1]), "period_end": str(r[2]), "modality": r[3], "instrument": r[4],
                     "site": "*" if r[25] else r[5], "courses": r[6], "no_baseline": r[7], "below_threshold": r[8],
                     "itt": r[9], "evaluable": r[10], "completers": r[11], "responders": r[12], "remitters": r[13],
                     "recovered": r[14], "completer_responders": r[15], "completer_remitters": r[16], "baseline_sum": r[17],
                     "endpoint_sum": r[18], "improved": r[19], "deteriorated": r[20], "early": r[21],
                     "median": r[22], "has_remission": r[23], "has_rc": r[24]} for r in rows]
    rows = con.execute("""
        SELECT w.name, w.start, w.stop, c.modality, c.site, count(*), count(*) FILTER (c.stop - c.start >= c.r),
               grouping(c.site)
        FROM courses c JOIN windows w ON c.r IS NOT NULL AND c.start + c.r + c.gap BETWEEN w.start AND w.stop
        GROUP BY GROUPING SETS ((w.name, w.start, w.stop, c.modality, c.site), (w.name, w.start, w.stop, c.modality))""").fetchall()
    retention_rows = [{"window": r[0], "period_start": str(r[1]), "period_end": str(r[2]), "modality": r[3],
                       "site": "*" if r[7] else r[4], "evaluable": r[5], "retained": r[6]} for r in rows]
    # SPEC §6b: for ITT courses whose first session is timed, the timed follow-up score
    # closest to each time point's target within its range (the earlier on a tie).
    con.execute("""
        CREATE TABLE timed_itt AS
        SELECT o.*, t.label, t.ord, t.target, t.lo, t.hi
        FROM outcomes o JOIN time_points t ON t.modality = o.modality
        WHERE o.start_timed = 1 AND o.status IN ('no_followup', 'evaluated')""")
    con.execute("""
        CREATE TABLE picks AS
        SELECT * FROM (
            SELECT t.patient, t.modality, t.course, t.instrument, t.label, f.score AS tp_score,
                   row_number() OVER (PARTITION BY t.patient, t.modality, t.course, t.instrument, t.label
                                      ORDER BY abs(f.instant - t.start_instant - t.target), f.instant) AS k
            FROM timed_itt t JOIN follow f USING (patient, modality, course, instrument)
            WHERE f.time >= 0 AND f.instant - t.start_instant BETWEEN t.lo AND t.hi) WHERE k = 1""")
    rows = con.execute("""
        WITH scored AS (
            SELECT t.*, p.tp_score, p.tp_score - t.b AS change,
                   p.tp_score IS NOT NULL AND CASE WHEN t.kind = 'p' THEN (t.b - p.tp_score) * 100 >= t.amount * (t.b - t.floor)
                                                   ELSE t.b - p.tp_score >= t.amount END AS tp_responds,
                   p.tp_score IS NOT NULL AND t.remission IS NOT NULL AND p.tp_score <= t.remission AS tp_remits
            FROM timed_itt t LEFT JOIN picks p USING (patient, modality, course, instrument, label))
        SELECT w.name, w.start, w.stop, s.modality, s.instrument, coalesce(s.site, '*'), s.label, any_value(s.ord),
               count(*), count(tp_score), coalesce(sum(b) FILTER (tp_score IS NOT NULL), 0), coalesce(sum(tp_score), 0),
               coalesce(sum(change), 0), coalesce(sum(change * change), 0), count(*) FILTER (tp_responds),
               count(*) FILTER (tp_remits), bool_or(remission IS NOT NULL), grouping(s.site)
        FROM scored s JOIN windows w ON s.w BETWEEN w.start AND w.stop
        GROUP BY GROUPING SETS ((w.name, w.start, w.stop, s.modality, s.instrument, s.site, s.label),
                                (w.name, w.start, w.stop, s.modality, s.instrument, s.label))""").fetchall()
    timepoint_rows = [{"window": r[0], "period_start": str(r[1]), "period_end": str(r[2]), "modality": r[3], "instrument": r[4],
                       "site": "*" if r[17] else r[5], "time_point": r[6], "order": r[7], "itt_timed": r[8], "n": r[9],
                       "baseline_sum": r[10], "score_sum": r[11], "change_sum": r[12], "change_squares": r[13],
                       "responders": r[14], "remitters": r[15], "has_remission": r[16]} for r in rows]
    return outcome_rows, retention_rows, timepoint_rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--month", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    started = time.time()
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute("SET preserve_insertion_order = true")
    catalog_tables(con)
    load(con, args.files)
    loaded = time.time()
    outcome_rows, retention_rows, timepoint_rows = compute_outcomes(con, args.month)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "outcomes.csv"), "w") as handle:
        handle.write(spec_output.outcomes_csv(outcome_rows))
    with open(os.path.join(args.out, "retention.csv"), "w") as handle:
        handle.write(spec_output.retention_csv(retention_rows))
    from scipy.stats import t as student_t
    with open(os.path.join(args.out, "timepoints.csv"), "w") as handle:
        handle.write(spec_output.timepoints_csv(timepoint_rows, lambda p, df: float(student_t.ppf(p, df))))
    print(f"load {loaded - started:.3f} s, total {time.time() - started:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
