import Foundation
import GRDB

/// One finding of `outcomes doctor`.
public struct DoctorFinding: Sendable, Equatable {
    public enum Severity: String, Sendable { case ok, problem }
    public let severity: Severity
    public let check: String
    public let detail: String

    public init(severity: Severity, check: String, detail: String) {
        self.severity = severity
        self.check = check
        self.detail = detail
    }
}

/// `outcomes doctor`: checks that a store is sound and says what is wrong.
///
/// - SQLite's own `integrity_check` (pages, indexes, free list);
/// - that the file is an outcomes store and its schema version is known and current;
/// - `foreign_key_check` (enforcement is off on the writer for speed, so this is where it is verified);
/// - that every file's recorded counts match the rows it left in the store, and
///   every sessions file's first day its earliest row.
public enum StoreDoctor {
    public static func examine(path: String) -> [DoctorFinding] {
        guard FileManager.default.fileExists(atPath: path) else {
            return [DoctorFinding(severity: .problem, check: "store", detail: "\(path): no such file")]
        }
        var findings: [DoctorFinding] = []
        func ok(_ check: String, _ detail: String) { findings.append(DoctorFinding(severity: .ok, check: check, detail: detail)) }
        func problem(_ check: String, _ detail: String) { findings.append(DoctorFinding(severity: .problem, check: check, detail: detail)) }

        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            return [DoctorFinding(severity: .problem, check: "open", detail: "cannot open \(path): \(error)")]
        }
        do {
            try queue.inDatabase { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                if integrity == ["ok"] { ok("integrity", "SQLite integrity_check: ok") }
                else { problem("integrity", "SQLite integrity_check: " + integrity.prefix(5).joined(separator: "; ")) }

                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard applicationID == StoreSchema.applicationID else {
                    problem("identity", "not an outcomes store (application_id \(applicationID))")
                    return
                }
                ok("identity", "an outcomes store")

                let applied = try StoreSchema.migrator.appliedIdentifiers(db)
                let known = StoreSchema.migrator.migrations
                if let unknown = applied.first(where: { !known.contains($0) }) {
                    problem("schema", "written by a newer version of outcomes (migration \"\(unknown)\")")
                } else if applied.count < known.count {
                    problem("schema", "out of date: \(applied.count) of \(known.count) migrations; run `outcomes upgrade` to upgrade it")
                } else {
                    ok("schema", "current (\(StoreSchema.latestVersion))")
                }

                let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                if orphans.isEmpty { ok("references", "every row's patient, site and file exist") }
                else { problem("references", "\(orphans.count) rows point at a missing patient, site or file") }

                let mismatched = try Row.fetchAll(db, sql: """
                    SELECT f.name, f.loaded, f.rejected,
                           (SELECT count(*) FROM sessions s WHERE s.file_id = f.id) + (SELECT count(*) FROM scores s WHERE s.file_id = f.id),
                           (SELECT count(*) FROM rejects r WHERE r.file_id = f.id)
                    FROM files f ORDER BY f.id
                    """).filter { row in (row[1] as Int) != (row[3] as Int) || (row[2] as Int) != (row[4] as Int) }
                if mismatched.isEmpty { ok("counts", "every file's loaded and rejected counts match its rows") }
                else {
                    problem("counts", mismatched.prefix(5).map { row in
                        "\(row[0] as String): recorded \(row[1] as Int) loaded, \(row[2] as Int) rejected; found \(row[3] as Int) and \(row[4] as Int)"
                    }.joined(separator: "; "))
                }
                // Queries and explanations start the all-time window at the smallest
                // first_day (schema v4); reports say how recent the data are from the
                // largest last_day (v8).
                if applied.count == known.count {
                    let stored = try Row.fetchAll(db, sql: """
                        SELECT f.name, f.first_day, m.first, f.last_day, m.last, f.kind FROM files f
                        LEFT JOIN (SELECT file_id, min(day) AS first, max(day) AS last FROM sessions GROUP BY file_id
                                   UNION ALL SELECT file_id, NULL, max(day) FROM scores GROUP BY file_id) m ON m.file_id = f.id
                        WHERE (f.kind = 'sessions' AND f.first_day IS NOT m.first) OR f.last_day IS NOT m.last ORDER BY f.id
                        """)
                    if stored.isEmpty { ok("file days", "every file's first and last days match its rows") }
                    else {
                        // Read as Int64: a tampered value may not fit a day.
                        func day(_ value: Int64?) -> String? {
                            value.map { Int32(exactly: $0).map { Day(ordinal: $0).description } ?? "day number \($0)" }
                        }
                        problem("file days", stored.prefix(5).map { row in
                            let first = (row[5] as String) == "sessions" ? "first \(day(row[1]) ?? "none") (rows: \(day(row[2]) ?? "none")), " : ""
                            return "\(row[0] as String): recorded \(first)last \(day(row[3]) ?? "none") (rows: \(day(row[4]) ?? "none"))"
                        }.joined(separator: "; "))
                    }
                }
                let firstDay = Day(year: 1, month: 1, day: 1)!.ordinal, lastDay = Day(year: 9999, month: 12, day: 31)!.ordinal
                let odd = try Int.fetchOne(db, sql: """
                    SELECT (SELECT count(*) FROM scores WHERE score NOT BETWEEN ?1 AND ?2 OR day NOT BETWEEN ?3 AND ?4
                                                      OR time NOT BETWEEN -1 AND 86399
                                                      OR (item9 IS NOT NULL AND item9 NOT BETWEEN 0 AND 3))
                         + (SELECT count(*) FROM sessions WHERE day NOT BETWEEN ?3 AND ?4 OR time NOT BETWEEN -1 AND 86399)
                    """, arguments: [Catalog.scoreRange.lowerBound, Catalog.scoreRange.upperBound, firstDay, lastDay]) ?? 0
                if odd == 0 { ok("values", "every score, item 9, date and time is within the ranges the tool writes") }
                else { problem("values", "\(odd) rows hold a score, item 9 or date the tool never writes (a tampered store?)") }

                let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM files WHERE sha256 LIKE 'reading:%'") ?? 0
                if pending > 0 { problem("files", "\(pending) file rows were never finished (a bug: a transaction should have removed them)") }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            problem("integrity", "not an SQLite database, or the file is corrupt (\(error.message ?? "\(error)"))")
        } catch {
            problem("open", "\(error)")
        }
        return findings
    }
}
