import Foundation

/// One instance's meters at one moment: a row of `instance_meters`. Counters (requests,
/// wakes, bytes, CPU seconds, OOM kills, process-limit hits) are totals since the instance was
/// installed, so the rate between two samples is their difference over the time between them;
/// the rest are gauges, read at `at`.
public struct MeterSample: Sendable, Equatable, Codable {
    public var instance: String
    public var at: Date
    /// Whether its micros ran in a sandbox (whose control groups count CPU and memory).
    public var sandboxed: Bool
    public var cpuSeconds: Double = 0
    public var memoryBytes: Int64 = 0
    public var memoryPeakBytes: Int64 = 0
    public var processes = 0
    public var requests: Int64 = 0
    public var wakes: Int64 = 0
    /// Bytes of request bodies received and response bodies sent on its host.
    public var bytesIn: Int64 = 0
    public var bytesOut: Int64 = 0
    /// Used pages of its collection database (its Bases, and its Drive's metadata).
    public var baseBytes: Int64 = 0
    /// Content of its Drive (files and unfinished uploads).
    public var driveBytes: Int64 = 0
    public var oomKills: Int64 = 0
    public var processLimitHits: Int64 = 0

    public init(instance: String, at: Date, sandboxed: Bool) {
        self.instance = instance
        self.at = at
        self.sandboxed = sandboxed
    }
}
