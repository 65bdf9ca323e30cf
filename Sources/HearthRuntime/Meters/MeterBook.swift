import Foundation
import HearthRegistry
import Synchronization

/// The live meters of every instance on the node, kept in memory. The HTTP layer counts
/// requests and bytes, the supervisor counts wakes and notes errors, and the node samples
/// them into the registry (`instance_meters`) every minute and as it stops.
public final class MeterBook: Sendable {
    private let meters = Mutex<[String: InstanceMeter]>([:])

    public init() {}

    /// The meter of an instance, made on first use. Hold on to it for the length of a request
    /// rather than looking it up for every chunk.
    public func meter(_ instance: String) -> InstanceMeter {
        meters.withLock { meters in
            if let meter = meters[instance] { return meter }
            let meter = InstanceMeter(instance: instance)
            meters[instance] = meter
            return meter
        }
    }

    /// Drops an instance's meter (it was removed).
    public func forget(_ instance: String) {
        _ = meters.withLock { $0.removeValue(forKey: instance) }
    }

    /// Continues each instance's totals from its newest stored sample; call once, as the node starts.
    public func carry(_ samples: some Sequence<MeterSample>) {
        for sample in samples { meter(sample.instance).carry(sample) }
    }

    /// An instance's meters now: its counters, what its processes use (from `launcher`) and
    /// what its collection holds: measured if the node has it open, else as last measured
    /// (only the node writes to an instance's collection, and it opens it to do so).
    public func sample(
        _ instance: InstanceInfo, launcher: any Launcher, collections: OpenCollections, at time: Date = Date()
    ) async -> MeterSample {
        var sample = MeterSample(instance: instance.id, at: time, sandboxed: launcher.isolates)
        let storage = (try? await collections.usageIfOpen(instance.collection)) ?? nil
        meter(instance.id).fill(&sample, usage: launcher.usage(instanceID: instance.id), storage: storage)
        return sample
    }
}
