import Foundation
import HTTPTypes
import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird

/// The owner API's instance settings (docs/api.md, "Instance settings"): its configuration
/// variables (as `hearth app env`), its app keys (as `hearth app key`), its public routes, its
/// usage (as `hearth app stats`), and a restart.
extension OwnerAPI {
    func addSettings(to api: RouterGroup<Context>) {
        api.get("instances/:id/env") { request, context in
            try await respond { try await environment(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.put("instances/:id/env") { request, context in
            try await respond { try await setEnvironment(request, caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.get("instances/:id/keys") { request, context in
            try await respond { try await appKeys(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/keys") { request, context in
            try await respond { try await createAppKey(request, caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.delete("instances/:id/keys/:key") { request, context in
            try await respond {
                try await removeAppKey(
                    caller(request, context), id: context.parameters.get("id") ?? "", key: context.parameters.get("key") ?? "")
            }
        }
        api.get("instances/:id/public-routes") { request, context in
            try await respond { try await publicRoutes(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.get("instances/:id/usage") { request, context in
            try await respond { try await usage(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/restart") { request, context in
            try await respond { try await restart(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
    }

    // MARK: Configuration

    private func environment(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        return try APIResponse.json(.ok, try await variables(of: info))
    }

    /// Body: `{"values": {"NAME": "value", "OTHER": null}}`; a string sets a variable, `null`
    /// puts it back to the Spacefile's default. Every name must be one the Spacefile declares;
    /// nothing is set unless all are valid. The instance's micros then restart.
    private func setEnvironment(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        // Decoded without the snake-case key conversion: variable names are kept as written.
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: 256 << 10)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(256 << 10) bytes")
        }
        guard let change = try? JSONDecoder().decode(SettingsEnvChange.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, "The body must be {\"values\": {\"NAME\": \"value\" or null, …}}")
        }
        let declared = Set(try spacefile(of: info).micros.flatMap(\.presets.env).map(\.name))
        for (name, value) in change.values {
            guard declared.contains(name) else {
                let known = declared.sorted().joined(separator: ", ")
                throw APIError(
                    .badRequest,
                    "'\(name)' is not a variable of \(info.appName)" + (known.isEmpty ? "; it has none" : " (it has: \(known))"))
            }
            if let value, value.utf8.count > 32 << 10 || value.contains("\0") {
                throw APIError(.badRequest, "The value of \(name) must be text of at most 32 kB without NUL characters")
            }
        }
        for (name, value) in change.values { try await registry.setEnvironment(instance: info.id, name: name, value: value) }
        await restartMicros(of: info)
        return try APIResponse.json(.ok, SettingsEnvAnswer(env: try await variables(of: info), restarted: true))
    }

    private func variables(of info: InstanceInfo) async throws -> [SettingsVariable] {
        let values = try await registry.environment(instance: info.id)
        return try spacefile(of: info).micros.flatMap(\.presets.env).map {
            SettingsVariable(name: $0.name, description: $0.description, default: $0.defaultValue, value: values[$0.name])
        }
    }

    // MARK: App keys

    private func appKeys(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let keyed = try spacefile(of: info).micros.filter(\.presets.apiKeys).map(\.name)
        let keys = try await registry.appKeys(instance: info.id).map(SettingsAppKey.init)
        return try APIResponse.json(.ok, SettingsAppKeys(enabled: !keyed.isEmpty, micros: keyed, keys: keys))
    }

    /// Body: `{"name": "…"}`. The answer holds the key itself, which the node keeps only as a
    /// hash: it is never shown again.
    private func createAppKey(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        guard try spacefile(of: info).micros.contains(where: \.presets.apiKeys) else {
            throw APIError(
                .conflict,
                "\(info.appName) does not take app keys: none of its micros sets `presets: api_keys: true` in its Spacefile")
        }
        let asked = try await APIResponse.decode(SettingsKeyRequest.self, from: request, limit: 4 << 10)
        let (key, secret) = try await registry.createAppKey(instance: info.id, name: asked.name)
        return try APIResponse.json(.created, SettingsNewAppKey(key: SettingsAppKey(key), secret: secret))
    }

    private func removeAppKey(_ caller: APICaller, id: String, key: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        try await registry.removeAppKey(instance: info.id, key: key)
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    // MARK: Public routes, usage, restart

    private func publicRoutes(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let micros = try spacefile(of: info).micros
        return try APIResponse.json(.ok, micros.map { SettingsPublicRoutes(micro: $0.name, path: $0.path, routes: $0.publicRoutes) })
    }

    private func usage(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        return try APIResponse.json(.ok, try await ControlRoutes.stats(of: info, apps: apps, registry: registry, collections: collections))
    }

    private func restart(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        await restartMicros(of: info)
        return try APIResponse.json(.ok, ["restarted": true])
    }

    /// Stops the instance's micros, as `hearth app restart` does; the next request starts them
    /// with fresh settings.
    private func restartMicros(of info: InstanceInfo) async {
        await apps.restart(instance: info.id)
    }

    private func spacefile(of info: InstanceInfo) throws -> Spacefile {
        do {
            return try Spacefile.load(directory: layout.instance(info).app)
        } catch {
            throw APIError(.conflict, "\(info.slug) has no readable Spacefile (is it still installing?)")
        }
    }
}

struct SettingsVariable: Encodable {
    let name: String
    let description, `default`, value: String?

    /// With explicit nulls: `value: null` says the default applies.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(`default`, forKey: .default)
        try container.encode(value, forKey: .value)
    }

    enum Keys: String, CodingKey { case name, description, `default`, value }
}

struct SettingsEnvChange: Decodable {
    let values: [String: String?]
}

struct SettingsEnvAnswer: Encodable {
    let env: [SettingsVariable]
    let restarted: Bool
}

struct SettingsKeyRequest: Decodable {
    let name: String
}

struct SettingsAppKey: Encodable {
    let id, name, hint: String
    let createdAt: Date

    init(_ key: AppKeyInfo) {
        (id, name, hint, createdAt) = (key.id, key.name, key.hint, key.createdAt)
    }
}

struct SettingsAppKeys: Encodable {
    /// Whether any micro takes app keys (`presets.api_keys`), and which.
    let enabled: Bool
    let micros: [String]
    let keys: [SettingsAppKey]
}

struct SettingsNewAppKey: Encodable {
    let key: SettingsAppKey
    /// The key itself, shown this once.
    let secret: String

    func encode(to encoder: any Encoder) throws {
        try key.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(secret, forKey: .key)
    }

    enum Keys: String, CodingKey { case key }
}

struct SettingsPublicRoutes: Encodable {
    let micro, path: String
    let routes: [String]
}
