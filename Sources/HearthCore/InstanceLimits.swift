/// What one instance's micros may use together. The node's defaults come from its
/// configuration; the owner can override each value per instance.
public struct InstanceLimits: Sendable, Equatable, Codable {
    /// Memory of all its processes together (Deta's was 512 MB per micro).
    public var memoryBytes: Int64 = 512 * 1024 * 1024
    /// Processes and threads together.
    public var processes = 256
    /// Relative CPU share when the machine is busy, 1…10000 (100 is an even share).
    public var cpuWeight = 100
    /// CPU time at most, in cores (1.0 is one core's worth of every second).
    public var cpuCores = 1.0
    /// Disk space of its writable `tmp/`.
    public var tmpBytes: Int64 = 512 * 1024 * 1024
    /// Disk space of its Base and Drive together.
    public var storageBytes: Int64 = 10 * 1024 * 1024 * 1024
    /// Whether its micros may open connections to the internet (through the node's proxy).
    public var outbound = true

    public init() {}

    /// These limits with each value `overrides` sets replaced.
    public func applying(_ overrides: InstanceLimitOverrides) -> InstanceLimits {
        var limits = self
        if let value = overrides.memoryBytes { limits.memoryBytes = value }
        if let value = overrides.processes { limits.processes = value }
        if let value = overrides.cpuWeight { limits.cpuWeight = value }
        if let value = overrides.cpuCores { limits.cpuCores = value }
        if let value = overrides.tmpBytes { limits.tmpBytes = value }
        if let value = overrides.storageBytes { limits.storageBytes = value }
        if let value = overrides.outbound { limits.outbound = value }
        return limits
    }
}

/// The limits an owner set for one instance; `nil` keeps the node's default.
public struct InstanceLimitOverrides: Sendable, Equatable, Codable {
    public var memoryBytes: Int64?
    public var processes: Int?
    public var cpuWeight: Int?
    public var cpuCores: Double?
    public var tmpBytes: Int64?
    public var storageBytes: Int64?
    public var outbound: Bool?

    public init() {}
}
