/// Why a whole file was refused: nothing from it is stored (DATA-CONTRACT §1).
/// Each case carries the facts; `description` is the one place that words them.
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchFile
    case isAFolder
    /// A FIFO, a device or a socket: reading it could block for ever.
    case notARegularFile(kind: String)
    case permissionDenied
    /// The operating system could not read it (its own words).
    case unreadable(String)
    case empty
    /// The bytes break CSV structure at `record`.
    case csvStructure(record: Int, byteOffset: Int, problem: CSVStructureProblem)
    case fieldTooLong(record: Int, limit: Int)
    case tooManyFields(record: Int, limit: Int)
    case recordTooLong(record: Int, limit: Int)
    /// Header column `column` (1-based) is not UTF-8.
    case headerNotUTF8(column: Int)
    case bothDateColumns
    case noDateColumn
    case missingColumns(kind: FileKind, columns: [String])
    case columnNamedTwice(String)
    case directIdentifier(column: String)
    /// Its size or bytes changed while it was read.
    case changedWhileRead
    /// A source mapping names a header the file does not have (§11).
    case mappedColumnMissing(source: String, column: String, header: String)

    public var description: String {
        switch self {
        case .noSuchFile: return "no such file"
        case .isAFolder: return "it is a folder"
        case .notARegularFile(let kind): return "it is \(kind), not a regular file; give the export itself"
        case .permissionDenied: return "permission denied"
        case .unreadable(let why): return "cannot be read: \(why)"
        case .empty: return "the file is empty"
        case .csvStructure(let record, let offset, let problem):
            return "breaks CSV structure at record \(record) (byte offset \(offset)): \(problem)"
        case .fieldTooLong(let record, let limit): return "record \(record) has a field longer than \(limit) bytes"
        case .tooManyFields(let record, let limit): return "record \(record) has more than \(limit) fields"
        case .recordTooLong(let record, let limit): return "record \(record) is longer than \(limit) bytes"
        case .headerNotUTF8(let column): return "the header is not UTF-8 (column \(column))"
        case .bothDateColumns:
            return "the header has both session_date and assessment_date; a file is sessions or scores, not both"
        case .noDateColumn: return "the header has neither session_date (sessions) nor assessment_date (scores)"
        case .missingColumns(let kind, let columns):
            return "a \(kind.rawValue) file needs column\(columns.count > 1 ? "s" : "") \(columns.joined(separator: ", "))"
        case .columnNamedTwice(let name): return "column \"\(TerminalText.safe(name))\" is named twice in the header"
        case .directIdentifier(let column):
            return "column \"\(TerminalText.safe(column))\" is a direct identifier; export de-identified data only"
        case .changedWhileRead: return "the file changed while it was being read; run again once the export is complete"
        case .mappedColumnMissing(let source, let column, let header):
            return "source \"\(TerminalText.safe(source))\" reads \(column) from column \"\(TerminalText.safe(header))\", which this file's header does not have"
        }
    }
}

/// How a file breaks CSV structure.
public enum CSVStructureProblem: Equatable, Sendable, CustomStringConvertible {
    /// A quote inside an unquoted field, or text after a closing quote.
    case strayQuote
    /// A quoted field still open at the end of the file.
    case quoteOpenAtEnd

    public var description: String {
        switch self {
        case .strayQuote: return "a quote inside an unquoted field, or text after a closing quote"
        case .quoteOpenAtEnd: return "a quoted field is still open at the end of the file"
        }
    }
}
