import Foundation
import HearthRegistry
import HearthRuntime
import Logging
import ServiceLifecycle

/// Samples every ready instance's meters into the registry (`instance_meters`) every
/// `interval` and once more as the node stops, and deletes samples older than `retention`.
/// Listed before the HTTP server, so it stops after it and its last sample counts every request.
struct MeterService: Service {
    let registry: Registry
    let meters: MeterBook
    let launcher: any Launcher
    let collections: OpenCollections
    let interval: Duration
    var retention: TimeInterval = 30 * 24 * 3600
    let logger: Logger

    /// Continues every instance's totals from its newest stored sample; call before serving.
    func carryTotals() async {
        do {
            meters.carry(try await registry.latestMeters().values)
        } catch {
            logger.warning("Cannot read the stored meters; totals start from zero", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        // Sleeping is cancelled on graceful shutdown; the last sample is taken after that.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await record()
            }
        }
        // After a graceful shutdown (not a cancellation, which abandons everything).
        if !Task.isCancelled { await record() }
    }

    /// Takes and stores one sample of each ready instance.
    func record() async {
        let now = Date()
        do {
            var samples: [MeterSample] = []
            for instance in try await registry.instances() where instance.state == .ready {
                samples.append(await meters.sample(instance, launcher: launcher, collections: collections, at: now))
            }
            try await registry.recordMeters(samples, pruneBefore: now.addingTimeInterval(-retention))
        } catch {
            logger.warning("Cannot record instance meters", metadata: ["error": "\(error)"])
        }
    }
}
