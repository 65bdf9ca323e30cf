import ArgumentParser
import Foundation
import HearthCore
import HearthHTTP
import HearthRuntime
import HearthServer
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a node: the Base and Drive APIs and the node's routes, until Ctrl-C or SIGTERM.")

    @OptionGroup var options: DataOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 4200

    @Option(help: "Seconds between cleanups of expired Base items (hidden at once anyway) and abandoned uploads.")
    var purgeInterval = 60

    @Option(
        help: ArgumentHelp(
            "Bytes each collection's Drives may hold, e.g. 500MB or 20GiB (default: no limit but the disk's).", valueName: "size"))
    var driveQuota: ByteCount?

    @Option(help: "Seconds after its last part until an unfinished chunked upload is deleted.")
    var uploadExpiry = 86_400

    @Option(
        help: ArgumentHelp(
            "The node master key file, which unlocks all Drive content (default: $HEARTH_MASTER_KEY or <data>/secrets/master.key).",
            valueName: "file"))
    var masterKey: String?

    @Option(help: ArgumentHelp("Seconds without a request after which a micro is stopped (scale to zero).", valueName: "seconds"))
    var idleTimeout: Double = 300

    @Option(help: ArgumentHelp("Seconds a starting micro may take to listen on $PORT before its request fails.", valueName: "seconds"))
    var startTimeout: Double = 30

    @Option(help: ArgumentHelp("Seconds a micro may take to answer one request (Deta's limit was 20).", valueName: "seconds"))
    var requestTimeout: Double = 20

    @Option(
        help: ArgumentHelp(
            "Memory each instance's micros may use together, e.g. 256M (default \(ByteSize.describe(InstanceLimits().memoryBytes))).",
            valueName: "size"))
    var memoryLimit: ByteCount?

    @Option(help: ArgumentHelp("Processes and threads each instance may run (default \(InstanceLimits().processes)).", valueName: "n"))
    var processLimit: Int?

    @Option(help: ArgumentHelp("CPU each instance may use, in cores, e.g. 0.5 (default \(InstanceLimits().cpuCores)).", valueName: "cores"))
    var cpuLimit: Double?

    @Option(
        help: ArgumentHelp(
            "Disk space of each instance's tmp/ (default \(ByteSize.describe(InstanceLimits().tmpBytes))).", valueName: "size"))
    var tmpQuota: ByteCount?

    @Option(
        help: ArgumentHelp(
            "Disk space of each instance's Base and Drive together (default \(ByteSize.describe(InstanceLimits().storageBytes))).",
            valueName: "size"))
    var storageQuota: ByteCount?

    @Option(help: ArgumentHelp("Whether instances' micros may connect to the internet (default on).", valueName: "on|off"))
    var outbound: Switch?

    @Option(help: ArgumentHelp("Seconds between samples of each instance's meters (`hearth app stats`).", valueName: "seconds"))
    var meterInterval: Double = 60

    /// Each instance's limits unless its owner set others (`hearth app limits`).
    var instanceLimits: InstanceLimits {
        var overrides = InstanceLimitOverrides()
        overrides.memoryBytes = memoryLimit?.bytes
        overrides.processes = processLimit
        overrides.cpuCores = cpuLimit
        overrides.tmpBytes = tmpQuota?.bytes
        overrides.storageBytes = storageQuota?.bytes
        overrides.outbound = outbound?.isOn
        return InstanceLimits().applying(overrides)
    }

    @Option(help: "Instances answer at <name>.<domain> on this node's port.")
    var domain = "localhost"

    @Flag(
        help: ArgumentHelp(
            "Serve HTTPS only (HTTP/2 and HTTP/1.1), with certificates from a local authority made in <data>/tls/ on first use, or from --tls-cert and --tls-key."
        ))
    var tls = false

    @Option(
        help: ArgumentHelp(
            "A PEM certificate (its chain may follow) to serve instead of the local authority's; implies --tls. Needs --tls-key.",
            valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The unencrypted PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    /// Where HTTPS gets its certificate; `nil` for plain HTTP.
    var tlsSource: TLSSource? {
        if let tlsCert, let tlsKey {
            return .given(certificate: URL(fileURLWithPath: tlsCert), key: URL(fileURLWithPath: tlsKey))
        }
        return tls ? .localAuthority : nil
    }

    @Option(
        help: ArgumentHelp(
            "Sandboxing of micros: auto (as far as the host allows, saying what is missing), required (refuse to start without it) or off.",
            valueName: "mode"))
    var sandbox: SandboxMode = .auto

    @Option(help: ArgumentHelp("Seconds a stopping micro gets after SIGTERM before it is killed.", valueName: "seconds"))
    var stopGrace: Double = 5

    @Option(
        help: ArgumentHelp(
            "A host:port on this machine or its network that sandboxed apps may reach (repeatable); all else local is refused.",
            valueName: "host:port"))
    var outboundAllow: [String] = []

    @Option(help: ArgumentHelp("Days a sign-in lasts before the owner must sign in again.", valueName: "days"))
    var sessionDays: Double = 30

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        for entry in outboundAllow where (try? OutboundPolicy(allowList: [entry])) == nil {
            throw ValidationError("--outbound-allow '\(entry)' is not host:port (e.g. 192.168.1.10:8123, [::1]:8080).")
        }
        guard purgeInterval > 0 else { throw ValidationError("--purge-interval must be positive.") }
        guard uploadExpiry > 0 else { throw ValidationError("--upload-expiry must be positive.") }
        guard idleTimeout > 0, idleTimeout.isFinite else { throw ValidationError("--idle-timeout must be positive.") }
        guard startTimeout > 0, startTimeout.isFinite else { throw ValidationError("--start-timeout must be positive.") }
        guard requestTimeout > 0, requestTimeout.isFinite else { throw ValidationError("--request-timeout must be positive.") }
        guard stopGrace >= 0, stopGrace.isFinite else { throw ValidationError("--stop-grace must be zero or more.") }
        guard sessionDays > 0, sessionDays <= 3650 else { throw ValidationError("--session-days must be between 0 and 3650.") }
        guard meterInterval > 0, meterInterval.isFinite else { throw ValidationError("--meter-interval must be positive.") }
        do {
            try instanceLimits.validate()
        } catch {
            throw ValidationError(error.message)
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !domain.isEmpty, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }) else {
            throw ValidationError("--domain must be a host name such as localhost or apps.example.com.")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown log level '\(logLevel)'.") }
        try validateTLS()
    }

    /// Both or neither of --tls-cert and --tls-key, and a pair the node can serve.
    private func validateTLS() throws {
        switch (tlsCert, tlsKey) {
        case (nil, nil): return
        case (_?, nil): throw ValidationError("--tls-cert needs --tls-key (the certificate's private key).")
        case (nil, _?): throw ValidationError("--tls-key needs --tls-cert (the certificate it belongs to).")
        case (let certificate?, let key?):
            do {
                _ = try GivenCertificate.load(certificate: URL(fileURLWithPath: certificate), key: URL(fileURLWithPath: key))
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var driveLimits = DriveLimits()
        driveLimits.quotaBytes = driveQuota?.bytes
        driveLimits.uploadExpiry = Double(uploadExpiry)
        var apps = AppSettings()
        apps.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        apps.startTimeout = .milliseconds(Int64(startTimeout * 1000))
        apps.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
        apps.domain = domain.lowercased()
        apps.sandbox = sandbox
        apps.stopGrace = .milliseconds(Int64(stopGrace * 1000))
        apps.outboundAllow = outboundAllow
        apps.limits = instanceLimits
        apps.meterInterval = .milliseconds(Int64(meterInterval * 1000))
        var configuration = NodeConfiguration(
            dataDirectory: options.directory, host: host, port: port,
            expiryPurgeInterval: .seconds(purgeInterval), driveLimits: driveLimits, masterKeyFile: options.masterKeyFile(masterKey),
            apps: apps, tls: tlsSource)
        configuration.auth.sessionLifetime = sessionDays * 86_400
        let node = try await failing { try HearthNode(configuration: configuration, logger: Logger(label: "hearth")) }
        let data = options.directory.standardizedFileURL.path, tls = node.tls
        try await node.run { [apps] port in
            let address =
                node.services.apps?.catalog.address ?? NodeAddress(domain: apps.domain, port: port, scheme: tls == nil ? "http" : "https")
            let needsSetup = (try? await node.services.registry.hasOwner()) == false
            let banner = Self.banner(
                address: address, data: data, setupCode: needsSetup ? node.services.owners.setupCode : nil, trust: tls.map(Self.trustHelp))
            FileHandle.standardOutput.write(Data((banner + "\n").utf8))
        }
    }

    /// How to trust the node's certificates.
    static func trustHelp(_ tls: NodeTLS) -> String {
        let ca = tls.authorityCertificate.path
        let origin = tls.authority.isNew ? "made now" : "kept in the data directory"
        let served =
            tls.given == nil
            ? "HTTPS with certificates of the node's local authority (\(origin)):"
            : "HTTPS with the given certificate; clients by IP address (micros, the CLI) get the local authority's (\(origin)):"
        return """
            \(served)
              \(ca)
            Trust it once:
              system (Debian, Ubuntu): sudo cp \(ca) /usr/local/share/ca-certificates/hearth.crt && sudo update-ca-certificates
              browsers: import it as an authority in the browser's certificate settings
              Python:   REQUESTS_CA_BUNDLE=\(ca) for requests, SSL_CERT_FILE=\(ca) for urllib and deta
              curl:     --cacert \(ca)
            Micros trust it already (SSL_CERT_FILE).
            """
    }

    static func banner(address: NodeAddress, data: String, setupCode: String?, trust: String?) -> String {
        let setup =
            setupCode.map {
                """

                Set up your space (the owner's sign-in) by opening
                  \(address.dashboardOrigin)/setup?code=\($0)
                or on this machine: hearth owner create --data \(data)

                """
            } ?? ""
        return """
            Hearth is running at \(address.dashboardOrigin)
              apps: \(address.scheme)://<app>.\(address.authority(address.domain))
              data: \(data)
            \(trust.map { "\n" + $0 + "\n" } ?? "")\(setup)
            Next:
              hearth app install ./myapp --data \(data)
                  installs a Deta Space app (a directory with a Spacefile) at its own host
              hearth collection create notes --data \(data)
                  creates a collection and prints its project id and data key for the Base and Drive APIs

            Stop with Ctrl-C.
            """
    }
}

extension SandboxMode: ExpressibleByArgument {}
