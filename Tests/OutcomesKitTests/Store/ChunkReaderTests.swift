import Foundation
import Testing
@testable import OutcomesKit

/// The report's reading thread: chunks come out in order, an error reading
/// one comes out where that chunk would, and stopping early never hangs.
@Suite struct ChunkReaderTests {
    private struct Failure: Error, Equatable { let chunk: Int }

    @Test func chunksComeOutInOrderThenNil() throws {
        let reader = ChunkReader(count: 5) { index in [index, index * 10] }
        defer { reader.finish() }
        var seen: [[Int]] = []
        while let rows = try reader.next() { seen.append(rows) }
        #expect(seen == [[0, 0], [1, 10], [2, 20], [3, 30], [4, 40]])
        #expect(try reader.next() == nil)
    }

    @Test func aReadingErrorComesOutInItsPlace() throws {
        let reader = ChunkReader(count: 5) { index -> Int in
            if index == 2 { throw Failure(chunk: index) }
            return index
        }
        defer { reader.finish() }
        #expect(try reader.next() == 0)
        #expect(try reader.next() == 1)
        #expect(throws: Failure(chunk: 2)) { try reader.next() }
        #expect(try reader.next() == nil)
    }

    /// A consumer that stops after one chunk (its own error) while the thread
    /// waits for room: `finish` stops it.
    @Test func finishingEarlyStopsTheThread() throws {
        let reads = Counter()
        let reader = ChunkReader(count: 1_000) { index in
            reads.increment()
            return index
        }
        #expect(try reader.next() == 0)
        reader.finish()
        // One taken, at most two waiting and one being handed over when stopped.
        #expect(reads.value <= 4)
        #expect(try reader.next() == nil)
    }
}

/// A count shared with a reading thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
