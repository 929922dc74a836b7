import Foundation

/// Reads what each chunk of patients needs on a thread of its own, a chunk
/// ahead of the one being computed: a report's chunks are read, computed
/// and kept by three threads at once (`ResultKeeper` keeps), where one
/// connection would take their turns. Chunks come out in order; at most two
/// wait, so memory stays one chunk's rows a few times over, whatever the
/// store's size. The reading closure gets the thread's own connection.
final class ChunkReader<Rows: Sendable>: @unchecked Sendable {
    private let channel = BoundedChannel<Result<Rows, Error>?>(capacity: 2)
    private let done = DispatchSemaphore(value: 0)
    private var ended = false, finished = false

    /// Starts reading chunk 0, 1, … `count - 1` with `read`.
    init(count: Int, _ read: @escaping @Sendable (Int) throws -> Rows) {
        let thread = Thread { [self] in
            for index in 0..<count {
                let rows = Result { try read(index) }
                guard channel.send(rows) else { break }
                if case .failure = rows { break }
            }
            _ = channel.send(nil)
            done.signal()
        }
        thread.name = "outcomes.report.reader"
        thread.start()
    }

    /// The next chunk's rows, nil after the last; rethrows a reading error
    /// (the last thing the thread read).
    func next() throws -> Rows? {
        guard !ended, !finished, let rows = channel.receive() else {
            ended = true
            return nil
        }
        return try rows.get()
    }

    /// Stops reading (when the chunks were not all taken) and waits for the
    /// thread to end. The caller must call it, also when it throws (the
    /// thread holds the reader until it ends).
    func finish() {
        guard !finished else { return }
        finished = true
        channel.cancel()
        done.wait()
    }
}
