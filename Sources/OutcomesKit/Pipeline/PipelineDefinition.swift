import Foundation
import Yams

/// Options for the report a pipeline writes.
public struct ReportOptions: Sendable, Equatable {
    /// Small-cell suppression: counts from 1 to `minCell − 1` are shown as
    /// `<minCell` and any figure that would reveal them is withheld. Nil: off.
    public var minCell: Int?
    /// Whether the report breaks results down by site.
    public var siteBreakdown: Bool
    /// The report's title.
    public var title: String
    /// Months in the trend table and chart, the report month included.
    public var trendMonths: Int
    /// The months a trend may cover.
    public static let trendMonthsRange = 1...60
    /// Most sites a Markdown table lists (the busiest); every site stays in the CSVs.
    public var maxSitesShown: Int
    /// The trend's rate: 1, each month's own; 3, a trailing three months
    /// (the month and the two before it). Nil: 3 when most months hold fewer
    /// than 10 evaluable courses, else 1.
    public var trendSmoothing: Int?
    /// The smoothings a trend may use.
    public static let trendSmoothings: Set<Int> = [1, 3]

    public init(minCell: Int? = nil, siteBreakdown: Bool = true, title: String = "Treatment outcomes", trendMonths: Int = 12,
                maxSitesShown: Int = 50, trendSmoothing: Int? = nil) {
        self.trendSmoothing = trendSmoothing
        self.maxSitesShown = maxSitesShown
        self.minCell = minCell
        self.siteBreakdown = siteBreakdown
        self.title = title
        self.trendMonths = trendMonths
    }
}

/// Checks that stop a run whose data look wrong.
public struct QualityGate: Sendable, Equatable {
    /// A file with a larger share of rejected records is not stored and the
    /// run fails with status 2 (nil: no limit).
    public var maxRejectRate: Double?

    public init(maxRejectRate: Double? = nil) { self.maxRejectRate = maxRejectRate }
}

/// A pipeline file (`pipelines/monthly.yaml`): where the store and the
/// exports are, what the catalogue is, and how the report looks. Relative
/// paths are resolved against the pipeline file's folder, so a cron job may
/// run it from anywhere.
public struct PipelineDefinition: Sendable {
    public var path: String
    /// SHA-256 of the pipeline file's bytes, written into each manifest.
    public var sha256: String
    public var name: String
    public var store: String
    /// Glob patterns of the exports to ingest, in order.
    public var inputs: [String]
    /// Reports go to `<reportsRoot>/<YYYY-MM>/`.
    public var reportsRoot: String
    public var catalog: Catalog
    public var report: ReportOptions
    public var quality: QualityGate
    /// A group that may read the store and reports (files 0640); nil: owner only (0600).
    public var group: String?

    /// Real exports read through source mappings (DATA-CONTRACT §11).
    public var sources: [PipelineSource] = []
    /// The IANA zone of values with an offset (FHIR); nil: none given.
    public var timezone: String?

    static let topLevelKeys = ["name", "store", "inputs", "reports", "catalog", "report", "quality", "permissions", "sources",
                               "timezone"]

    /// Reads and validates a pipeline file.
    public static func load(path: String) throws -> PipelineDefinition {
        guard FileAccess.exists(path) else { throw PipelineError.noSuchFile(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.unreadable(path, "permission denied, or not a file")
        }
        guard data.count <= 1 << 20 else { throw PipelineError.invalid(file: path, line: nil, key: "", problem: "larger than 1 MiB; a pipeline file is far smaller") }
        guard let text = String(data: data, encoding: .utf8) else { throw PipelineError.notUTF8(path) }
        try YAMLShape.check(text, file: path)
        let node: Node
        do {
            guard let parsed = try Yams.compose(yaml: text) else { throw PipelineError.empty(path) }
            node = parsed
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.notYAML(path, "\(error)")
        }
        let digest = Digest.sha256(data)
        return try parse(YAMLValue(node: node, path: "", file: path), path: path, sha256: digest)
    }

    static func parse(_ root: YAMLValue, path: String, sha256: String) throws -> PipelineDefinition {
        let fields = try root.mapping(allowed: topLevelKeys)
        let folder = FilePath.parent(of: path)
        func resolve(_ relative: String) -> String {
            let joined = relative.hasPrefix("/") ? relative : ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(relative)
            return lexicallyNormalized(joined)
        }
        guard let store = fields["store"] else { throw root.error("the pipeline needs store: (the SQLite store's path)") }
        let sources = try fields["sources"].map { try PipelineSources.parse($0, resolve: resolve) } ?? []
        // A pipeline with sources may have no inputs of this project's own layout.
        let inputs = fields["inputs"]
        guard inputs != nil || !sources.isEmpty else { throw root.error("the pipeline needs inputs: (glob patterns of exports)") }
        guard let reports = fields["reports"] else { throw root.error("the pipeline needs reports: (the folder reports go to)") }

        var report = ReportOptions()
        if let section = fields["report"], !section.isNull {
            let options = try section.mapping(allowed: ["title", "min_cell", "sites", "trend_months", "trend_smoothing", "max_sites_shown"])
            if let value = options["title"] { report.title = try value.string() }
            if let value = options["min_cell"] {
                let minCell = try value.optionalInt(in: 0...1000)
                report.minCell = (minCell ?? 0) > 1 ? minCell : nil
            }
            if let value = options["sites"] { report.siteBreakdown = try value.bool() }
            if let value = options["trend_months"] { report.trendMonths = try value.int(in: ReportOptions.trendMonthsRange) }
            if let value = options["max_sites_shown"] { report.maxSitesShown = try value.int(in: 1...1000) }
            if let value = options["trend_smoothing"], !value.isNull {
                let smoothing = try value.int(in: 1...3)
                guard ReportOptions.trendSmoothings.contains(smoothing) else {
                    throw value.error("must be 1 (each month) or 3 (a trailing three months), not \(smoothing)")
                }
                // Overlapping three-month sums give each month's count away by
                // subtraction (each sum minus the one before is a month minus
                // the month three before), so a suppressed report keeps months.
                if smoothing != 1, report.minCell != nil {
                    throw value.error("\(smoothing) cannot be used with min_cell: overlapping three-month totals give each month's count away by subtraction; use 1")
                }
                report.trendSmoothing = smoothing
            }
        }
        var quality = QualityGate()
        if let section = fields["quality"], !section.isNull {
            let options = try section.mapping(allowed: ["max_reject_rate"])
            if let value = options["max_reject_rate"], !value.isNull { quality.maxRejectRate = try value.double(in: 0...1) }
        }
        var group: String?
        if let section = fields["permissions"], !section.isNull {
            let options = try section.mapping(allowed: ["group"])
            if let value = options["group"], !value.isNull { group = try value.string() }
        }
        let inputPatterns = try inputs?.strings() ?? []
        if let inputs, inputPatterns.isEmpty, sources.isEmpty { throw inputs.error("list at least one glob pattern") }
        var timezone: String?
        if let value = fields["timezone"], !value.isNull {
            let name = try value.string()
            guard TimeZone(identifier: name) != nil else { throw value.error("\(name) is not an IANA time zone, such as America/New_York") }
            timezone = name
        }

        var definition = PipelineDefinition(
            path: path, sha256: sha256,
            name: try fields["name"]?.string() ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
            store: resolve(try store.string()),
            inputs: inputPatterns.map(resolve),
            reportsRoot: resolve(try reports.string()),
            catalog: try fields["catalog"].map { try CatalogOverrides.apply($0, to: .standard) } ?? .standard,
            report: report, quality: quality, group: group)
        try PipelineSources.check(fields["sources"], sources, catalog: definition.catalog)
        // FHIR values carry UTC offsets: they are read in the pipeline's zone, which must be named.
        if sources.contains(where: { $0.mapping.format == .fhirNDJSON }), timezone == nil {
            throw (fields["sources"] ?? root).error("a fhir-ndjson source needs timezone: (the practice's IANA zone, such as America/New_York)")
        }
        definition.sources = sources.map { source in
            var source = source
            source.mapping.timeZone = timezone
            return source
        }
        definition.timezone = timezone
        return definition
    }

    /// How manifests name this pipeline.
    public var manifestEntry: Manifest.Pipeline {
        Manifest.Pipeline(name: name, file: (path as NSString).lastPathComponent, sha256: sha256)
    }

    /// The files the input patterns match, in pattern order, each pattern's
    /// matches sorted by bytes (not by locale), each file once. Paths are
    /// kept as bytes, so a file named in another encoding is still read.
    public func inputFiles() -> [InputPath] {
        mappedInputFiles().filter { $0.mapping == nil }.map(\.path)
    }

    /// The mapping of the first source whose patterns match `path` (relative
    /// paths are taken from the current folder), or nil: this project's layout.
    public func mapping(for path: String) -> SourceMapping? {
        func absolute(_ path: String) -> String {
            lexicallyNormalized(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
        }
        // Patterns are relative to the current folder when the pipeline file's path was.
        let file = absolute(path)
        return sources.first { source in source.files.contains { fnmatch(absolute($0), file, 0) == 0 } }?.mapping
    }

    /// Every file the run reads, each with the mapping it is read with: the
    /// sources' files first (in source order), then the plain inputs that no
    /// source claimed. A file is read once, by the first source matching it.
    public func mappedInputFiles() -> [(path: InputPath, mapping: SourceMapping?)] {
        var seen = Set<InputPath>()
        var files: [(path: InputPath, mapping: SourceMapping?)] = []
        for source in sources {
            for pattern in source.files {
                for file in Glob.expand(pattern) where seen.insert(file).inserted { files.append((file, source.mapping)) }
            }
        }
        for pattern in inputs {
            for file in Glob.expand(pattern) where seen.insert(file).inserted { files.append((file, nil)) }
        }
        return files
    }

    /// Who may read what the run writes: the owner, or also `permissions.group`
    /// (which must exist and have the user as a member).
    public func fileAccess() throws(FileAccessError) -> FileAccess {
        try group.map { name throws(FileAccessError) in try FileAccess(groupNamed: name) } ?? .ownerOnly
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (so a glob pattern
/// survives). A leading `..` that cannot be folded is kept.
func lexicallyNormalized(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == "..", let last = parts.last, last != ".." {
            parts.removeLast()
        } else if part == "..", absolute {
            continue
        } else {
            parts.append(part)
        }
    }
    let joined = parts.joined(separator: "/")
    return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
}

/// Shell-style pattern expansion (`*`, `?`, `[...]`) with glob(3).
enum Glob {
    static func expand(_ pattern: String) -> [InputPath] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [InputPath] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let path = result.gl_pathv[index] else { continue }
            paths.append(InputPath(bytes: Array(UnsafeBufferPointer(start: UnsafeRawPointer(path).assumingMemoryBound(to: UInt8.self),
                                                                    count: strlen(path)))))
        }
        return paths.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }
}
