import HTTPTypes
import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird
import Logging

/// How a request to an instance host was let in.
enum Admission: Equatable {
    /// From inside the instance's own sandbox.
    case room
    /// A `public_routes` (or `public: true`) match.
    case publicRoute
    /// The owner's session cookie for this host.
    case session
    /// The instance's internal key (`DETA_API_KEY`), as micros call each other.
    case internalKey
    /// An app key the owner created, for a micro whose Spacefile allows keys.
    case appKey
}

/// Private by default (spec §5.5): decides who may reach an instance host, in the spec's order
/// — public route, session, key — and answers everyone else with a sign-in redirect (page
/// navigations) or 401 (API calls). Also lands the session handoff from the dashboard.
struct InstanceGate: Sendable {
    /// Whether a request goes on, and how it was let in; or the response refusing it.
    enum Decision {
        case admit(Admission)
        case refuse(Response)
    }

    let auth: OwnerAuth
    let catalog: InstanceCatalog

    static let appKeyHeader = HTTPField.Name("X-Space-App-Key")!
    /// The landing path of the handoff from the dashboard.
    static let landingPath = "/__space/session"

    /// Lets the request in, or gives the response refusing it. `micro` is the micro the path
    /// routes to; `nil` for the platform's own `/__space/` paths, which need the owner.
    func admit(
        _ request: Request, instance: LoadedInstance, micro: Micro?, microPath: String, context: some RequestContext
    ) async -> Decision {
        let id = instance.info.id
        if context.roomInstance == id { return .admit(.room) }
        if let micro, micro.isPublic(path: microPath) { return .admit(.publicRoute) }
        if await auth.session(of: request, instance: id, logger: context.logger) != nil {
            guard request.method.isSafe || OwnerAuth.isSameOrigin(request, origin: auth.origin(of: request)) else {
                return .refuse(JSONResponse.errors(.forbidden, "Cross-origin request refused"))
            }
            return .admit(.session)
        }
        for name in [APIAccess.apiKeyHeader, Self.appKeyHeader] {
            guard let key = request.headers[name] else { continue }
            if let owner = try? await catalog.instance(internalKey: key), owner.info.id == id { return .admit(.internalKey) }
        }
        if let key = request.headers[Self.appKeyHeader], micro?.presets.apiKeys == true,
            let found = try? await auth.registry.appKey(secret: key), found.instance == id
        {
            return .admit(.appKey)
        }
        return .refuse(refusal(request))
    }

    /// A sign-in redirect for a browser opening a page, else Deta's 401, whose `Server`
    /// header tells Deta's client runtime to send the user to sign in.
    private func refusal(_ request: Request) -> Response {
        guard OwnerAuth.isNavigation(request) else {
            var response = JSONResponse.errors(.unauthorized, "Unauthorized")
            response.headers[.server] = "Deta (Hearth)"
            response.headers[.cacheControl] = "no-store"
            return response
        }
        let url = auth.origin(of: request) + request.uri.description
        return Response(
            status: .found,
            headers: [
                .location: auth.dashboardOrigin(seenFrom: request) + "/open?to=" + Redirects.encode(url),
                .cacheControl: "no-store",
            ])
    }

    /// `/__space/session?token=…&next=…`: trades a one-time token from the dashboard for this
    /// host's own session cookie, then goes on to `next`.
    func land(_ request: Request, instance: LoadedInstance, context: some RequestContext) async -> Response {
        let query = FormQuery(request.uri.query)
        guard let token = query?.nonEmpty("token"), let parent = auth.handoffs.redeem(token, instance: instance.info.id) else {
            return AuthPages.message(
                .forbidden, title: "Sign-in link expired", "This link works once, for a minute. Open the app again from your space.")
        }
        do {
            let (session, secret) = try await auth.registry.createInstanceSession(parent: parent, instance: instance.info.id)
            var response = Redirects.seeOther(Redirects.safePath(query?["next"]))
            response.headers[.setCookie] = auth.sessionCookie(secret, for: session)
            response.headers[.referrerPolicy] = "no-referrer"
            return response
        } catch {
            context.logger.notice("Session handoff refused", metadata: ["reason": "\(error.message)"])
            return AuthPages.message(.forbidden, title: "Signed out", "Your session has ended. Open the app again from your space.")
        }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}

extension HTTPRequest.Method {
    /// Methods that only read (RFC 9110 §9.2.1); the others need a same-origin request.
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
