/// The lines of a file, streamed chunk by chunk (LF-separated; a CR before
/// the LF is dropped), so that memory stays flat whatever the file holds: a
/// line longer than `maxLineBytes` stops reading with `recordTooLong`. Used by
/// the FHIR NDJSON reader and by `inspect`.
enum LineReader {
    /// Calls `body` with each line and its 1-based number, and `onChunk` with
    /// every byte read (for hashing). Returns the bytes read.
    @discardableResult
    static func forEachLine(in file: InputFile, chunkBytes: Int = 1 << 20, maxLineBytes: Int = CSVReaderLimits().maxRecordBytes,
                            onChunk: (UnsafeRawBufferPointer) -> Void = { _ in },
                            _ body: (_ line: [UInt8], _ number: Int) throws -> Void) throws -> Int {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { chunk.deallocate() }
        var line: [UInt8] = []
        var number = 0, bytes = 0
        func finish() throws {
            number += 1
            if line.last == 0x0D { line.removeLast() }
            try body(line, number)
            line.removeAll(keepingCapacity: true)
        }
        while true {
            let count = try file.read(into: chunk)
            if count == 0 { break }
            let raw = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
            onChunk(raw)
            bytes += count
            var start = 0
            for index in 0..<count where raw[index] == 0x0A {
                line.append(contentsOf: raw[start..<index])
                try finish()
                start = index + 1
            }
            line.append(contentsOf: raw[start..<count])
            if line.count > maxLineBytes { throw IngestError.recordTooLong(record: number + 1, limit: maxLineBytes) }
        }
        if !line.isEmpty { try finish() }
        return bytes
    }
}
