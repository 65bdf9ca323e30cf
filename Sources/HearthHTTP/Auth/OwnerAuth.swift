import HTTPTypes
import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird
import Logging

/// Who is signed in: reads session cookies, signs owners in (with the throttle), and hands a
/// dashboard session to instance hosts. One per node; the login routes and the instance
/// gate share it.
public final class OwnerAuth: Sendable {
    let registry: Registry
    let settings: AuthSettings
    let throttle: LoginThrottle
    let handoffs: HandoffTokens
    private let currentAddress: @Sendable () -> NodeAddress
    /// Proves a browser setting up a fresh node was told the code `hearth serve` printed.
    public let setupCode = Secrets.secret(length: 16)

    public init(registry: Registry, settings: AuthSettings, clock: WallClock = .system, address: @escaping @Sendable () -> NodeAddress) {
        self.registry = registry
        self.settings = settings
        throttle = LoginThrottle(settings: settings, clock: clock)
        handoffs = HandoffTokens(lifetime: settings.handoffLifetime, clock: clock)
        currentAddress = address
    }

    /// Where the node answers, as announced once it listens.
    var address: NodeAddress { currentAddress() }

    var cookies: SessionCookie { SessionCookie(secure: address.scheme == "https") }

    /// The live session the request's cookie opens on the dashboard (`instance == nil`) or on
    /// the host of `instance`; a session for another host never counts.
    func session(of request: Request, instance: String?, logger: Logger) async -> SessionInfo? {
        guard let token = SessionCookie.value(cookies.session, in: request), !token.isEmpty else { return nil }
        do {
            guard let session = try await registry.session(token: token), session.instance == instance else { return nil }
            try await registry.touch(session)
            return session
        } catch {
            logger.error("Cannot read sessions", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// `page` made with the browser's CSRF token (`hearth_csrf`), which the page's forms send
    /// back; a browser without one gets a new one with the page.
    func withCSRF(_ request: Request, _ page: (String) -> Response) -> Response {
        if let token = SessionCookie.value(cookies.csrf, in: request), token.count == 32 { return page(token) }
        let token = Secrets.secret()
        var response = page(token)
        response.headers.append(HTTPField(name: .setCookie, value: cookies.header(cookies.csrf, token, maxAge: 86_400 * 365)))
        return response
    }

    /// The `Set-Cookie` value starting a session on the host that answers.
    func sessionCookie(_ token: String, for session: SessionInfo) -> String {
        let seconds = Int(session.expiresAt.timeIntervalSinceNow.rounded(.down))
        return cookies.header(cookies.session, token, maxAge: max(0, seconds))
    }

    /// The client's address, as the throttle and the session list record it.
    static func clientAddress(_ context: some RequestContext) -> String {
        (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "local"
    }

    /// Whether a request is a browser opening a page (answered with a redirect to sign-in)
    /// rather than a script or API client (answered with 401).
    static func isNavigation(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        if let mode = request.headers[HTTPField.Name("Sec-Fetch-Mode")!] { return mode == "navigate" }
        return request.headers[.accept]?.contains("text/html") == true
    }

    /// Whether a state-changing request comes from the page's own origin: its `Origin` (when
    /// sent) is `origin`, and its `Sec-Fetch-Site` (when sent) is same-origin or none. Other
    /// instance hosts are the same *site* to a browser, so `SameSite` alone would not stop them.
    static func isSameOrigin(_ request: Request, origin: String) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        if let sent = request.headers[.origin], sent.lowercased() != origin.lowercased() { return false }
        return true
    }

    /// The origin a request was sent to, as the browser names it.
    func origin(of request: Request) -> String {
        "\(address.scheme)://\((request.head.authority ?? address.authority(address.domain)).lowercased())"
    }

    /// Whether `authority` names this node's port: the one it listens on, or the one the
    /// browser used for the dashboard (they differ behind port forwarding). A handoff token is
    /// never sent to another port, where another program could be listening.
    func isNodePort(_ authority: String, dashboard: String?) -> Bool {
        let defaultPort = address.scheme == "https" ? 443 : 80
        let port = { (authority: String) in NodeAddress.split(authority: authority).map { $0.port ?? defaultPort } }
        guard let wanted = port(authority) else { return false }
        return wanted == address.port || wanted == dashboard.flatMap(port)
    }

    /// The dashboard's origin as seen from a request to an instance host: the node's domain
    /// with the port the browser used (which differs from the node's behind port forwarding).
    func dashboardOrigin(seenFrom request: Request) -> String {
        let port = request.head.authority.flatMap { NodeAddress.split(authority: $0)?.port }
        return "\(address.scheme)://\(address.domain)" + (port.map { ":\($0)" } ?? "")
    }
}
