import Foundation
import GRDB

/// What a store holds: `outcomes status`.
public struct StoreStatus: Sendable {
    public let path: String
    public let bytes: Int
    public let schemaVersion: String
    public let migrationsApplied: Int
    public let files: [IngestedFile]
    public let sessions: Int
    public let scores: Int
    public let patients: Int
    public let sites: [String]
    public let sessionDays: ClosedRange<Day>?
    public let scoreDays: ClosedRange<Day>?
    public let modalities: [(id: String, sessions: Int)]
    public let instruments: [(id: String, scores: Int)]
    public let rejects: [(reason: RejectReason, count: Int)]

    /// A plain-text summary for the terminal.
    public var text: String {
        var lines = ["store       \(path) (\(bytes) bytes)",
                     "schema      \(schemaVersion) (\(migrationsApplied) migration\(migrationsApplied == 1 ? "" : "s") applied)",
                     "files       \(files.count) (\(files.filter { $0.kind == .sessions }.count) sessions, \(files.filter { $0.kind == .scores }.count) scores)"]
        if let last = files.last { lines.append("last file   \(TerminalText.safe(last.name)), ingested \(last.ingestedAt)") }
        lines.append("rows        \(sessions) sessions, \(scores) scores, \(patients) patients, \(sites.count) sites")
        if let range = sessionDays { lines.append("sessions    \(range.lowerBound) to \(range.upperBound)") }
        if let range = scoreDays { lines.append("scores      \(range.lowerBound) to \(range.upperBound)") }
        if !modalities.isEmpty { lines.append("modalities  " + modalities.map { "\($0.id) \($0.sessions)" }.joined(separator: ", ")) }
        if !instruments.isEmpty { lines.append("instruments " + instruments.map { "\($0.id) \($0.scores)" }.joined(separator: ", ")) }
        let rejected = rejects.reduce(0) { $0 + $1.count }
        lines.append("rejects     \(rejected)" + (rejected == 0 ? "" : ": " + rejects.map { "\($0.reason.rawValue) \($0.count)" }.joined(separator: ", ")))
        return lines.joined(separator: "\n") + "\n"
    }
}

extension OutcomeStore {
    public func status() throws -> StoreStatus {
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
        return try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            func range(_ table: String) throws -> ClosedRange<Day>? {
                guard let row = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM \(table)"),
                      let low = row[0] as Int32?, let high = row[1] as Int32? else { return nil }
                return Day(ordinal: low)...Day(ordinal: high)
            }
            let counts = try Row.fetchAll(db, sql: "SELECT reason, count(*) FROM rejects GROUP BY reason")
            var perReason: [RejectReason: Int] = [:]
            for row in counts {
                let name: String = row[0]
                guard let reason = RejectReason(rawValue: name) else {
                    throw StoreError.inconsistent("a reject has the unknown reason \"\(TerminalText.safe(name))\"")
                }
                perReason[reason] = row[1]
            }
            let rejects = RejectReason.allCases.compactMap { reason in perReason[reason].map { (reason: reason, count: $0) } }
            return StoreStatus(
                path: path, bytes: bytes, schemaVersion: StoreSchema.latestVersion,
                migrationsApplied: try StoreSchema.migrator.appliedMigrations(db).count,
                files: try OutcomeStore.ingestedFiles(db),
                sessions: try count("SELECT count(*) FROM sessions"), scores: try count("SELECT count(*) FROM scores"),
                patients: try count("SELECT count(*) FROM patients"),
                sites: try String.fetchAll(db, sql: "SELECT name FROM sites ORDER BY name"),
                sessionDays: try range("sessions"), scoreDays: try range("scores"),
                modalities: try Row.fetchAll(db, sql: "SELECT modality, count(*) FROM sessions GROUP BY modality ORDER BY modality")
                    .map { (id: $0[0] as String, sessions: $0[1] as Int) },
                instruments: try Row.fetchAll(db, sql: "SELECT instrument, count(*) FROM scores GROUP BY instrument ORDER BY instrument")
                    .map { (id: $0[0] as String, scores: $0[1] as Int) },
                rejects: rejects)
        }
    }
}
