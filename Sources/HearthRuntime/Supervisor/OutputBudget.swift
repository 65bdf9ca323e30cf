/// How much output a micro may write to its log: a steady rate with room for bursts. A micro
/// over budget is not cut off; its output is read more slowly, so its own writes wait (the
/// pipe fills) and a log flood costs the node neither disk nor CPU.
struct OutputBudget {
    /// Bytes per second in the long run.
    let rate: Double
    /// Bytes that may come at once after a quiet spell.
    let burst: Double
    private var available: Double
    private var last: ContinuousClock.Instant

    init(rate: Int = 1 << 20, burst: Int = 4 << 20, now: ContinuousClock.Instant = .now) {
        self.rate = Double(rate)
        self.burst = Double(burst)
        available = Double(burst)
        last = now
    }

    /// Takes `bytes` from the budget; the pause before reading more when it is overspent.
    mutating func spend(_ bytes: Int, now: ContinuousClock.Instant = .now) -> Duration? {
        let elapsed = now - last
        last = now
        available = min(burst, available + rate * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        available -= Double(bytes)
        guard available < 0 else { return nil }
        return .milliseconds(Int64((-available / rate * 1000).rounded(.up)))
    }
}
