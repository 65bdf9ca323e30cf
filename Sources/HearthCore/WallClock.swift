import Foundation

/// Wall-clock time in Unix seconds, injected so tests control expiry and key order.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double) {
        self.now = now
    }

    /// The system's real-time clock.
    public static let system = WallClock { Date().timeIntervalSince1970 }

    /// A clock that always reads `seconds`.
    public static func fixed(_ seconds: Double) -> WallClock { WallClock { seconds } }
}
