import HearthBase
import HearthCore
import HearthRegistry
import Hummingbird

/// The services a node's HTTP routes need.
public struct NodeServices: Sendable {
    public let layout: DataLayout
    public let registry: Registry
    public let stores: BaseStores
    public let limits: BaseLimits

    public init(layout: DataLayout, registry: Registry, stores: BaseStores, limits: BaseLimits) {
        self.layout = layout
        self.registry = registry
        self.stores = stores
        self.limits = limits
    }
}

/// Builds the node's router: the Deta-compatible APIs under `/v1`, and the node's own routes.
public enum NodeRouter {
    public static func build<Context: RequestContext>(
        _ services: NodeServices, context: Context.Type = BasicRequestContext.self
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        let base = BaseController(
            registry: services.registry, stores: services.stores, layout: services.layout, limits: services.limits)
        router.add(middleware: DetaAPIMiddleware(base: base))
        router.get("/healthz") { _, _ in
            JSONResponse.raw(.ok, "{\"status\":\"ok\"}")
        }
        return router
    }
}
