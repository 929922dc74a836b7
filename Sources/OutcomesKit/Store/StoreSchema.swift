import GRDB

/// The store's schema, as GRDB migrations. Migrations only ever append: a
/// released migration is never edited, so every store upgrades the same way.
///
/// Dates are stored as whole days since 1970-01-01 (`day`); the `*_view`
/// views show them as `YYYY-MM-DD` with patient pseudonyms and site names,
/// for people querying the store with `outcomes sql`.
public enum StoreSchema {
    /// SQLite `application_id` marking a file as an outcomes store ("OUTC").
    public static let applicationID: Int32 = 0x4F55_5443

    /// Every migration, in order.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: files, patients, sites, sessions, scores, rejects") { db in
            try db.execute(sql: """
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('sessions', 'scores')),
                    bytes INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    loaded INTEGER NOT NULL,
                    duplicates INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    ingested_at TEXT NOT NULL
                );
                CREATE TABLE patients (
                    id INTEGER PRIMARY KEY,
                    pseudonym TEXT NOT NULL UNIQUE
                );
                CREATE TABLE sites (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE sessions (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients(id),
                    day INTEGER NOT NULL,
                    modality TEXT NOT NULL,
                    site_id INTEGER NOT NULL REFERENCES sites(id),
                    session_id TEXT,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    record INTEGER NOT NULL
                );
                -- SPEC §2 session keys: (patient, session_id) when the file had
                -- session_id, else (patient, date, modality).
                CREATE UNIQUE INDEX sessions_by_session_id ON sessions(patient_id, session_id)
                    WHERE session_id IS NOT NULL;
                CREATE UNIQUE INDEX sessions_by_day ON sessions(patient_id, day, modality)
                    WHERE session_id IS NULL;
                CREATE TABLE scores (
                    patient_id INTEGER NOT NULL REFERENCES patients(id),
                    instrument TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    score INTEGER NOT NULL,
                    item9 INTEGER,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    record INTEGER NOT NULL,
                    PRIMARY KEY (patient_id, instrument, day)
                ) WITHOUT ROWID;
                CREATE TABLE rejects (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    record INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    column_name TEXT,
                    detail TEXT NOT NULL,
                    raw BLOB NOT NULL
                );

                CREATE VIEW session_view AS
                    SELECT s.id, p.pseudonym AS patient_id, date(2440587.5 + s.day) AS session_date,
                           s.modality, t.name AS site, s.session_id, f.name AS file, s.record
                    FROM sessions s JOIN patients p ON p.id = s.patient_id
                    JOIN sites t ON t.id = s.site_id JOIN files f ON f.id = s.file_id;
                CREATE VIEW score_view AS
                    SELECT p.pseudonym AS patient_id, date(2440587.5 + s.day) AS assessment_date,
                           s.instrument, s.score, s.item9, f.name AS file, s.record
                    FROM scores s JOIN patients p ON p.id = s.patient_id JOIN files f ON f.id = s.file_id;
                CREATE VIEW reject_view AS
                    SELECT r.id, f.name AS file, r.record, r.reason, r.column_name, r.detail
                    FROM rejects r JOIN files f ON f.id = r.file_id;
                """)
        }
        migrator.registerMigration("v2: a quick identity for files (size and head hash)") { db in
            // A new file whose size and first 64 KiB match no stored file cannot be
            // a file seen before, so it is read once, not hashed first and read again.
            try db.execute(sql: """
                ALTER TABLE files ADD COLUMN head_sha256 TEXT;
                CREATE INDEX files_by_head ON files(bytes, head_sha256);
                """)
        }
        migrator.registerMigration("v3: times of day for sessions and scores") { db in
            // DATA-CONTRACT §1–2 (v2): a date may carry a time; keys compare
            // the normal form, so an untimed value (time -1) and 00:00:00 differ.
            try db.execute(sql: """
                DROP VIEW session_view;
                DROP VIEW score_view;
                ALTER TABLE sessions ADD COLUMN time INTEGER NOT NULL DEFAULT -1;
                DROP INDEX sessions_by_day;
                CREATE UNIQUE INDEX sessions_by_instant ON sessions(patient_id, day, time, modality)
                    WHERE session_id IS NULL;
                CREATE TABLE scores_v3 (
                    patient_id INTEGER NOT NULL REFERENCES patients(id),
                    instrument TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    time INTEGER NOT NULL DEFAULT -1,
                    score INTEGER NOT NULL,
                    item9 INTEGER,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    record INTEGER NOT NULL,
                    PRIMARY KEY (patient_id, instrument, day, time)
                ) WITHOUT ROWID;
                INSERT INTO scores_v3 (patient_id, instrument, day, time, score, item9, file_id, record)
                    SELECT patient_id, instrument, day, -1, score, item9, file_id, record FROM scores;
                DROP TABLE scores;
                ALTER TABLE scores_v3 RENAME TO scores;

                CREATE VIEW session_view AS
                    SELECT s.id, p.pseudonym AS patient_id,
                           date(2440587.5 + s.day) || CASE WHEN s.time < 0 THEN '' ELSE 'T' || time(s.time, 'unixepoch') END
                               AS session_date,
                           s.modality, t.name AS site, s.session_id, f.name AS file, s.record
                    FROM sessions s JOIN patients p ON p.id = s.patient_id
                    JOIN sites t ON t.id = s.site_id JOIN files f ON f.id = s.file_id;
                CREATE VIEW score_view AS
                    SELECT p.pseudonym AS patient_id,
                           date(2440587.5 + s.day) || CASE WHEN s.time < 0 THEN '' ELSE 'T' || time(s.time, 'unixepoch') END
                               AS assessment_date,
                           s.instrument, s.score, s.item9, f.name AS file, s.record
                    FROM scores s JOIN patients p ON p.id = s.patient_id JOIN files f ON f.id = s.file_id;
                """)
        }
        migrator.registerMigration("v4: each sessions file's first day") { db in
            // The all-time window starts at the store's first session. A query
            // or explanation reads one modality or one patient, so it asks the
            // files table (a few rows) rather than scanning every session.
            try db.execute(sql: """
                ALTER TABLE files ADD COLUMN first_day INTEGER;
                UPDATE files SET first_day = (SELECT min(day) FROM sessions WHERE sessions.file_id = files.id) WHERE kind = 'sessions';
                """)
        }
        migrator.registerMigration("v5: course results kept between runs") { db in
            // Each course's evaluation as of a cut, kept for the span of cuts it
            // holds for (docs/ARCHITECTURE.md, "Course results"): a report reuses
            // a patient's records while no row of theirs is dated in between.
            // result_catalogs: one row per catalogue fingerprint (SHA-256 of
            // what records depend on). patient_results: the span each patient's
            // records hold for, also for patients without a course. coverage:
            // (catalogue, cut) pairs for which every patient has records, until
            // the next file stores a row.
            try db.execute(sql: """
                CREATE TABLE result_catalogs (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL UNIQUE
                );
                CREATE TABLE patient_results (
                    patient_id INTEGER NOT NULL,
                    catalog_id INTEGER NOT NULL REFERENCES result_catalogs(id),
                    valid_from INTEGER NOT NULL,
                    valid_until INTEGER NOT NULL,
                    PRIMARY KEY (patient_id, catalog_id, valid_from)
                ) WITHOUT ROWID;
                CREATE TABLE course_results (
                    patient_id INTEGER NOT NULL,
                    catalog_id INTEGER NOT NULL REFERENCES result_catalogs(id),
                    valid_from INTEGER NOT NULL,
                    valid_until INTEGER NOT NULL,
                    modality INTEGER NOT NULL,
                    start_instant INTEGER NOT NULL,
                    site_id INTEGER NOT NULL,
                    window_end INTEGER NOT NULL,
                    detail BLOB NOT NULL,
                    PRIMARY KEY (patient_id, catalog_id, valid_from, modality, start_instant)
                ) WITHOUT ROWID;
                CREATE INDEX course_results_by_cell ON course_results(catalog_id, modality, site_id, window_end);
                CREATE TABLE result_coverage (
                    catalog_id INTEGER NOT NULL REFERENCES result_catalogs(id),
                    cut INTEGER NOT NULL,
                    PRIMARY KEY (catalog_id, cut)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6: a covered cut's report rows") { db in
            // The outcome and time-point rows of the report that marked a cut
            // covered: a query of that cut reads them instead of any course.
            // Derived, like the course results, and dropped with the coverage.
            try db.execute(sql: "ALTER TABLE result_coverage ADD COLUMN rows BLOB")
        }
        migrator.registerMigration("v7: sessions clustered by patient") { db in
            // One B-tree, keyed by patient first: an ingest inserts each session
            // into the table alone (the rowid table and its unique index took two
            // inserts, one of them at a random place), and a report reads a range
            // of patients' sessions in one pass of the key, a chunk at a time,
            // as it reads their scores. The key is DATA-CONTRACT §2's: a session
            // of a file without session_id has session_id '' (an export's empty
            // session_id is a missing_field reject, so '' is never an id), and
            // a session_id is unique per patient through its own partial index.
            try db.execute(sql: """
                DROP VIEW session_view;
                CREATE TABLE sessions_v7 (
                    patient_id INTEGER NOT NULL REFERENCES patients(id),
                    day INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    modality TEXT NOT NULL,
                    session_id TEXT NOT NULL,
                    site_id INTEGER NOT NULL REFERENCES sites(id),
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    record INTEGER NOT NULL,
                    PRIMARY KEY (patient_id, day, time, modality, session_id)
                ) WITHOUT ROWID;
                -- In patient order through each key's own index, so the rows go in
                -- at the table's end and nothing sorts the whole table. (What made the
                -- upgrade of a 10M-row store peak at 515 MB was DROP TABLE's statement
                -- journal, held in memory under temp_store = MEMORY, which the store
                -- no longer sets.)
                INSERT INTO sessions_v7 (patient_id, day, time, modality, session_id, site_id, file_id, record)
                    SELECT patient_id, day, time, modality, '', site_id, file_id, record
                    FROM sessions INDEXED BY sessions_by_instant WHERE session_id IS NULL
                    ORDER BY patient_id, day, time, modality;
                INSERT INTO sessions_v7 (patient_id, day, time, modality, session_id, site_id, file_id, record)
                    SELECT patient_id, day, time, modality, session_id, site_id, file_id, record
                    FROM sessions INDEXED BY sessions_by_session_id WHERE session_id IS NOT NULL
                    ORDER BY patient_id;
                DROP TABLE sessions;
                ALTER TABLE sessions_v7 RENAME TO sessions;
                CREATE UNIQUE INDEX sessions_by_session_id ON sessions(patient_id, session_id) WHERE session_id <> '';

                CREATE VIEW session_view AS
                    SELECT p.pseudonym AS patient_id,
                           date(2440587.5 + s.day) || CASE WHEN s.time < 0 THEN '' ELSE 'T' || time(s.time, 'unixepoch') END
                               AS session_date,
                           s.modality, t.name AS site, nullif(s.session_id, '') AS session_id, f.name AS file, s.record
                    FROM sessions s JOIN patients p ON p.id = s.patient_id
                    JOIN sites t ON t.id = s.site_id JOIN files f ON f.id = s.file_id;
                """)
        }
        migrator.registerMigration("v8: each file's last day") { db in
            // A report says how recent the data are: the latest session and score
            // stored. Since v7 no index leads with the day, and max(day) read every
            // row (0.12 s at 2M rows, on the report's critical path); the files
            // table has a few rows. Filled here in one pass of each table.
            try db.execute(sql: """
                ALTER TABLE files ADD COLUMN last_day INTEGER;
                UPDATE files SET last_day = m.last
                    FROM (SELECT file_id, max(day) AS last FROM sessions GROUP BY file_id) AS m WHERE m.file_id = files.id;
                UPDATE files SET last_day = m.last
                    FROM (SELECT file_id, max(day) AS last FROM scores GROUP BY file_id) AS m WHERE m.file_id = files.id;
                """)
        }
        return migrator
    }

    /// The last migration's identifier: the store's schema version.
    public static var latestVersion: String { migrator.migrations.last ?? "" }
}
