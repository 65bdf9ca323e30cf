import Foundation
import HearthBase
import HearthCore
import HearthHTTP
import HearthRegistry
import Hummingbird
import Logging
import ServiceLifecycle

/// The composition root: opens the data directory and runs the HTTP server and background
/// services in one `ServiceGroup`, which stops them in reverse order on SIGINT or SIGTERM.
public struct HearthNode: Sendable {
    public let configuration: NodeConfiguration
    public let services: NodeServices
    let logger: Logger

    public init(configuration: NodeConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let layout = DataLayout(root: configuration.dataDirectory)
        services = NodeServices(
            registry: try Registry(layout: layout),
            collections: OpenCollections(
                layout: layout, baseLimits: configuration.baseLimits, driveLimits: configuration.driveLimits,
                masterKeyFile: configuration.masterKeyFile))
    }

    /// Runs until a termination signal; `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        Self.raiseOpenFileLimit(logger: logger)
        let router = NodeRouter.build(services)
        let application = Application(
            router: router,
            server: NodeRouter.server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Hearth"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        let purge = MaintenanceService(collections: services.collections, interval: configuration.expiryPurgeInterval, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: purge), .init(service: application)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// A download keeps one descriptor per blob of its file (a part of a chunked upload), so the
    /// node asks for as many open files as the system allows it.
    static func raiseOpenFileLimit(logger: Logger) {
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        if setrlimit(resource, &limit) != 0 {
            logger.warning("Cannot raise the open file limit", metadata: ["errno": "\(errno)"])
        }
    }
}
