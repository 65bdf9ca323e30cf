extension ModuleError where Domain == CoreDomain {
    /// An instance limit out of its range (400).
    public static var badLimit: ErrorCode { "core.bad_limit" }
}

extension InstanceLimits {
    /// Below these an app cannot do useful work; larger values are up to the owner.
    public static let minimumMemoryBytes: Int64 = 16 << 20
    public static let minimumProcesses = 8
    public static let minimumCPUCores = 0.01
    public static let cpuWeights = 1...10_000
    public static let minimumTmpBytes: Int64 = 1 << 20
    public static let minimumStorageBytes: Int64 = 1 << 20

    /// Throws a `core.bad_limit` error naming the first value out of its range.
    public func validate() throws(CoreError) {
        func check(_ valid: Bool, _ message: String) throws(CoreError) {
            if !valid { throw CoreError(CoreError.badLimit, message) }
        }
        try check(memoryBytes >= Self.minimumMemoryBytes, "Memory must be at least \(ByteSize.describe(Self.minimumMemoryBytes)).")
        try check(processes >= Self.minimumProcesses, "Processes must be at least \(Self.minimumProcesses).")
        try check(
            cpuCores.isFinite && cpuCores >= Self.minimumCPUCores && cpuCores <= 4096,
            "CPU must be between \(Self.minimumCPUCores) and 4096 cores.")
        try check(
            Self.cpuWeights.contains(cpuWeight),
            "CPU weight must be between \(Self.cpuWeights.lowerBound) and \(Self.cpuWeights.upperBound).")
        try check(tmpBytes >= Self.minimumTmpBytes, "The tmp quota must be at least \(ByteSize.describe(Self.minimumTmpBytes)).")
        try check(
            storageBytes >= Self.minimumStorageBytes, "The storage quota must be at least \(ByteSize.describe(Self.minimumStorageBytes)).")
    }
}

extension InstanceLimitOverrides {
    /// Whether it overrides nothing.
    public var isEmpty: Bool { self == InstanceLimitOverrides() }

    /// Throws a `core.bad_limit` error naming the first value it sets out of its range.
    public func validate() throws(CoreError) {
        try InstanceLimits().applying(self).validate()
    }

    /// These overrides with each value `newer` sets replaced.
    public func merging(_ newer: InstanceLimitOverrides) -> InstanceLimitOverrides {
        var merged = self
        if let value = newer.memoryBytes { merged.memoryBytes = value }
        if let value = newer.processes { merged.processes = value }
        if let value = newer.cpuWeight { merged.cpuWeight = value }
        if let value = newer.cpuCores { merged.cpuCores = value }
        if let value = newer.tmpBytes { merged.tmpBytes = value }
        if let value = newer.storageBytes { merged.storageBytes = value }
        if let value = newer.outbound { merged.outbound = value }
        return merged
    }
}
