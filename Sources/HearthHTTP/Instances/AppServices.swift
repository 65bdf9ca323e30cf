import AsyncHTTPClient
import HearthRegistry
import HearthRuntime
import Logging
import NIOCore
import Synchronization

/// What serving apps needs: the instance catalog, the supervisor running micros, the HTTP
/// client that reaches them, the scheduler of their actions, and the token the local CLI uses
/// to control the node.
public struct AppServices: Sendable {
    public let catalog: InstanceCatalog
    public let supervisor: Supervisor
    /// Created on first use, so a node that never serves needs no shutdown.
    let upstream: UpstreamClient
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
        let upstream = UpstreamClient()
        self.upstream = upstream
        scheduler = ActionScheduler(
            catalog: catalog, supervisor: supervisor, registry: registry,
            delivery: ActionPoster(upstream: upstream, timeout: requestTimeout), logger: logger)
    }

    /// The client that reaches micros: pooled keep-alive HTTP/1.1, no redirects followed, no
    /// decompression (responses pass through as the micro sent them).
    public var client: HTTPClient { upstream.client }

    /// Closes upstream connections; call once the server has stopped.
    public func shutdown() async {
        await upstream.shutdown()
    }
}

/// Owns the upstream `HTTPClient`, created lazily.
final class UpstreamClient: Sendable {
    private let created = Mutex<HTTPClient?>(nil)

    var client: HTTPClient {
        created.withLock { created in
            if let created { return created }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)), decompression: .disabled)
            configuration.httpVersion = .http1Only
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
            // Micros are on loopback and known to listen: a refused connection means the process is
            // gone (a request racing its crash), so fail at once rather than retry until the connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            // No request spans: the node installs no tracer, and building them for the no-op one
            // cost the proxy about 5% of its throughput.
            configuration.tracing.tracer = nil
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            created = client
            return client
        }
    }

    func shutdown() async {
        let client = created.withLock { created in
            defer { created = nil }
            return created
        }
        try? await client?.shutdown()
    }
}
