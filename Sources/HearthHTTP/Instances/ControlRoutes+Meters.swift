import Foundation
import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird

/// The control API's meters and limits: `GET …/stats` (`hearth app stats`) and `POST …/limits`
/// (`hearth app limits NAME --memory …`).
extension ControlRoutes {
    static func addMeters<Context: RequestContext>(
        to group: RouterGroup<Context>, apps: AppServices, registry: Registry, collections: OpenCollections
    ) {
        group.get("stats") { request, context in
            try authorize(request, context, apps)
            let info = try await instance(context, registry)
            let stats = try await answer { try await Self.stats(of: info, apps: apps, registry: registry, collections: collections) }
            return JSONResponse.raw(.ok, String(decoding: try JSONEncoder().encode(stats), as: UTF8.self))
        }
        // Body: the `InstanceLimitOverrides` to set; `?reset=true` clears earlier ones first. The
        // instance's micros stop, so the next request starts them under the new limits.
        group.post("limits") { request, context in
            try authorize(request, context, apps)
            let info = try await instance(context, registry)
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            let overrides: InstanceLimitOverrides
            do {
                overrides = try JSONDecoder().decode(InstanceLimitOverrides.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "The body must be a JSON object of limits")
            }
            let reset = request.uri.queryParameters["reset"] == "true"
            try await answer { try await registry.setLimits(instance: info.id, overrides, reset: reset) }
            let limits = try await answer { try await registry.effectiveLimits(instance: info.id) }
            collections.setStorageQuota(info.id, bytes: limits.storageBytes)
            await apps.restart(instance: info.id)
            return JSONResponse.raw(.ok, String(decoding: try JSONEncoder().encode(limits), as: UTF8.self))
        }
    }

    /// An instance's live meters and limits (also the owner API's `GET …/usage`).
    static func stats(
        of info: InstanceInfo, apps: AppServices, registry: Registry, collections: OpenCollections
    ) async throws
        -> InstanceStats
    {
        InstanceStats(
            instance: info,
            meters: await apps.supervisor.meters.sample(info, launcher: apps.supervisor.launcher, collections: collections),
            limits: try await registry.effectiveLimits(instance: info.id), live: true,
            running: await apps.supervisor.runningMicros(instance: info.id), lastError: apps.supervisor.meters.meter(info.id).lastError)
    }

    private static func instance(_ context: some RequestContext, _ registry: Registry) async throws -> InstanceInfo {
        let id = try context.parameters.require("id")
        return try await answer { try await registry.instance(id) }
    }

    /// Runs a registry call, turning its failure into the status the error table gives it.
    @discardableResult
    private static func answer<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as RegistryError {
            throw HTTPError(ErrorStatus.status(for: error.code), message: error.message)
        }
    }
}
