extension Duration {
    /// The duration in whole nanoseconds (for APIs that count them: Dispatch, NIO).
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The duration in whole milliseconds, as logs show it.
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
