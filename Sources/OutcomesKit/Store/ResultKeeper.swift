import Foundation
import GRDB

/// Keeps a report's computed course records on a thread and a connection of
/// its own, a chunk of patients per transaction, while the report computes
/// the next chunks (and `ChunkReader` reads them): at 10M rows writing them
/// took about 4 s of a 13 s first report. On the report's connection its
/// transactions took turns with the reads; on its own (WAL: one writer and
/// readers at once) a first report at 2M rows took 1.44 s, not 1.85 s
/// (best of five, the two builds in turn).
/// At most two chunks wait, so memory stays flat.
/// Chunks are written in order; once one is refused (a file was ingested
/// since the report began reading), no later one is written.
final class ResultKeeper: @unchecked Sendable {
    struct Chunk: Sendable {
        let records: [CourseRecord]
        let spans: [(patient: Int32, span: ResultSpan)]
        /// The last chunk: the cut is then marked covered.
        let covered: Bool
    }

    private let channel = BoundedChannel<Chunk?>(capacity: 2)
    private let done = DispatchSemaphore(value: 0)
    // Written by the keeping thread only, read after `finish` has waited for it.
    private var stored = true
    private var failure: Error?
    private var finished = false

    /// `write` runs on the keeping thread with `connection`, which no other
    /// thread uses.
    init(connection: DatabaseQueue, _ write: @escaping @Sendable (DatabaseQueue, Chunk) throws -> Bool) {
        let thread = Thread { [self] in
            while let chunk = channel.receive() {
                guard stored, failure == nil else { continue }
                do { stored = try write(connection, chunk) } catch { failure = error }
            }
            done.signal()
        }
        thread.name = "outcomes.report.keeper"
        thread.start()
    }

    /// Hands a chunk over (waits while two are waiting).
    func keep(_ chunk: Chunk) { _ = channel.send(chunk) }

    /// Waits for every chunk handed over to be written; whether all were
    /// stored, or the error writing one gave.
    func finish() throws -> Bool {
        if !finished {
            finished = true
            _ = channel.send(nil)
            done.wait()
        }
        if let failure { throw failure }
        return stored
    }
}
