import Foundation
import HearthBase
import HearthCore
import HearthHTTP
import HearthRegistry
import HearthRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// The composition root: opens the data directory and runs the HTTP server and background
/// services in one `ServiceGroup`, which stops them in reverse order on SIGINT or SIGTERM.
public struct HearthNode: Sendable {
    public let configuration: NodeConfiguration
    public let services: NodeServices
    /// The node's HTTPS, when it serves TLS.
    public let tls: NodeTLS?
    let logger: Logger

    public init(configuration: NodeConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let layout = DataLayout(root: configuration.dataDirectory)
        tls = try configuration.tls.map { source throws(TLSError) in
            try NodeTLS.prepare(source, layout: layout, domain: configuration.apps.domain, host: configuration.host)
        }
        let registry = try Registry(layout: layout)
        let settings = configuration.apps
        try registry.storeDefaultLimits(settings.limits)
        var supervision = SupervisorSettings()
        supervision.idleTimeout = settings.idleTimeout
        supervision.startTimeout = settings.startTimeout
        supervision.stopGrace = settings.stopGrace
        let sandbox = try Self.sandbox(configuration, registry: registry, logger: logger)
        let catalog = InstanceCatalog(
            registry: registry, layout: layout, builder: Builder(tools: .standard(for: layout)),
            address: Self.address(configuration, port: configuration.port, tls: tls, sandboxed: sandbox.isolates))
        let apps = AppServices(
            catalog: catalog, supervisor: Supervisor(launcher: sandbox, settings: supervision), registry: registry,
            controlToken: Secrets.secret(),
            requestTimeout: .nanoseconds(settings.requestTimeout.nanoseconds), maxRequestBytes: settings.maxRequestBytes,
            logger: logger)
        services = NodeServices(
            registry: registry,
            collections: OpenCollections(
                layout: layout, baseLimits: configuration.baseLimits, driveLimits: configuration.driveLimits,
                masterKeyFile: configuration.masterKeyFile, registry: registry),
            apps: apps, auth: configuration.auth)
    }

    /// Runs until a termination signal; `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        Self.raiseOpenFileLimit(logger: logger)
        let orphans = Supervisor.reapOrphans(dataRoot: configuration.dataDirectory)
        if orphans > 0 { logger.notice("Stopped micros left running by an earlier node", metadata: ["count": "\(orphans)"]) }
        let router = NodeRouter.build(services, context: NodeRequestContext.self)
        if let apps = services.apps, let sandbox = apps.supervisor.launcher as? SandboxLauncher {
            let room = NodeRouter.buildRoom(services, apps: apps)
            let policy = try OutboundPolicy(allowList: configuration.apps.outboundAllow)
            let logger = self.logger
            sandbox.serve(
                with: RoomListeners(
                    responder: room.buildResponder(),
                    outbound: { instance, descriptor, allowed in
                        try await OutboundProxy.serve(
                            listening: descriptor, app: instance, policy: policy, allowed: allowed, logger: logger)
                    }, tls: tls, logger: logger))
        }
        let layout = DataLayout(root: configuration.dataDirectory)
        let application = Application(
            router: router,
            server: try NodeRouter.server(tls: tls),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? configuration.port
                announce(port: port, layout: layout)
                await onListening(port)
            },
            logger: logger)
        let purge = MaintenanceService(
            collections: services.collections, registry: services.registry, interval: configuration.expiryPurgeInterval, logger: logger)
        var runners: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: purge)]
        if let apps = services.apps {
            let meters = MeterService(
                registry: services.registry, meters: apps.supervisor.meters, launcher: apps.supervisor.launcher,
                collections: services.collections, interval: configuration.apps.meterInterval, logger: logger)
            await meters.carryTotals()
            runners += [
                .init(service: IdleSweepService(supervisor: apps.supervisor, logger: logger)),
                .init(service: LimitWatchService(supervisor: apps.supervisor, logger: logger)),
                .init(service: ActionSchedulerService(scheduler: apps.scheduler)),
                .init(service: meters),
            ]
        }
        let group = ServiceGroup(
            configuration: .init(
                services: runners + [.init(service: application)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        defer { NodeRunInfo.remove(in: layout) }
        do {
            try await group.run()
        } catch {
            await services.apps?.shutdown()
            throw error
        }
        await services.apps?.shutdown()
    }

    /// The launcher the configuration and the host allow, with what is missing said once at start.
    /// Each instance's sandbox gets its effective limits (the node's defaults with the owner's
    /// overrides), read as its micros start.
    static func sandbox(_ configuration: NodeConfiguration, registry: Registry, logger: Logger) throws -> any Launcher {
        let defaults = configuration.apps.limits
        let outcome = SandboxSetup.make(
            mode: configuration.apps.sandbox, node: SandboxSetup.nodeName(dataDirectory: configuration.dataDirectory),
            limits: { instance in (try? await registry.effectiveLimits(instance: instance)) ?? defaults })
        if configuration.apps.sandbox == .required, let problem = outcome.problems.first {
            throw SandboxSetupError(problems: outcome.problems, first: problem)
        }
        for problem in outcome.problems {
            logger.warning("Sandbox incomplete: \(problem.description)")
        }
        if !outcome.launcher.isolates {
            logger.warning("Micros run UNISOLATED: each app can read the node's files and reach every other app")
        }
        return outcome.launcher
    }

    /// Where micros reach the node on `port`. Sandboxed micros reach their instance's own
    /// listener, which speaks plain HTTP (and HTTPS); unsandboxed ones the node's, which under
    /// TLS speaks HTTPS only.
    static func address(_ configuration: NodeConfiguration, port: Int, tls: NodeTLS?, sandboxed: Bool) -> NodeAddress {
        let loopback = ["0.0.0.0", "::", "localhost"].contains(configuration.host) ? "127.0.0.1" : configuration.host
        let apiScheme = tls != nil && !sandboxed ? "https" : "http"
        return NodeAddress(
            domain: configuration.apps.domain, port: port, scheme: tls == nil ? "http" : "https",
            apiURL: "\(apiScheme)://\(loopback.contains(":") ? "[\(loopback)]" : loopback):\(port)", trustBundle: tls?.trustBundle.path)
    }

    /// Tells micros and local tools where the node listens, once the port is known.
    private func announce(port: Int, layout: DataLayout) {
        guard let apps = services.apps else { return }
        let address = Self.address(configuration, port: port, tls: tls, sandboxed: apps.supervisor.launcher.isolates)
        apps.catalog.address = address
        let url = "\(address.scheme)://" + address.apiHost
        let info = NodeRunInfo(
            url: url, port: port, domain: configuration.apps.domain, token: apps.controlToken, pid: getpid(),
            trustAnchor: tls?.authorityCertificate.path)
        do {
            try info.write(in: layout)
        } catch {
            logger.warning("Cannot write the node's run file; `hearth app restart` will not reach it", metadata: ["error": "\(error)"])
        }
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

/// The node was asked to sandbox micros (`--sandbox required`) on a host that cannot.
struct SandboxSetupError: Error, CustomStringConvertible {
    let problems: [SandboxProblem]
    let first: SandboxProblem

    var description: String {
        "The sandbox is required but incomplete: " + (problems.isEmpty ? [first] : problems).map(\.description).joined(separator: "; ")
    }
}
