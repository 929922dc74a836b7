import Foundation
import GRDB

/// One file being loaded into the store, inside its own IMMEDIATE
/// transaction (DATA-CONTRACT §2: a file loads whole or not at all). The
/// ingest stage hands it batches; it owns every statement on the `files`
/// table and the row tables.
final class FileLoad {
    private let db: Database
    private let fileID: Int64
    private let patients: PatientCache
    /// The writer of the file's rows, once its header is read.
    private var writer: IngestWriter?

    fileprivate init(db: Database, fileID: Int64, patients: PatientCache) {
        self.db = db
        self.fileID = fileID
        self.patients = patients
    }

    /// The name under which a file with these bytes was stored, if one was.
    func previouslyIngested(sha256: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT name FROM files WHERE sha256 = ? AND id <> ?", arguments: [sha256, fileID])
    }

    /// A writer for the file's rows, once its header has told its kind and columns.
    func writer(for layout: FileLayout, catalog: Catalog) throws -> IngestWriter {
        let writer = try IngestWriter(db, fileID: fileID, layout: layout, catalog: catalog, patients: patients)
        self.writer = writer
        return writer
    }

    /// Records what the file held; the transaction then commits.
    func finish(_ summary: FileSummary) throws {
        // Course results the file's rows change are cut short in the same transaction.
        if let writer { try IngestWriter.invalidateResults(db, earliestStoredDay: writer.earliestStoredDay) }
        try db.execute(sql: """
            UPDATE files SET sha256 = ?, kind = ?, bytes = ?, records = ?, loaded = ?, duplicates = ?, rejected = ?, first_day = ?,
                last_day = ?
            WHERE id = ?
            """, arguments: [summary.sha256, summary.kind.rawValue, summary.bytes, summary.records, summary.loaded,
                             summary.duplicates, summary.rejected, summary.kind == .sessions ? writer?.firstStoredDay : nil,
                             writer?.lastStoredDay, fileID])
    }
}

extension OutcomeStore {
    /// Runs `body` over one file in one IMMEDIATE transaction: the file's row
    /// is added first (its SHA-256 is known only once it is read), and
    /// anything thrown rolls back every row the file added.
    func loadFile<T>(name: String, headSHA256: String, _ body: (FileLoad) throws -> T) throws -> T {
        do {
            return try writeTransaction { db in
                try db.execute(sql: """
                    INSERT INTO files (name, sha256, kind, bytes, records, loaded, duplicates, rejected, ingested_at, head_sha256)
                    VALUES (?, ?, 'sessions', 0, 0, 0, 0, 0, ?, ?)
                    """, arguments: [name, "reading:" + UUID().uuidString, clock().ISO8601Format(), headSHA256])
                return try body(FileLoad(db: db, fileID: db.lastInsertedRowID, patients: patients))
            }
        } catch {
            // Rolled back: the patients this file added are gone from the store.
            patients.keys.removeAll()
            throw error
        }
    }

    /// The name of the stored file with these bytes, if any.
    func storedFileName(sha256: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT name FROM files WHERE sha256 = ?", arguments: [sha256]) }
    }
}
