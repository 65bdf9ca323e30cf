import Foundation
import HTTPTypes
import HearthCore
import HearthRegistry
import Hummingbird

/// The dashboard's sign-in routes: `/setup` (a fresh node's first owner), `/login`, `/logout`,
/// `/open?to=<instance URL>` (hands the session to an instance host) and `/`, the signed-in
/// home. Every form carries the CSRF token of the dashboard's CSRF cookie and must come from
/// the dashboard's own origin.
struct LoginRoutes<Context: RequestContext> {
    let auth: OwnerAuth
    let registry: Registry

    static var maxFormBytes: Int { 16 * 1024 }

    func add(to router: Router<Context>) {
        router.get("/login") { request, context in try await loginPage(request, context) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        router.get("/setup") { request, context in try await setupPage(request, context) }
        router.post("/setup") { request, context in try await setup(request, context) }
        router.get("/open") { request, context in try await open(request, context) }
    }

    // MARK: Pages

    private func loginPage(_ request: Request, _ context: Context) async throws -> Response {
        guard try await registry.hasOwner() else { return Redirects.seeOther("/setup") }
        let next = nextPath(of: request)
        if await auth.session(of: request, instance: nil, logger: context.logger) != nil { return Redirects.seeOther(next) }
        return withCSRF(request) { AuthPages.login(next: next, csrf: $0) }
    }

    private func setupPage(_ request: Request, _ context: Context) async throws -> Response {
        guard try await !registry.hasOwner() else { return Redirects.seeOther("/login") }
        let code = FormQuery(request.uri.query)?["code"] ?? ""
        return withCSRF(request) { AuthPages.setup(code: code, csrf: $0) }
    }

    // MARK: Forms

    private func login(_ request: Request, _ context: Context) async throws -> Response {
        let (form, csrf) = try await checkedForm(request)
        guard let form, let csrf else { return Self.forbidden }
        let username = form["username"] ?? "", next = Redirects.safePath(form["next"])
        let address = OwnerAuth.clientAddress(context)
        if let denial = auth.throttle.check(address: address, account: username) {
            return Self.tooMany(denial) { AuthPages.login(next: next, csrf: csrf, username: username, error: $0, status: .tooManyRequests) }
        }
        guard let owner = try await registry.checkPassphrase(username: username, passphrase: form["passphrase"] ?? "") else {
            auth.throttle.fail(address: address, account: username)
            context.logger.notice("Failed sign-in", metadata: ["address": "\(address)"])
            return AuthPages.login(
                next: next, csrf: csrf, username: username, error: "Wrong user name or passphrase.", status: .unauthorized)
        }
        auth.throttle.succeed(account: username)
        return try await startSession(space: owner.space, request, context, then: next)
    }

    private func logout(_ request: Request, _ context: Context) async throws -> Response {
        let (form, _) = try await checkedForm(request)
        guard form != nil else { return Self.forbidden }
        if let session = await auth.session(of: request, instance: nil, logger: context.logger) {
            try await registry.revokeSession(session.id)
        }
        var response = Redirects.seeOther("/login")
        response.headers[.setCookie] = auth.cookies.header(auth.cookies.session, "", maxAge: 0)
        return response
    }

    private func setup(_ request: Request, _ context: Context) async throws -> Response {
        guard try await !registry.hasOwner() else { return Redirects.seeOther("/login") }
        let (form, csrf) = try await checkedForm(request)
        guard let form, let csrf else { return Self.forbidden }
        let code = form["code"] ?? "", username = form["username"] ?? ""
        let address = OwnerAuth.clientAddress(context)
        if let denial = auth.throttle.check(address: address, account: "setup") {
            return Self.tooMany(denial) { AuthPages.setup(code: code, csrf: csrf, username: username, error: $0, status: .tooManyRequests) }
        }
        guard Secrets.equal(Array(code.utf8), Array(auth.setupCode.utf8)) else {
            auth.throttle.fail(address: address, account: "setup")
            return AuthPages.setup(code: "", csrf: csrf, error: "This setup link is not valid (any more).", status: .forbidden)
        }
        let passphrase = form["passphrase"] ?? ""
        guard passphrase == form["confirm"] else {
            return AuthPages.setup(code: code, csrf: csrf, username: username, error: "The passphrases differ.", status: .badRequest)
        }
        do {
            let owner = try await registry.createOwner(space: Registry.defaultSpace, username: username, passphrase: passphrase)
            context.logger.notice("Owner created", metadata: ["user": "\(owner.username)", "space": "\(owner.space)"])
            return try await startSession(space: owner.space, request, context, then: "/")
        } catch let error as RegistryError where error.code == RegistryError.badName || error.code == RegistryError.weakPassphrase {
            return AuthPages.setup(code: code, csrf: csrf, username: username, error: error.message, status: .badRequest)
        }
    }

    /// Hands the dashboard session to the instance host `to` names, if the app is in the
    /// signed-in space.
    private func open(_ request: Request, _ context: Context) async throws -> Response {
        let to = FormQuery(request.uri.query)?["to"] ?? ""
        guard let session = await auth.session(of: request, instance: nil, logger: context.logger) else {
            return Redirects.seeOther("/login?next=" + Redirects.encode("/open?to=" + Redirects.encode(to)))
        }
        let address = auth.address
        guard let target = InstanceURL(to), auth.isNodePort(target.authority, dashboard: request.head.authority),
            let slug = address.instanceLabel(ofHost: target.authority),
            let instance = try await registry.instance(slug: slug), instance.space == session.space
        else {
            return AuthPages.message(.notFound, title: "No app there", "Your space has no app at \(to).")
        }
        let token = auth.handoffs.issue(for: session, instance: instance.id)
        let landing = "\(address.scheme)://\(target.authority)/__space/session?token=\(token)&next=\(Redirects.encode(target.pathAndQuery))"
        var response = Redirects.seeOther(landing)
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    // MARK: Helpers

    private func startSession(space: String, _ request: Request, _ context: Context, then next: String) async throws -> Response {
        let (session, token) = try await registry.createSession(
            space: space, address: OwnerAuth.clientAddress(context), agent: request.headers[.userAgent] ?? "",
            lifetime: auth.settings.sessionLifetime)
        context.logger.info("Signed in", metadata: ["space": "\(space)", "session": "\(session.id)"])
        var response = Redirects.seeOther(next)
        response.headers[.setCookie] = auth.sessionCookie(token, for: session)
        return response
    }

    /// The form of a state-changing request and its CSRF token, or `nil`s when the request is
    /// cross-origin or its token does not match the CSRF cookie.
    private func checkedForm(_ request: Request) async throws -> (FormQuery?, String?) {
        var request = request
        let body = try await request.collectBody(upTo: Self.maxFormBytes)
        guard OwnerAuth.isSameOrigin(request, origin: auth.origin(of: request)),
            let form = FormQuery(String(buffer: body)), let cookie = SessionCookie.value(auth.cookies.csrf, in: request),
            !cookie.isEmpty, Secrets.equal(Array((form["csrf"] ?? "").utf8), Array(cookie.utf8))
        else { return (nil, nil) }
        return (form, cookie)
    }

    /// Renders a form page with the request's CSRF token, setting the cookie when it has none.
    private func withCSRF(_ request: Request, _ page: (String) -> Response) -> Response {
        auth.withCSRF(request, page)
    }

    /// Where to go after signing in: `next` (a path on the dashboard) or Deta's `redirect_uri`
    /// (a full URL; an instance's is opened through `/open`).
    private func nextPath(of request: Request) -> String {
        let query = FormQuery(request.uri.query)
        if let uri = query?.nonEmpty("redirect_uri"), let target = InstanceURL(uri) {
            return auth.address.instanceLabel(ofHost: target.authority) != nil
                ? "/open?to=" + Redirects.encode(uri) : Redirects.safePath(target.pathAndQuery)
        }
        return Redirects.safePath(query?["next"])
    }

    static var forbidden: Response {
        AuthPages.message(
            .forbidden, title: "Request refused", "This form was sent from another site, or the page was too old. Reload it and try again.")
    }

    static func tooMany(_ denial: LoginThrottle.Denial, page: (String) -> Response) -> Response {
        let minutes = (denial.retryAfter + 59) / 60
        let wait = minutes == 1 ? "a minute" : "\(minutes) minutes"
        let message =
            switch denial.reason {
            case .address: "Too many failed sign-ins from your address. Try again in \(wait)."
            case .account: "Too many failed sign-ins for this user name. Try again in \(wait)."
            }
        var response = page(message)
        response.headers[.retryAfter] = "\(denial.retryAfter)"
        return response
    }
}
