import Glibc

/// The lines of a file, streamed chunk by chunk (LF-separated; a CR before
/// the LF is dropped), so that memory stays flat whatever the file holds: a
/// line longer than `maxLineBytes` stops reading with `recordTooLong`. Used by
/// the FHIR NDJSON reader and by `inspect`.
enum LineReader {
    /// Calls `body` with each line and its 1-based number, and `onChunk` with
    /// every byte read (for hashing). Returns the bytes read. A line is handed
    /// over in place when it lies inside one chunk (the common case, no copy);
    /// its bytes are valid only during the call.
    @discardableResult
    static func forEachLine(in file: InputFile, chunkBytes: Int = 1 << 20, maxLineBytes: Int = CSVReaderLimits().maxRecordBytes,
                            onChunk: (UnsafeRawBufferPointer) -> Void = { _ in },
                            _ body: (_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws -> Void) throws -> Int {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { chunk.deallocate() }
        // The start of a line that began in an earlier chunk.
        var carried: [UInt8] = []
        var number = 0, bytes = 0
        func finish(_ line: UnsafeBufferPointer<UInt8>) throws {
            number += 1
            if line.count > maxLineBytes { throw IngestError.recordTooLong(record: number, limit: maxLineBytes) }
            let withoutCR = line.last == 0x0D ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
            try body(withoutCR, number)
        }
        while true {
            let count = try file.read(into: chunk)
            if count == 0 { break }
            let raw = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
            onChunk(raw)
            bytes += count
            let base = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < count, let found = memchr(base.baseAddress! + start, 0x0A, count - start) {
                let end = base.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let piece = UnsafeBufferPointer(rebasing: base[start..<end])
                if carried.isEmpty {
                    try finish(piece)
                } else {
                    carried.append(contentsOf: piece)
                    if carried.count > maxLineBytes { throw IngestError.recordTooLong(record: number + 1, limit: maxLineBytes) }
                    try carried.withUnsafeBufferPointer { try finish($0) }
                    carried.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
            carried.append(contentsOf: UnsafeBufferPointer(rebasing: base[start..<count]))
            if carried.count > maxLineBytes { throw IngestError.recordTooLong(record: number + 1, limit: maxLineBytes) }
        }
        if !carried.isEmpty { try carried.withUnsafeBufferPointer { try finish($0) } }
        return bytes
    }
}
