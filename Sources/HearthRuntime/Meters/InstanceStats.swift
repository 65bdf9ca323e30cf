import Foundation
import HearthCore
import HearthRegistry

/// What `hearth app stats` shows of one instance: its meters (live from the running node, or
/// its newest stored sample while the node is down), its limits, and recent samples on request.
public struct InstanceStats: Sendable, Codable {
    public var id: String
    public var slug: String
    public var appName: String
    /// Whether the meters come from the running node, rather than from the registry.
    public var live: Bool
    /// `sandboxed` or `unisolated`, as its micros run (or last ran); `unknown` before any sample.
    public var isolation: String
    /// `nil` when the node never sampled it and is not running.
    public var meters: MeterSample?
    public var limits: InstanceLimits
    /// The micros running now (live only).
    public var running: [String]
    public var lastError: MeterEvent?
    /// Stored samples, oldest first, when asked for.
    public var history: [MeterSample]?

    public init(
        instance: InstanceInfo, meters: MeterSample?, limits: InstanceLimits, live: Bool, running: [String] = [],
        lastError: MeterEvent? = nil
    ) {
        id = instance.id
        slug = instance.slug
        appName = instance.appName
        self.live = live
        isolation = meters.map { $0.sandboxed ? "sandboxed" : "unisolated" } ?? "unknown"
        self.meters = meters
        self.limits = limits
        self.running = running
        self.lastError = lastError
    }
}
