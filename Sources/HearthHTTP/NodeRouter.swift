import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird
import Logging

/// The services a node's HTTP routes need.
public struct NodeServices: Sendable {
    public let registry: Registry
    public let collections: OpenCollections
    /// Installed apps; `nil` on a node that serves the data APIs only (some tests).
    public let apps: AppServices?
    /// Owners' sign-in and sessions.
    public let owners: OwnerAuth
    /// The dashboard's files, read once.
    let dashboardAssets = DashboardAssets.load(logger: Logger(label: "hearth.dashboard"))

    public init(registry: Registry, collections: OpenCollections, apps: AppServices? = nil, auth: AuthSettings = AuthSettings()) {
        self.registry = registry
        self.collections = collections
        self.apps = apps
        owners = OwnerAuth(registry: registry, settings: auth) { apps?.catalog.address ?? NodeAddress() }
    }
}

/// Builds the node's router: instance hosts first, then the Deta-compatible APIs under `/v1`
/// and the node's own routes.
public enum NodeRouter {
    public static func build<Context: RequestContext>(
        _ services: NodeServices, context: Context.Type = BasicRequestContext.self
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: ServerHeader())
        let access = APIAccess(registry: services.registry, collections: services.collections)
        let base = BaseController(access: access, limits: services.collections.baseLimits)
        let drive = DriveController(access: access, limits: services.collections.driveLimits)
        if let apps = services.apps {
            router.add(middleware: instances(services, apps: apps, base: base, drive: drive, context: Context.self))
            ControlRoutes.add(to: router, apps: apps, registry: services.registry, collections: services.collections)
            OwnerAPI<Context>(
                registry: services.registry, layout: services.collections.layout, apps: apps, auth: services.owners,
                collections: services.collections
            )
            .add(to: router)
        }
        router.add(middleware: DetaAPIMiddleware(base: base, drive: drive))
        router.get("/healthz") { _, _ in
            JSONResponse.raw(.ok, "{\"status\":\"ok\"}")
        }
        LoginRoutes<Context>(auth: services.owners, registry: services.registry).add(to: router)
        DashboardRoutes<Context>(auth: services.owners, registry: services.registry, assets: services.dashboardAssets).add(to: router)
        ReleaseRoutes<Context>(registry: services.registry, layout: services.collections.layout, owners: services.owners)
            .add(to: router)
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
        router.add(middleware: instances(services, apps: apps, base: base, drive: drive, context: NodeRequestContext.self))
        router.add(middleware: RoomAPIGuard())
        router.add(middleware: DetaAPIMiddleware(base: base, drive: drive))
        return router
    }

    private static func instances<Context: RequestContext>(
        _ services: NodeServices, apps: AppServices, base: BaseController, drive: DriveController, context: Context.Type
    ) -> InstanceMiddleware<Context> {
        InstanceMiddleware(
            catalog: apps.catalog, gate: InstanceGate(auth: services.owners, catalog: apps.catalog), meters: apps.supervisor.meters,
            proxy: proxy(apps), base: base, drive: drive)
    }

    private static func proxy(_ apps: AppServices) -> MicroProxy {
        MicroProxy(pool: apps.upstream, supervisor: apps.supervisor, timeout: apps.requestTimeout, maxRequestBytes: apps.maxRequestBytes)
    }
}
