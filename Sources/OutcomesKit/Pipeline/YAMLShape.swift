import CYaml

/// A first pass over a pipeline file with libyaml's event parser, before
/// anything is built from it. Pipeline files are small and plain, so
/// anything that could make composing them explode is refused at once
/// (exit 7), with its line:
/// - anchors and aliases (`&a`, `*a`): a few lines of nested aliases expand
///   into billions of nodes (the "billion laughs"), or into complex keys that
///   take minutes to hash;
/// - keys that are not text (a mapping or list used as a key);
/// - more than `maxEvents` nodes or `maxDepth` levels of nesting.
enum YAMLShape {
    static let maxEvents = 100_000
    static let maxDepth = 64

    static func check(_ text: String, file: String) throws(PipelineError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw PipelineError.notYAML(file, "libyaml could not start") }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(PipelineError) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            /// For each open mapping: whether its next node is a key.
            var expectingKey: [Bool?] = []
            var events = 0
            func refuse(_ problem: String, _ event: yaml_event_t) -> PipelineError {
                .invalid(file: file, line: Int(event.start_mark.line) + 1, key: "", problem: problem)
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let line = Int(parser.problem_mark.line) + 1
                    let problem = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
                    throw PipelineError.notYAML(file, "line \(line): \(problem)")
                }
                defer { yaml_event_delete(&event) }
                events += 1
                if events > maxEvents { throw refuse("more than \(maxEvents) values; a pipeline file is far smaller", event) }
                let type = event.type
                if type == YAML_STREAM_END_EVENT { return }
                // A node in key position of a mapping must be a plain scalar.
                let isNode = type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT
                    || type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT
                if isNode, let last = expectingKey.last, let isKey = last {
                    if isKey, type != YAML_SCALAR_EVENT { throw refuse("keys must be text, not a list or a mapping", event) }
                    expectingKey[expectingKey.count - 1] = !isKey
                }
                switch type {
                case YAML_ALIAS_EVENT:
                    throw refuse("aliases (*name) are not allowed in pipeline files; write the values out", event)
                case YAML_SCALAR_EVENT where event.data.scalar.anchor != nil,
                     YAML_SEQUENCE_START_EVENT where event.data.sequence_start.anchor != nil,
                     YAML_MAPPING_START_EVENT where event.data.mapping_start.anchor != nil:
                    throw refuse("anchors (&name) are not allowed in pipeline files; write the values out", event)
                case YAML_SEQUENCE_START_EVENT:
                    expectingKey.append(nil)
                case YAML_MAPPING_START_EVENT:
                    expectingKey.append(true)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    expectingKey.removeLast()
                default:
                    break
                }
                if expectingKey.count > maxDepth { throw refuse("nested more than \(maxDepth) levels deep", event) }
            }
        }
    }
}
