import HTTPTypes
import HearthRegistry
import Hummingbird
import Logging

/// Who calls the owner API, and for which space: a program with an owner token, or the
/// dashboard in the owner's browser with its session.
struct APICaller: Sendable {
    enum Credential: Sendable {
        case token(OwnerTokenInfo)
        case session(SessionInfo)
    }

    let space: String
    let credential: Credential

    /// The header the dashboard sends with every call. No other site can send it: a custom
    /// header needs a CORS preflight, which this node never grants.
    static let dashboardHeader = HTTPField.Name("X-Hearth-Dashboard")!

    /// The caller of `request`: its bearer token, else its dashboard session. A session counts
    /// only with the dashboard's header and from the dashboard's own origin, so another site
    /// cannot act with the owner's cookie. Throws 401 otherwise.
    static func of(_ request: Request, registry: Registry, auth: OwnerAuth, logger: Logger) async throws -> APICaller {
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer "), let token = try await registry.ownerToken(String(header.dropFirst(7))) else {
                throw APIError.unauthorized
            }
            return APICaller(space: token.space, credential: .token(token))
        }
        guard request.headers[dashboardHeader] == "1", OwnerAuth.isSameOrigin(request, origin: auth.origin(of: request)),
            let session = await auth.session(of: request, instance: nil, logger: logger)
        else { throw APIError.unauthorized }
        return APICaller(space: session.space, credential: .session(session))
    }

    /// What `GET /space` says the credential is.
    var name: String {
        switch credential {
        case .token(let token): token.name
        case .session: "dashboard"
        }
    }
}
