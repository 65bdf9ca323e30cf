import Synchronization

/// Generates 12-character `[0-9a-z]` item keys that sort in creation order.
///
/// The first 8 characters are the millisecond clock in base 36 (good until 2059); the last 4 are
/// a counter that starts at a random point each millisecond and increments, so keys made in one
/// process never repeat and stay ordered even within a millisecond. Time-ordered keys keep batch
/// inserts appending to the end of the B-tree instead of scattering across it.
public final class ItemKeyGenerator: Sendable {
    private struct State {
        var millisecond: UInt64 = 0
        var counter: UInt64 = 0
    }

    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
    private static let counterSpace: UInt64 = 36 * 36 * 36 * 36
    private let state = Mutex(State())
    private let clock: WallClock

    public init(clock: WallClock = .system) {
        self.clock = clock
    }

    /// A new key, greater than every key this generator returned before.
    public func next() -> String {
        let (millisecond, counter) = state.withLock { state in
            let now = UInt64(max(0, clock.now() * 1000))
            if now > state.millisecond {
                state.millisecond = now
                state.counter = UInt64.random(in: 0..<(Self.counterSpace / 2))
            } else {
                state.counter += 1
                if state.counter >= Self.counterSpace {
                    state.millisecond += 1
                    state.counter = 0
                }
            }
            return (state.millisecond, state.counter)
        }
        return Self.base36(millisecond, width: 8) + Self.base36(counter, width: 4)
    }

    static func base36(_ value: UInt64, width: Int) -> String {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = value
        for position in stride(from: width - 1, through: 0, by: -1) {
            digits[position] = alphabet[Int(rest % 36)]
            rest /= 36
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
