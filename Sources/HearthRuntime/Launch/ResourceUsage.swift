/// What an instance's processes use now, as its sandbox's control groups count it.
public struct ResourceUsage: Sendable, Equatable {
    /// CPU time of all its processes since its sandbox was made, in seconds.
    public var cpuSeconds: Double
    public var memoryBytes: Int64
    /// The most memory in use at once since its sandbox was made.
    public var memoryPeakBytes: Int64
    /// Processes (and threads) running now.
    public var processes: Int
    /// Processes the kernel killed for crossing the memory limit.
    public var oomKills: Int
    /// Times a new process was refused for crossing the process limit.
    public var processLimitHits: Int

    public init(
        cpuSeconds: Double = 0, memoryBytes: Int64 = 0, memoryPeakBytes: Int64 = 0, processes: Int = 0, oomKills: Int = 0,
        processLimitHits: Int = 0
    ) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.memoryPeakBytes = memoryPeakBytes
        self.processes = processes
        self.oomKills = oomKills
        self.processLimitHits = processLimitHits
    }
}
