import HearthRegistry
import Hummingbird

/// The services a node's HTTP routes need.
public struct NodeServices: Sendable {
    public let registry: Registry
    public let collections: OpenCollections

    public init(registry: Registry, collections: OpenCollections) {
        self.registry = registry
        self.collections = collections
    }
}

/// Builds the node's router: the Deta-compatible APIs under `/v1`, and the node's own routes.
public enum NodeRouter {
    public static func build<Context: RequestContext>(
        _ services: NodeServices, context: Context.Type = BasicRequestContext.self
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        let access = APIAccess(registry: services.registry, collections: services.collections)
        router.add(
            middleware: DetaAPIMiddleware(
                base: BaseController(access: access, limits: services.collections.baseLimits),
                drive: DriveController(access: access, limits: services.collections.driveLimits)))
        router.get("/healthz") { _, _ in
            JSONResponse.raw(.ok, "{\"status\":\"ok\"}")
        }
        return router
    }
}
