import Foundation
import HearthRuntime
import NIOSSL
import Synchronization
import X509

/// Chooses the certificate of each TLS handshake by the name the client asks for (SNI):
///
/// - no name (a client connecting to an IP address: micros, the CLI): the local certificate,
///   which covers the loopback addresses;
/// - any name, when a certificate was given: that certificate;
/// - an instance host, `<label>.<domain>`: a certificate for exactly that name, issued by the
///   local authority on first use and kept in memory. A wildcard would be simpler, but OpenSSL
///   and browsers refuse `*.localhost` (one label after the star);
/// - any other name: the local certificate.
///
/// Certificates within 30 days of their end are issued anew, so a node that runs for years
/// keeps serving valid ones.
final class CertificateSelector: Sendable {
    private let authority: LocalAuthority
    private let domain: String
    private let names: ServerNames
    private let given: ServerIdentity?
    private let state: Mutex<State>

    private struct State {
        var local: ServerIdentity
        var hosts: [String: ServerIdentity] = [:]
    }

    /// Instance hosts kept at most; past that the cache starts over (issuing one takes well
    /// under a millisecond), so names made up by clients cannot grow it without end.
    static let cacheLimit = 1024

    init(authority: LocalAuthority, local: ServerIdentity, names: ServerNames, domain: String, given: ServerIdentity?) {
        self.authority = authority
        self.domain = domain.lowercased()
        self.names = names
        self.given = given
        state = Mutex(State(local: local))
    }

    /// The identity a handshake asking for `serverName` gets.
    func identity(serverName: String?, now: Date = Date()) -> ServerIdentity {
        guard let name = serverName?.lowercased() else { return local(now: now) }
        if let given { return given }
        guard let label = Self.instanceLabel(of: name, domain: domain) else { return local(now: now) }
        if let cached = state.withLock({ $0.hosts[label] }), !cached.endsSoon(now: now) { return cached }
        let local = local(now: now)
        guard let certificate = try? authority.issue(for: ServerNames(dnsNames: [name]), publicKey: local.key.publicKey, now: now),
            let issued = try? ServerIdentity(certificate: certificate, sameKeyAs: local)
        else { return local }
        state.withLock { state in
            if state.hosts.count >= Self.cacheLimit { state.hosts.removeAll() }
            state.hosts[label] = issued
        }
        return issued
    }

    /// NIOSSL's per-handshake callback.
    var callback: NIOSSLContextCallback {
        { [self] values, promise in
            promise.succeed(identity(serverName: values.serverHostname).override)
        }
    }

    /// The local certificate, issued anew in memory when it nears its end.
    private func local(now: Date) -> ServerIdentity {
        let current = state.withLock { $0.local }
        guard current.endsSoon(now: now),
            let certificate = try? authority.issue(for: names, publicKey: current.key.publicKey, now: now),
            let renewed = try? ServerIdentity(certificate: certificate, sameKeyAs: current)
        else { return current }
        state.withLock { $0.local = renewed }
        return renewed
    }

    /// The instance label of a host name directly under `domain` (`notes.localhost` → `notes`).
    static func instanceLabel(of name: String, domain: String) -> String? {
        guard let label = NodeAddress.label(ofHost: name, under: domain), label.count <= 63,
            label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return nil }
        return label
    }
}
