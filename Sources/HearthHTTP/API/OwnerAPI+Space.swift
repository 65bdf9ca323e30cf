import Foundation
import HTTPTypes
import HearthCore
import HearthExport
import HearthRegistry
import HearthRuntime
import Hummingbird

/// The caller's space: its sessions, its owner tokens, its export and an import into a new
/// space, and what the node is (docs/api.md, "Space").
extension OwnerAPI {
    func addSpace(to api: RouterGroup<Context>) {
        api.get("space/sessions") { request, context in try await respond { try await sessions(caller(request, context)) } }
        api.delete("space/sessions/:session") { request, context in
            try await respond { try await revoke(caller(request, context), session: context.parameters.get("session") ?? "") }
        }
        api.get("space/tokens") { request, context in try await respond { try await tokens(caller(request, context)) } }
        api.post("space/tokens") { request, context in try await respond { try await createToken(request, caller(request, context)) } }
        api.delete("space/tokens/:token") { request, context in
            try await respond { try await removeToken(caller(request, context), token: context.parameters.get("token") ?? "") }
        }
        api.get("space/export") { request, context in try await respond { try await exportSpace(caller(request, context)) } }
        api.post("space/import") { request, context in try await respond { try await importSpace(request, caller(request, context)) } }
        api.get("node") { request, context in try await respond { try await node(caller(request, context)) } }
    }

    // MARK: Sessions

    private func sessions(_ caller: APICaller) async throws -> Response {
        let current = caller.sessionID
        let list = try await registry.sessions(space: caller.space).filter { $0.instance == nil }.map { session in
            SpaceSession(
                id: session.id, address: session.address, agent: session.agent, createdAt: session.createdAt,
                lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt, current: session.id == current)
        }
        return try APIResponse.json(.ok, list)
    }

    /// Ends one of the space's sessions (and the app sessions handed from it). Ending the
    /// caller's own signs it out: the answer says so with `"current": true`.
    private func revoke(_ caller: APICaller, session id: String) async throws -> Response {
        guard try await registry.sessions(space: caller.space).contains(where: { $0.id == id && $0.instance == nil }) else {
            throw APIError(.notFound, "No live session '\(id.prefix(64))' in space '\(caller.space)'")
        }
        let ended = try await registry.revokeSession(id, space: caller.space)
        return try APIResponse.json(.ok, RevokeAnswer(revoked: id, ended: ended, current: id == caller.sessionID))
    }

    // MARK: Owner tokens

    private func tokens(_ caller: APICaller) async throws -> Response {
        let current = caller.tokenID
        let list = try await registry.ownerTokens(space: caller.space).map {
            SpaceToken(id: $0.id, name: $0.name, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt, current: $0.id == current, token: nil)
        }
        return try APIResponse.json(.ok, list)
    }

    private func createToken(_ request: Request, _ caller: APICaller) async throws -> Response {
        let asked = try await APIResponse.decode(TokenRequest.self, from: request, limit: 4 << 10)
        let name = asked.name?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty else { throw APIError(.badRequest, "Name the token, e.g. {\"name\": \"laptop\"}") }
        let (info, secret) = try await registry.createOwnerToken(space: caller.space, name: name)
        return try APIResponse.json(
            .created,
            SpaceToken(id: info.id, name: info.name, createdAt: info.createdAt, lastUsedAt: nil, current: false, token: secret))
    }

    private func removeToken(_ caller: APICaller, token: String) async throws -> Response {
        guard !token.isEmpty else { throw APIError(.badRequest, "Name the token to remove") }
        try await registry.removeOwnerToken(space: caller.space, token: token)
        return try APIResponse.json(.ok, ["removed": token])
    }

    // MARK: Export and import

    private func exportSpace(_ caller: APICaller) async throws -> Response {
        let work = try WorkDirectory(in: layout, purpose: "space-export")
        let file = work.url.appendingPathComponent("space.zip")
        do {
            _ = try await SpaceExporter(registry: registry, layout: layout, masterKeyFile: collections.masterKeyFile)
                .write(space: caller.space, to: file)
        } catch {
            work.remove()
            throw error
        }
        return try Self.download(file, name: "space-\(caller.space)-\(Self.stamp()).zip", work: work)
    }

    /// `POST /space/import?space=<new>[&owner=<user name>]` with a space archive as the body
    /// (and the new owner's passphrase in `X-Hearth-Passphrase`): recreates it as a new space,
    /// streaming the steps; the archive is checked completely before anything is made.
    private func importSpace(_ request: Request, _ caller: APICaller) async throws -> Response {
        let query = request.uri.queryParameters
        let space = (query["space"].map(String.init) ?? "").lowercased()
        guard !space.isEmpty else {
            throw APIError(.badRequest, "Name the new space: ?space=<name> (your own space already has apps)")
        }
        if (try? await registry.requireSpace(space)) != nil {
            throw APIError(.conflict, "Space '\(space)' exists already: choose a new name")
        }
        let ownerName = query["owner"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        var owner: (username: String, passphrase: String)?
        if let ownerName {
            guard let passphrase = request.headers[Self.passphraseHeader], !passphrase.isEmpty else {
                throw APIError(.badRequest, "Give the new owner's passphrase in the X-Hearth-Passphrase header")
            }
            owner = (ownerName, passphrase)
        }
        let work = try WorkDirectory(in: layout, purpose: "space-import")
        let plan: SpaceImportPlan
        do {
            let archive = work.url.appendingPathComponent("space.zip")
            try await PushRoute.save(request, to: archive, what: "The space archive")
            plan = try SpaceArchiveReader().read(archive, work: work.url)
        } catch {
            work.remove()
            throw error
        }
        return JSONLines.build(cleanup: { work.remove() }) { [registry, layout, apps, collections, owner] progress in
            let installer = ImportInstaller(
                installer: Installer(registry: registry, layout: layout, builder: apps.catalog.builder), progress: progress
            ) { await apps.retire(instance: $0, collections: collections) }
            let importer = SpaceImporter(
                layout: layout, registry: registry, masterKeyFile: collections.masterKeyFile, installer: installer)
            let result = try await importer.run(
                plan, work: work.url, space: space, owner: owner, progress: SpaceProgress(step: { progress.step($0) }))
            apps.catalog.invalidate()
            let ownerName = await registry.ownerName(of: result.space)
            return SpaceImportSummary(plan: plan, result: result, owner: ownerName) { apps.catalog.address.origin(slug: $0) }
        }
    }

    static var passphraseHeader: HTTPField.Name { HTTPField.Name("X-Hearth-Passphrase")! }

    // MARK: Node

    private func node(_ caller: APICaller) async throws -> Response {
        let address = apps.catalog.address
        let count = try await registry.instances(space: caller.space).count
        let all = try await registry.instances().count
        return try APIResponse.json(
            .ok,
            NodeAnswer(
                domain: address.domain, port: address.port, scheme: address.scheme, dashboard: address.dashboardOrigin,
                sandboxed: apps.supervisor.launcher.isolates, instances: count, nodeInstances: all,
                freeBytes: CollectionImporter.freeBytes(layout.root), space: caller.space))
    }

    struct SpaceSession: Encodable {
        let id, address, agent: String
        let createdAt, lastSeenAt, expiresAt: Date
        /// The session this call came with.
        let current: Bool
    }

    struct RevokeAnswer: Encodable {
        let revoked: String
        /// How many sessions ended: this one and the app sessions handed from it.
        let ended: Int
        /// Whether it was the caller's own session, now signed out.
        let current: Bool
    }

    struct SpaceToken: Encodable {
        let id, name: String
        let createdAt: Date
        let lastUsedAt: Date?
        let current: Bool
        /// The secret `<id>_<secret>`: only in the answer that creates it.
        let token: String?
    }

    struct TokenRequest: Decodable {
        let name: String?
    }

    struct NodeAnswer: Encodable {
        let domain: String
        let port: Int
        let scheme: String
        let dashboard: String
        /// Whether micros run in the sandbox (their own namespaces, filesystem view and limits).
        let sandboxed: Bool
        /// This space's instances, and the node's.
        let instances: Int
        let nodeInstances: Int
        /// Free bytes on the data directory's file system.
        let freeBytes: Int64?
        let space: String
    }
}

extension APICaller {
    /// The dashboard session this call came with, if any.
    var sessionID: String? {
        if case .session(let session) = credential { session.id } else { nil }
    }

    /// The owner token this call came with, if any.
    var tokenID: String? {
        if case .token(let token) = credential { token.id } else { nil }
    }
}
