import HearthRuntime
import Synchronization

/// Holds a micro lease for a streamed response and releases it once: when the body has been
/// sent, or, if the server never sends it (the client left before the head went out), when the
/// response is dropped.
final class LeaseHolder: Sendable {
    private let lease: MicroLease
    private let held = Mutex(true)

    init(_ lease: MicroLease) {
        self.lease = lease
    }

    func release() async {
        if held.withLock({ held in
            defer { held = false }; return held
        }) {
            await lease.release()
        }
    }

    deinit {
        guard held.withLock({ $0 }) else { return }
        let lease = lease
        Task { await lease.release() }
    }
}
