import HearthCore
import Synchronization

/// Counts failed sign-ins per client address and per user name over a sliding window, and
/// refuses further tries (even right ones) once either has had too many, until the oldest
/// failure leaves the window.
final class LoginThrottle: Sendable {
    /// Why a sign-in must wait, and for how long.
    struct Denial: Equatable {
        enum Reason { case address, account }
        var reason: Reason
        var retryAfter: Int
    }

    private struct State {
        var byAddress: [String: [Double]] = [:]
        var byAccount: [String: [Double]] = [:]
    }

    /// Bounds memory under a flood from many addresses.
    static let capacity = 50_000

    private let state = Mutex(State())
    private let settings: AuthSettings
    private let clock: WallClock

    init(settings: AuthSettings, clock: WallClock = .system) {
        self.settings = settings
        self.clock = clock
    }

    /// Whether a sign-in from `address` for `account` must wait.
    func check(address: String, account: String) -> Denial? {
        let now = clock.now()
        return state.withLock { state in
            if let wait = wait(state.byAddress[address], limit: settings.failuresPerAddress, now: now) {
                return Denial(reason: .address, retryAfter: wait)
            }
            if let wait = wait(state.byAccount[account.lowercased()], limit: settings.failuresPerAccount, now: now) {
                return Denial(reason: .account, retryAfter: wait)
            }
            return nil
        }
    }

    /// Records a failed sign-in.
    func fail(address: String, account: String) {
        let now = clock.now()
        let window = settings.failureWindow
        state.withLock { state in
            if state.byAddress.count + state.byAccount.count >= Self.capacity {
                state.byAddress = state.byAddress.filter { ($0.value.last ?? 0) > now - window }
                state.byAccount = state.byAccount.filter { ($0.value.last ?? 0) > now - window }
            }
            state.byAddress[address, default: []] = Self.recent(state.byAddress[address] ?? [], now: now, window: window) + [now]
            let name = account.lowercased()
            state.byAccount[name, default: []] = Self.recent(state.byAccount[name] ?? [], now: now, window: window) + [now]
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    func succeed(account: String) {
        _ = state.withLock { $0.byAccount.removeValue(forKey: account.lowercased()) }
    }

    private func wait(_ failures: [Double]?, limit: Int, now: Double) -> Int? {
        let recent = Self.recent(failures ?? [], now: now, window: settings.failureWindow)
        guard recent.count >= limit, let oldest = recent.suffix(limit).first else { return nil }
        return max(1, Int((oldest + settings.failureWindow - now).rounded(.up)))
    }

    private static func recent(_ failures: [Double], now: Double, window: Double) -> [Double] {
        failures.filter { $0 > now - window }
    }
}
