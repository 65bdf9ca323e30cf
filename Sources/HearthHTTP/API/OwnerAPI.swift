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
    let auth: OwnerAuth
    /// The collections' Bases and Drives, for the data browser (`OwnerAPI+Data`).
    let collections: OpenCollections

    func add(to router: Router<Context>) {
        let api = router.group("/api/v1")
        api.get("space") { request, context in try await respond { try await space(caller(request, context)) } }
        api.get("instances") { request, context in try await respond { try await instances(caller(request, context)) } }
        api.get("instances/:id") { request, context in
            try await respond { try await instance(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.get("instances/:id/icon") { request, context in
            try await respond { try await icon(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/releases") { request, context in
            try await respond { try await release(request, caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("push") { request, context in
            try await respond {
                try await PushRoute(registry: registry, layout: layout, apps: apps).push(request, space: caller(request, context).space)
            }
        }
        addLogs(to: api)
        addSettings(to: api)
        addData(to: api)
        addInstall(to: api)
        addSpace(to: api)
    }

    private func space(_ caller: APICaller) async throws -> Response {
        let owner = await registry.ownerName(of: caller.space)
        return try APIResponse.json(.ok, SpaceAnswer(space: caller.space, username: owner, token: caller.name))
    }

    private func instances(_ caller: APICaller) async throws -> Response {
        var list: [InstanceAnswer] = []
        for info in try await registry.instances(space: caller.space) { list.append(await InstanceAnswer.live(info, apps: apps)) }
        return try APIResponse.json(.ok, list)
    }

    private func instance(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let spacefile = try? Spacefile.load(directory: layout.instance(info).app)
        let values = try await registry.environment(instance: info.id)
        return try APIResponse.json(.ok, InstanceDetails(await InstanceAnswer.live(info, apps: apps), spacefile: spacefile, values: values))
    }

    /// The icon the app's Spacefile names, if it is a PNG, WebP or JPEG image.
    private func icon(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let app = layout.instance(info).app
        guard let path = (try? Spacefile.load(directory: app))?.icon,
            let file = AppPaths.file(path, in: app), let data = FileManager.default.contents(atPath: file.path), data.count <= 2 << 20,
            let type = ImageType.sniff(data)
        else { throw APIError(.notFound, "\(info.slug) has no icon") }
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "private, max-age=300", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func release(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let instance = try await ownInstance(id, of: caller)
        let asked = try await APIResponse.decode(ReleaseRequest.self, from: request, limit: 64 << 10)
        let release = try await Releaser(registry: registry, layout: layout).release(
            instance, version: asked.version, notes: asked.notes ?? "", listed: asked.listed ?? false)
        let url = apps.catalog.address.dashboardOrigin + "/" + release.path
        return try APIResponse.json(.created, ReleaseAnswer(release, url: url))
    }

    /// Who calls (see `APICaller`), or 401.
    func caller(_ request: Request, _ context: Context) async throws -> APICaller {
        try await APICaller.of(request, registry: registry, auth: auth, logger: context.logger)
    }

    /// The caller's instance with this id or host label; other spaces' answer 404 as if absent.
    func ownInstance(_ id: String, of caller: APICaller) async throws -> InstanceInfo {
        guard let instance = try? await registry.instance(id), instance.space == caller.space else {
            throw APIError(.notFound, "No instance '\(id)' in space '\(caller.space)'")
        }
        return instance
    }

    /// Runs `work`, turning failures into JSON error answers.
    func respond(_ work: () async throws -> Response) async throws -> Response {
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

/// A release as the API shows it.
struct ReleaseAnswer: Encodable {
    let id, app, version, notes, fingerprint, sha256, url: String
    let listed: Bool

    init(_ release: ReleaseInfo, url: String) {
        (id, app, version, notes, listed) = (release.id, release.appName, release.version, release.notes, release.listed)
        (fingerprint, sha256, self.url) = (release.fingerprint, release.sha256, url)
    }
}
