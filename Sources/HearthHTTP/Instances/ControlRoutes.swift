import Foundation
import HearthRegistry
import HearthRuntime
import Hummingbird

/// The node's control API for the local CLI (`hearth app restart`, `rm`, `ls`, `stats`,
/// `limits`): loopback only, with the token the node writes to `<data>/run/node.json`
/// (readable by its owner only).
enum ControlRoutes {
    static func add<Context: RequestContext>(
        to router: Router<Context>, apps: AppServices, registry: Registry, collections: OpenCollections
    ) {
        let group = router.group("/__hearth/control/instances/:id")
        group.post("restart") { request, context in
            try authorize(request, context, apps)
            await apps.restart(instance: try context.parameters.require("id"))
            return JSONResponse.raw(.ok, "{\"restarted\":true}")
        }
        group.post("stop") { request, context in
            try authorize(request, context, apps)
            await apps.retire(instance: try context.parameters.require("id"), collections: collections)
            return JSONResponse.raw(.ok, "{\"stopped\":true}")
        }
        group.post("actions/:action") { request, context in
            try authorize(request, context, apps)
            apps.catalog.invalidate()
            let info = try await registry.instance(try context.parameters.require("id"))
            let actionID = try context.parameters.require("action")
            guard let instance = try await apps.catalog.instance(slug: info.slug),
                let (action, micro) = ActionScheduler.find(actionID, in: instance)
            else { throw HTTPError(.notFound, message: "No action '\(actionID)' in \(info.slug)") }
            let line = await apps.scheduler.trigger(action, of: micro, in: instance)
            return JSONResponse.value(.ok, ["result": .string(line)])
        }
        group.get("status") { request, context in
            try authorize(request, context, apps)
            let running = await apps.supervisor.runningMicros(instance: try context.parameters.require("id"))
            let isolation = apps.supervisor.launcher.isolates ? "sandboxed" : "unisolated"
            return JSONResponse.value(.ok, ["running": .array(running.map { .string($0) }), "isolation": .string(isolation)])
        }
        addMeters(to: group, apps: apps, registry: registry, collections: collections)
    }

    static func authorize(_ request: Request, _ context: some RequestContext, _ apps: AppServices) throws {
        guard context.isFromLoopback, request.headers[.authorization] == "Bearer \(apps.controlToken)" else {
            throw HTTPError(.unauthorized)
        }
    }
}
