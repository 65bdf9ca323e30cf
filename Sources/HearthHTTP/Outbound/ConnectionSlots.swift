import Synchronization

/// A count of open connections with an upper bound, shared by a proxy's event loops.
final class ConnectionSlots: Sendable {
    private let limit: Int
    private let taken = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all are taken.
    func take() -> Bool {
        taken.withLock { taken in
            guard taken < limit else { return false }
            taken += 1
            return true
        }
    }

    func give() {
        taken.withLock { $0 -= 1 }
    }
}
