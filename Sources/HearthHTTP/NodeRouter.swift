import HearthRegistry
import Hummingbird

/// The services a node's HTTP routes need.
public struct NodeServices: Sendable {
    public let registry: Registry
    public let collections: OpenCollections
    /// Installed apps; `nil` on a node that serves the data APIs only (some tests).
    public let apps: AppServices?

    public init(registry: Registry, collections: OpenCollections, apps: AppServices? = nil) {
        self.registry = registry
        self.collections = collections
        self.apps = apps
    }
}

/// Builds the node's router: instance hosts first, then the Deta-compatible APIs under `/v1`
/// and the node's own routes.
public enum NodeRouter {
    public static func build<Context: RequestContext>(
        _ services: NodeServices, context: Context.Type = BasicRequestContext.self
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        let access = APIAccess(registry: services.registry, collections: services.collections)
        let base = BaseController(access: access, limits: services.collections.baseLimits)
        let drive = DriveController(access: access, limits: services.collections.driveLimits)
        if let apps = services.apps {
            router.add(
                middleware: InstanceMiddleware(
                    catalog: apps.catalog, meters: apps.supervisor.meters, proxy: proxy(apps), base: base, drive: drive))
            ControlRoutes.add(to: router, apps: apps, registry: services.registry, collections: services.collections)
        }
        router.add(middleware: DetaAPIMiddleware(base: base, drive: drive))
        router.get("/healthz") { _, _ in
            JSONResponse.raw(.ok, "{\"status\":\"ok\"}")
        }
        return router
    }

    /// The router of requests from inside a sandboxed instance (`RoomListeners`): its own host,
    /// calls between its micros, and the Base and Drive APIs of its own collection — nothing
    /// else of the node, and nothing of other instances.
    public static func buildRoom(_ services: NodeServices, apps: AppServices) -> Router<NodeRequestContext> {
        let router = Router(context: NodeRequestContext.self)
        let access = APIAccess(registry: services.registry, collections: services.collections)
        let base = BaseController(access: access, limits: services.collections.baseLimits)
        let drive = DriveController(access: access, limits: services.collections.driveLimits)
        router.add(
            middleware: InstanceMiddleware(
                catalog: apps.catalog, meters: apps.supervisor.meters, proxy: proxy(apps), base: base, drive: drive))
        router.add(middleware: RoomAPIGuard())
        router.add(middleware: DetaAPIMiddleware(base: base, drive: drive))
        return router
    }

    private static func proxy(_ apps: AppServices) -> MicroProxy {
        MicroProxy(pool: apps.upstream, supervisor: apps.supervisor, timeout: apps.requestTimeout, maxRequestBytes: apps.maxRequestBytes)
    }
}
