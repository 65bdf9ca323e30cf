import HearthRegistry
import HearthRuntime
import Logging
import NIOCore

/// What serving apps needs: the instance catalog, the supervisor running micros, the pool of
/// connections that reach them, the scheduler of their actions, and the token the local CLI uses
/// to control the node.
public struct AppServices: Sendable {
    public let catalog: InstanceCatalog
    public let supervisor: Supervisor
    /// Keep-alive connections to micros (none until the first request).
    let upstream: UpstreamPool
    /// Proves a control request comes from someone who can read the data directory.
    public let controlToken: String
    /// How long a micro may take to answer a request.
    public let requestTimeout: TimeAmount
    /// The largest request body passed on to a micro.
    public let maxRequestBytes: Int
    /// Runs scheduled actions on time, and on demand (`hearth app trigger`).
    public let scheduler: ActionScheduler

    public init(
        catalog: InstanceCatalog, supervisor: Supervisor, registry: Registry, controlToken: String,
        requestTimeout: TimeAmount = .seconds(20), maxRequestBytes: Int = 64 * 1024 * 1024, logger: Logger
    ) {
        self.catalog = catalog
        self.supervisor = supervisor
        self.controlToken = controlToken
        self.requestTimeout = requestTimeout
        self.maxRequestBytes = maxRequestBytes
        let upstream = UpstreamPool()
        self.upstream = upstream
        supervisor.onMicroEnded { upstream.drop($0) }
        scheduler = ActionScheduler(
            catalog: catalog, supervisor: supervisor, registry: registry,
            delivery: ActionPoster(pool: upstream, timeout: requestTimeout), logger: logger)
    }

    /// Closes upstream connections; call once the server has stopped.
    /// After a change on disk (an update, a rollback, new settings or limits): forgets the
    /// loaded instances and stops the instance's micros; the next request starts them anew.
    func restart(instance: String) async {
        catalog.invalidate()
        await supervisor.stop(instance: instance)
    }

    /// Before an instance is removed: stops its micros and sandbox, forgets its meters and
    /// closes its data.
    func retire(instance: String, collections: OpenCollections) async {
        await restart(instance: instance)
        await supervisor.launcher.discard(instanceID: instance)
        collections.close(instance)
        supervisor.meters.forget(instance)
    }

    public func shutdown() async {
        await upstream.shutdown()
    }
}
