import Foundation

/// One `sources:` entry of a pipeline file (DATA-CONTRACT §11): the files it
/// matches and the mapping they are read with.
public struct PipelineSource: Sendable, Equatable {
    public var mapping: SourceMapping
    /// Glob patterns, already resolved against the pipeline file's folder.
    public var files: [String]
}

/// Reading `sources:`, with the same file/line/key errors as the rest of a pipeline.
enum PipelineSources {
    static let keys = ["name", "files", "kind", "format", "csv", "columns", "dates", "values", "layout", "wide", "items"]

    /// Every instrument a wide or item-level source names must be in the pipeline's catalogue.
    static func check(_ section: YAMLValue?, _ sources: [PipelineSource], catalog: Catalog) throws {
        guard let section else { return }
        for source in sources {
            for score in source.mapping.scoresPerRow where catalog.instrumentIndex(id: score.instrument) == nil {
                let known = catalog.instruments.map(\.id)
                let hint = EditDistance.suggestions(for: score.instrument, among: known).first.map { " (did you mean \($0)?)" } ?? ""
                throw section.error("source \"\(source.mapping.name)\" maps unknown instrument \(score.instrument)\(hint)")
            }
        }
    }

    static func parse(_ section: YAMLValue, resolve: (String) -> String) throws -> [PipelineSource] {
        if section.isNull { return [] }
        return try section.sequence().enumerated().map { position, entry in
            let fields = try entry.mapping(allowed: keys)
            let name = try fields["name"]?.string() ?? "source \(position + 1)"
            guard let filesValue = fields["files"] else { throw entry.error("a source needs files: (glob patterns of its exports)") }
            let files = try filesValue.strings()
            guard !files.isEmpty else { throw filesValue.error("list at least one glob pattern") }
            guard let kindValue = fields["kind"] else { throw entry.error("a source needs kind: sessions or scores") }
            guard let kind = FileKind(rawValue: try kindValue.string()) else { throw kindValue.error("kind is sessions or scores") }
            var mapping = SourceMapping(name: name, kind: kind)
            if let format = fields["format"] {
                guard let known = SourceMapping.Format(rawValue: try format.string()) else { throw format.error("format is csv or fhir-ndjson") }
                mapping.format = known
                if known == .fhirNDJSON {
                    for key in ["csv", "columns", "dates", "layout", "wide", "items"] where fields[key] != nil {
                        throw fields[key]!.error("\(key) does not apply to fhir-ndjson: FHIR resources name their own elements")
                    }
                }
            }
            var scoresPerRow: [SourceMapping.RowScore] = []
            if let layout = fields["layout"] {
                let text = try layout.string()
                guard text == "long" || text == "wide" else { throw layout.error("layout is long or wide") }
                if text == "wide", fields["wide"] == nil { throw layout.error("layout wide needs wide: (instrument: column)") }
            }
            if let wide = fields["wide"], !wide.isNull {
                guard kind == .scores else { throw wide.error("wide is for scores") }
                for (instrument, column) in try wide.mapping() {
                    scoresPerRow.append(.init(instrument: instrument, source: .total(column: try column.string().trimmingWhitespace().lowercased())))
                }
            }
            if let items = fields["items"], !items.isNull {
                guard kind == .scores else { throw items.error("items is for scores") }
                for (instrument, spec) in try items.mapping() {
                    let options = try spec.mapping(allowed: ["columns", "item9", "prorate_missing", "item_range"])
                    guard let columnsValue = options["columns"] else { throw spec.error("items of \(instrument) need columns: [Q1, Q2, …]") }
                    let columns = try columnsValue.strings().map { $0.trimmingWhitespace().lowercased() }
                    guard !columns.isEmpty else { throw columnsValue.error("list the item columns") }
                    let prorate = try options["prorate_missing"]?.int(in: 0...(columns.count - 1)) ?? 0
                    var range = 0...3
                    if let rangeValue = options["item_range"] {
                        let bounds = try rangeValue.sequence().map { try $0.int(in: 0...1000) }
                        guard bounds.count == 2, bounds[0] <= bounds[1] else { throw rangeValue.error("item_range is [lowest, highest]") }
                        range = bounds[0]...bounds[1]
                    }
                    scoresPerRow.append(.init(instrument: instrument, source: .items(
                        columns: columns, item9: try options["item9"]?.string().trimmingWhitespace().lowercased(),
                        prorateMissing: prorate, itemRange: range)))
                }
            }
            if let csv = fields["csv"], !csv.isNull { mapping.dialect = try dialect(csv) }
            if let columns = fields["columns"], !columns.isNull {
                let allowed = SourceMapping.contractColumns(for: kind)
                var mapped: [String: String] = [:]
                for (column, header) in try columns.mapping() {
                    guard allowed.contains(column) else {
                        let hint = EditDistance.suggestions(for: column, among: allowed).first.map { " (did you mean \($0)?)" } ?? ""
                        throw header.error("\(column) is not a column of a \(kind.rawValue) file\(hint); columns: \(allowed.joined(separator: ", "))")
                    }
                    mapped[column] = try header.string().trimmingWhitespace().lowercased()
                }
                mapping.columns = mapped
            }
            if let dates = fields["dates"], !dates.isNull {
                mapping.dates = try dates.sequence().map { value in
                    guard let form = DateForm(try value.string()) else {
                        throw value.error("a date form uses %Y %m %d %H %I %M %S %p and needs a whole date (%I with %p), such as %m/%d/%Y %I:%M %p")
                    }
                    return form
                }
            }
            if let values = fields["values"], !values.isNull {
                var maps: [String: [String: String]] = [:]
                for (column, map) in try values.mapping() {
                    guard column == "modality" || column == "instrument" else {
                        throw map.error("values maps modality or instrument, not \(column)")
                    }
                    maps[column] = Dictionary(try map.mapping().map { ($0.key, try $0.value.string()) }, uniquingKeysWith: { first, _ in first })
                }
                mapping.values = maps
            }
            mapping.scoresPerRow = scoresPerRow
            return PipelineSource(mapping: mapping, files: files.map(resolve))
        }
    }

    static func dialect(_ value: YAMLValue) throws -> CSVDialect {
        let fields = try value.mapping(allowed: ["delimiter", "encoding", "header_row"])
        var dialect = CSVDialect.standard
        if let delimiter = fields["delimiter"] {
            let text = try delimiter.string()
            let byte: UInt8? = text == "\\t" || text == "\t" || text.lowercased() == "tab" ? 0x09 : (text.utf8.count == 1 ? text.utf8.first : nil)
            guard let byte, CSVDialect.delimiters.contains(byte) else { throw delimiter.error("delimiter is \",\", \";\", tab or \"|\"") }
            dialect.delimiter = byte
        }
        if let encoding = fields["encoding"] {
            guard let known = TextEncoding(rawValue: try encoding.string().lowercased()) else {
                throw encoding.error("encoding is \(TextEncoding.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            dialect.encoding = known
        }
        if let row = fields["header_row"] { dialect.headerRow = try row.int(in: 1...1000) }
        return dialect
    }
}
