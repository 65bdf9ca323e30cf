import Dispatch
import Synchronization

/// Collects jobs from many tasks and hands them in batches to one drain loop on a dispatch
/// queue: while a batch runs, new jobs wait and form the next batch. One thread hop (and, for
/// writes, one commit) then serves many requests.
package final class BatchQueue<Job: Sendable>: Sendable {
    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())
    private let queue: DispatchQueue
    private let run: @Sendable ([Job]) -> Void

    /// `run` executes one batch on the queue, off the concurrency pool, since SQLite blocks.
    package init(label: String, run: @escaping @Sendable ([Job]) -> Void) {
        self.queue = DispatchQueue(label: label)
        self.run = run
    }

    package func submit(_ job: Job) {
        let startsDrain = state.withLock { state in
            state.pending.append(job)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if startsDrain { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }
}
