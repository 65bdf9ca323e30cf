import GRDB

/// Runs writes in shared transactions: while one transaction commits (and syncs to disk),
/// the writes that arrive meanwhile queue up and then commit together in the next one.
///
/// Each write runs in its own savepoint, so one failing write rolls back alone; a caller is
/// resumed only after the transaction holding its write is durably committed.
package final class GroupCommitter: Sendable {
    private struct Job: Sendable {
        /// Runs the write and returns how to resume its caller once the commit succeeded.
        let run: @Sendable (Database) -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private let batches: BatchQueue<Job>

    package init(writer: any DatabaseWriter, label: String) {
        batches = BatchQueue(label: label) { batch in
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

    /// Runs `work` in the next group transaction and returns its result once committed.
    package func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            batches.submit(
                Job(
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
                    fail: { continuation.resume(throwing: $0) }))
        }
    }
}
