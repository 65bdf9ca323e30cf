import Dispatch
import GRDB
import Synchronization

/// Runs writes in shared transactions: while one transaction commits (and syncs to disk),
/// the writes that arrive meanwhile queue up and then commit together in the next one.
///
/// Each write runs in its own savepoint, so one failing write rolls back alone; a caller is
/// resumed only after the transaction holding its write is durably committed.
final class GroupCommitter: Sendable {
    private struct Job: Sendable {
        /// Runs the write and returns how to resume its caller once the commit succeeded.
        let run: @Sendable (Database) -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var flushing = false
    }

    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    private let queue: DispatchQueue

    init(writer: any DatabaseWriter, label: String) {
        self.writer = writer
        self.queue = DispatchQueue(label: label)
    }

    /// Runs `work` in the next group transaction and returns its result once committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { db in
                    let result: Result<T, any Error>
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try work(db)
                            return .commit
                        }
                        result = .success(value!)
                    } catch {
                        result = .failure(error)
                    }
                    return { continuation.resume(with: result) }
                },
                fail: { continuation.resume(throwing: $0) }
            )
            let startsFlush = state.withLock { state in
                state.pending.append(job)
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startsFlush { queue.async { self.flush() } }
        }
    }

    /// Commits queued jobs batch by batch until none are left; runs on `queue`, off the
    /// concurrency pool, because SQLite calls block.
    private func flush() {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let resumptions = try writer.writeWithoutTransaction { db in
                    var resumptions: [@Sendable () -> Void] = []
                    try db.inTransaction(.immediate) {
                        resumptions = batch.map { $0.run(db) }
                        return .commit
                    }
                    return resumptions
                }
                resumptions.forEach { $0() }
            } catch {
                batch.forEach { $0.fail(error) }
            }
        }
    }
}
