import Foundation
import HTTPTypes
import HearthCore
import HearthExport
import HearthRegistry
import HearthRuntime
import Hummingbird

/// The owner's API on the dashboard host, under `/api/v1` (docs/api.md): what `hearth push`
/// and `hearth release` use from another machine. Every call needs an owner token
/// (`Authorization: Bearer <id>_<secret>`, from `hearth owner token create`) and acts on that
/// token's space only.
struct OwnerAPI<Context: RequestContext> {
    let registry: Registry
    let layout: DataLayout
    let apps: AppServices

    func add(to router: Router<Context>) {
        let api = router.group("/api/v1")
        api.get("space") { request, _ in try await respond { try await space(request) } }
        api.get("instances") { request, _ in try await respond { try await instances(request) } }
        api.post("instances/:id/releases") { request, context in
            try await respond { try await release(request, id: context.parameters.get("id") ?? "") }
        }
        api.post("push") { request, _ in
            try await respond {
                try await PushRoute(registry: registry, layout: layout, apps: apps).push(request, owner: authorize(request))
            }
        }
    }

    private func space(_ request: Request) async throws -> Response {
        let token = try await authorize(request)
        let owner = try await registry.owners().first { $0.space == token.space }
        return try APIResponse.json(.ok, SpaceAnswer(space: token.space, username: owner?.username, token: token.name))
    }

    private func instances(_ request: Request) async throws -> Response {
        let token = try await authorize(request)
        let address = apps.catalog.address
        let list = try await registry.instances(space: token.space).map { InstanceAnswer($0, url: address.origin(slug: $0.slug)) }
        return try APIResponse.json(.ok, list)
    }

    private func release(_ request: Request, id: String) async throws -> Response {
        let token = try await authorize(request)
        let instance = try await ownInstance(id, of: token)
        let asked = try await APIResponse.decode(ReleaseRequest.self, from: request, limit: 64 << 10)
        let release = try await Releaser(registry: registry, layout: layout).release(
            instance, version: asked.version, notes: asked.notes ?? "", listed: asked.listed ?? false)
        let url = apps.catalog.address.dashboardOrigin + "/" + release.path
        return try APIResponse.json(.created, ReleaseAnswer(release, url: url))
    }

    /// The token the request carries, or 401.
    func authorize(_ request: Request) async throws -> OwnerTokenInfo {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let token = try await registry.ownerToken(String(header.dropFirst(7)))
        else { throw APIError.unauthorized }
        return token
    }

    private func ownInstance(_ id: String, of token: OwnerTokenInfo) async throws -> InstanceInfo {
        guard let instance = try? await registry.instance(id), instance.space == token.space else {
            throw APIError(.notFound, "No instance '\(id)' in space '\(token.space)'")
        }
        return instance
    }

    /// Runs `work`, turning failures into JSON error answers.
    private func respond(_ work: () async throws -> Response) async throws -> Response {
        do {
            return try await work()
        } catch let error as APIError {
            return APIResponse.errors(error.status, error.message)
        } catch let error as any HearthError {
            return APIResponse.errors(ErrorStatus.status(for: error.code), error.message)
        } catch {
            return APIResponse.errors(.internalServerError, "The node could not complete the call")
        }
    }

    struct SpaceAnswer: Encodable {
        let space: String
        let username: String?
        let token: String
    }

    struct ReleaseRequest: Decodable {
        let version: String
        let notes: String?
        let listed: Bool?
    }
}

/// An instance as the API shows it.
struct InstanceAnswer: Encodable {
    let id, slug, app, version, source, state, url: String
    let previousVersion: String?

    init(_ info: InstanceInfo, url: String) {
        (id, slug, app, version, source, state) = (info.id, info.slug, info.appName, info.version, info.source, info.state.rawValue)
        (self.url, previousVersion) = (url, info.previous?.version)
    }
}

/// A release as the API shows it.
struct ReleaseAnswer: Encodable {
    let id, app, version, notes, fingerprint, sha256, url: String
    let listed: Bool

    init(_ release: ReleaseInfo, url: String) {
        (id, app, version, notes, listed) = (release.id, release.appName, release.version, release.notes, release.listed)
        (fingerprint, sha256, self.url) = (release.fingerprint, release.sha256, url)
    }
}
