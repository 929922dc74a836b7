import Yams

/// A YAML node with its path in the document (`catalog.modalities.tms.gap_days`),
/// so every error names the file, the line and the key a person must fix.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    func error(_ message: String) -> PipelineError {
        PipelineError.invalid(file: file, line: node.mark?.line, key: path, problem: message)
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) }
        return false
    }

    /// A mapping's entries in file order; throws on duplicate or non-string keys.
    func mapping() throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys to values") }
        var seen = Set<String>()
        return try mapping.map { pair in
            guard let key = pair.key.string else { throw error("keys must be text") }
            guard seen.insert(key).inserted else { throw error("key \"\(key)\" appears twice") }
            return (key, YAMLValue(node: pair.value, path: path.isEmpty ? key : "\(path).\(key)", file: file))
        }
    }

    /// The mapping's entries, refusing any key not in `allowed` (a typo must not pass silently).
    func mapping(allowed: [String]) throws -> [String: YAMLValue] {
        var result: [String: YAMLValue] = [:]
        for (key, value) in try mapping() {
            guard allowed.contains(key) else {
                let hint = allowed.min { EditDistance.between(key, $0) < EditDistance.between(key, $1) }
                    .flatMap { EditDistance.between(key, $0) <= 3 ? " (did you mean \($0)?)" : nil } ?? ""
                throw YAMLValue(node: value.node, path: path, file: file)
                    .error("unknown key \"\(key)\"\(hint); allowed: \(allowed.joined(separator: ", "))")
            }
            result[key] = value
        }
        return result
    }

    func sequence() throws -> [YAMLValue] {
        if case .scalar = node, !isNull { return [self] }   // a single value where a list is expected
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { YAMLValue(node: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected text") }
        return scalar.string
    }

    func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else { throw error("expected a whole number") }
        if let range, !range.contains(value) { throw error("\(value) is outside \(range.lowerBound)–\(range.upperBound)") }
        return value
    }

    /// A whole number, or nil for `null`/`none` (a rule the instrument does not have).
    func optionalInt(in range: ClosedRange<Int>? = nil) throws -> Int? {
        if isNull || (try? string().lowercased()) == "none" { return nil }
        return try int(in: range)
    }

    func double(in range: ClosedRange<Double>) throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw error("expected a number")
        }
        guard range.contains(value) else { throw error("\(scalar.string) is outside \(range.lowerBound)–\(range.upperBound)") }
        return value
    }

    func bool() throws -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false")
        }
    }

    func strings() throws -> [String] { try sequence().map { try $0.string() } }
}
