/// What an import accepts, against archive bombs and runaway memory.
public struct ArchiveLimits: Sendable {
    /// All entries together, uncompressed.
    public var maxTotalBytes: Int64
    /// One entry, uncompressed.
    public var maxEntryBytes: Int64
    /// One Base's JSON, which is parsed in memory.
    public var maxBaseFileBytes: Int64
    public var maxEntries: Int
    /// Uncompressed size over compressed size, for entries larger than `ratioFloorBytes`.
    /// Real data rarely passes 20; deflate tops out near 1032.
    public var maxRatio: Int64
    public var ratioFloorBytes: Int64

    public init(
        maxTotalBytes: Int64 = 1 << 40, maxEntryBytes: Int64 = 1 << 38, maxBaseFileBytes: Int64 = 1 << 30,
        maxEntries: Int = 1_000_000, maxRatio: Int64 = 200, ratioFloorBytes: Int64 = 1 << 20
    ) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxBaseFileBytes = maxBaseFileBytes
        self.maxEntries = maxEntries
        self.maxRatio = maxRatio
        self.ratioFloorBytes = ratioFloorBytes
    }
}
