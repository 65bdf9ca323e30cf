import HearthBase
import Logging
import ServiceLifecycle

/// Deletes expired Base items from disk now and then. Reads hide them from the moment they
/// expire, so this only reclaims space.
struct ExpiryPurgeService: Service {
    let stores: BaseStores
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Sleeping is cancelled on graceful shutdown, so SIGTERM stops the node at once.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await purge()
            }
        }
    }

    private func purge() async {
        for store in stores.open {
            do {
                let purged = try await store.purgeExpired()
                if purged > 0 { logger.debug("Purged expired items", metadata: ["count": "\(purged)"]) }
            } catch {
                logger.warning("Purging expired items failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
