import HearthCore
import HearthRegistry
import Synchronization

/// One-time tokens that carry a dashboard session to one instance host: the dashboard issues
/// one, redirects the browser to the instance's `/__space/session?token=…`, and the instance
/// host redeems it for a session cookie of its own. A token works once, for that instance,
/// for a minute; it lives in memory only.
final class HandoffTokens: Sendable {
    private struct Grant {
        var session: SessionInfo
        var instance: String
        var expires: Double
    }

    static let capacity = 10_000

    private let grants = Mutex<[String: Grant]>([:])
    private let lifetime: Double
    private let clock: WallClock

    init(lifetime: Double, clock: WallClock = .system) {
        self.lifetime = lifetime
        self.clock = clock
    }

    /// A new token handing `session` to `instance`.
    func issue(for session: SessionInfo, instance: String) -> String {
        let now = clock.now()
        let token = Secrets.secret()
        grants.withLock { grants in
            if grants.count >= Self.capacity { grants = grants.filter { $0.value.expires > now } }
            if grants.count >= Self.capacity, let oldest = grants.min(by: { $0.value.expires < $1.value.expires }) {
                grants.removeValue(forKey: oldest.key)
            }
            grants[Secrets.hash(token)] = Grant(session: session, instance: instance, expires: now + lifetime)
        }
        return token
    }

    /// The session a token hands to `instance`; the token is spent either way.
    func redeem(_ token: String, instance: String) -> SessionInfo? {
        let now = clock.now()
        guard let grant = grants.withLock({ $0.removeValue(forKey: Secrets.hash(token)) }), grant.expires > now,
            grant.instance == instance
        else { return nil }
        return grant.session
    }
}
