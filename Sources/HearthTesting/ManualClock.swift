import HearthCore
import Synchronization

/// A wall clock that moves only when a test says so.
public final class ManualClock: Sendable {
    private let seconds: Mutex<Double>

    public init(_ start: Double = 1_800_000_000) {
        seconds = Mutex(start)
    }

    public var clock: WallClock { WallClock { self.seconds.withLock { $0 } } }

    public func advance(_ by: Double) {
        seconds.withLock { $0 += by }
    }
}
