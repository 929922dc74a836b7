import Foundation

/// `manifest.json`: what a report was made from, so that anyone can check it
/// or make it again. It holds no wall-clock time: the same store, month and
/// pipeline give the same bytes.
public struct Manifest: Codable, Sendable, Equatable {
    public struct Tool: Codable, Sendable, Equatable {
        public let name: String
        public let version: String
    }

    public struct Pipeline: Codable, Sendable, Equatable {
        public let name: String
        public let file: String
        public let sha256: String
    }

    public struct Input: Codable, Sendable, Equatable {
        public let name: String
        public let sha256: String
        public let kind: String
        public let bytes: Int
        /// Counts are left out of a report with small-cell suppression on.
        public let records: Int?
        public let loaded: Int?
        public let duplicates: Int?
        public let rejected: Int?
    }

    public struct Store: Codable, Sendable, Equatable {
        /// SHA-256 over the ordered list of files ingested and their counts: the
        /// store's content follows from it.
        public let fingerprint: String
        public let schema: String
    }

    public struct OutputFile: Codable, Sendable, Equatable {
        public let name: String
        public let sha256: String
    }

    public let tool: Tool
    public let month: String
    public let cut: String
    public let pipeline: Pipeline?
    /// SHA-256 of the catalogue actually used (instruments and modalities with their rules).
    public let catalogSHA256: String
    public let smallCellMinimum: Int?
    /// True when the month had not ended (`--allow-partial`); absent otherwise.
    public let partialMonth: Bool?
    public let inputs: [Input]
    public let store: Store
    /// The report's other files and their SHA-256.
    public let files: [OutputFile]

    enum CodingKeys: String, CodingKey {
        case tool, month, cut, pipeline, inputs, store, files
        case catalogSHA256 = "catalog_sha256"
        case smallCellMinimum = "small_cell_minimum"
        case partialMonth = "partial_month"
    }

    /// Pretty-printed JSON with sorted keys and a final newline.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// A fingerprint of a store's content: SHA-256 over the ordered list of
    /// files ingested (their SHA-256 and kind, and their counts unless they
    /// are withheld) and the schema version. The content follows from that
    /// list, so equal fingerprints mean equal data. Under small-cell
    /// suppression the counts are left out of the hash as they are out of the
    /// manifest: a hash of few small numbers is undone by trying them all.
    static func storeFingerprint(of files: [IngestedFile], schema: String, includingCounts: Bool) -> String {
        let lines = files.map { file in
            "\(file.sha256) \(file.kind.rawValue)" + (includingCounts ? " \(file.loaded) \(file.duplicates) \(file.rejected)" : "")
        }
        return Digest.sha256(([schema] + lines).joined(separator: "\n"))
    }

    /// A canonical description of the catalogue, for its hash.
    static func catalogDescription(_ catalog: Catalog) -> String {
        let instruments = catalog.instruments.map { i in
            "instrument \(i.id) \(i.floor)-\(i.max) min \(i.minBaseline) response \(i.response) remission \(i.remission.map(String.init) ?? "-") rc \(i.reliableChange.map(String.init) ?? "-") aliases \(i.aliases.joined(separator: "|"))"
        }
        let modalities = catalog.modalities.map { m in
            "modality \(m.id) instruments \(m.instruments.joined(separator: "|")) n \(m.acuteSessions.map(String.init) ?? "-") h \(m.horizonDays.map(String.init) ?? "-") gap \(m.gapDays) g \(m.followUpDays) r \(m.retentionDays.map(String.init) ?? "-")\(m.sessionBins.isEmpty ? "" : " bins " + m.sessionBins.map(String.init).joined(separator: "|")) aliases \(m.aliases.joined(separator: "|"))"
        }
        return (instruments + modalities).joined(separator: "\n")
    }
}
