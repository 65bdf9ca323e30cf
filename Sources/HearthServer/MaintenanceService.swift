import Foundation
import HearthRegistry
import Logging
import ServiceLifecycle

/// Background upkeep: deletes expired Base items and abandoned Drive uploads every `interval`,
/// and orphaned Drive blobs and long-ended sessions every `sweepInterval`. Reads hide
/// expired items from the moment they expire, so none of this changes what clients see.
struct MaintenanceService: Service {
    let collections: OpenCollections
    let registry: Registry
    let interval: Duration
    var sweepInterval: Duration = .seconds(3600)
    let logger: Logger

    func run() async throws {
        // Sleeping is cancelled on graceful shutdown, so SIGTERM stops the node at once.
        try? await cancelWhenGracefulShutdown {
            var sinceSweep = Duration.zero
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                sinceSweep += interval
                await purge(sweeping: sinceSweep >= sweepInterval)
                if sinceSweep >= sweepInterval { sinceSweep = .zero }
            }
        }
    }

    func purge(sweeping: Bool) async {
        for store in collections.bases {
            do {
                let purged = try await store.purgeExpired()
                if purged > 0 { logger.debug("Purged expired items", metadata: ["count": "\(purged)"]) }
            } catch {
                logger.warning("Purging expired items failed", metadata: ["error": "\(error)"])
            }
        }
        for drive in collections.drives {
            do {
                let expired = try await drive.expireUploads()
                if expired > 0 { logger.info("Deleted abandoned uploads", metadata: ["count": "\(expired)"]) }
                if sweeping {
                    let orphans = try await drive.sweepOrphans()
                    if orphans > 0 { logger.info("Deleted orphaned blobs", metadata: ["count": "\(orphans)"]) }
                }
            } catch {
                logger.warning("Drive upkeep failed", metadata: ["error": "\(error)"])
            }
        }
        if sweeping {
            do {
                try await registry.purgeEndedSessions(olderThan: Self.endedSessionsKept)
            } catch {
                logger.warning("Deleting ended sessions failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// How long ended sessions stay listed (`hearth session ls --all`).
    static let endedSessionsKept = 30 * 86_400.0
}
