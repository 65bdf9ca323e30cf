import AsyncHTTPClient
import HearthRuntime
import NIOCore

/// What serving apps needs: the instance catalog, the supervisor running micros, the HTTP
/// client that reaches them, and the token the local CLI uses to control the node.
public struct AppServices: Sendable {
    public let catalog: InstanceCatalog
    public let supervisor: Supervisor
    public let client: HTTPClient
    /// Proves a control request comes from someone who can read the data directory.
    public let controlToken: String
    /// How long a micro may take to answer a request.
    public let requestTimeout: TimeAmount

    public init(
        catalog: InstanceCatalog, supervisor: Supervisor, controlToken: String, requestTimeout: TimeAmount = .seconds(120)
    ) {
        self.catalog = catalog
        self.supervisor = supervisor
        self.controlToken = controlToken
        self.requestTimeout = requestTimeout
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)), decompression: .disabled)
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
