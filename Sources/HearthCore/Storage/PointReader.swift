import GRDB

/// Runs short reads (single-item lookups) in batches inside one read transaction, so that
/// concurrent requests share one thread hop. Long scans do not belong here: they would hold
/// up the lookups queued behind them.
package final class PointReader: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private let batches: BatchQueue<Job>

    package init(reader: any DatabaseReader, label: String) {
        batches = BatchQueue(label: label) { batch in
            var started = 0
            do {
                try reader.read { db in
                    for job in batch {
                        started += 1
                        job.run(db)
                    }
                }
            } catch {
                // The read transaction could not begin: fail the jobs that never ran.
                batch[started...].forEach { $0.fail(error) }
            }
        }
    }

    /// Runs `work` in the next read batch.
    package func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            batches.submit(
                Job(
                    run: { db in continuation.resume(with: Result { try work(db) }) },
                    fail: { continuation.resume(throwing: $0) }))
        }
    }
}
