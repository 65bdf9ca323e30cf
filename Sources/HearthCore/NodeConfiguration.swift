import Foundation

/// Settings of one node. Plain values with defaults; loading from flags and environment
/// happens in the executable.
public struct NodeConfiguration: Sendable {
    /// The data directory (`HEARTH_DATA`, default `./hearth-data`).
    public var dataDirectory: URL
    /// The address to listen on.
    public var host: String
    public var port: Int
    /// How often expired Base items are purged from disk (they are hidden at once regardless).
    public var expiryPurgeInterval: Duration
    public var baseLimits: BaseLimits
    public var driveLimits: DriveLimits
    /// The file holding the node master key that wraps every collection's Drive key; `nil`
    /// means `secrets/master.key` in the data directory.
    public var masterKeyFile: URL?
    /// How installed apps run.
    public var apps: AppSettings
    /// Owners' sign-in and sessions.
    public var auth = AuthSettings()
    /// Where the certificate of HTTPS comes from; `nil` serves plain HTTP.
    public var tls: TLSSource?

    public init(
        dataDirectory: URL = URL(fileURLWithPath: "hearth-data"),
        host: String = "127.0.0.1",
        port: Int = 4200,
        expiryPurgeInterval: Duration = .seconds(60),
        baseLimits: BaseLimits = BaseLimits(),
        driveLimits: DriveLimits = DriveLimits(),
        masterKeyFile: URL? = nil,
        apps: AppSettings = AppSettings(),
        tls: TLSSource? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.expiryPurgeInterval = expiryPurgeInterval
        self.baseLimits = baseLimits
        self.driveLimits = driveLimits
        self.masterKeyFile = masterKeyFile
        self.apps = apps
        self.tls = tls
    }
}

/// How a node runs installed apps.
public struct AppSettings: Sendable {
    /// Instances answer at `<slug>.<domain>` on the node's port.
    public var domain = "localhost"
    /// A micro with no request for this long is stopped (scale to zero).
    public var idleTimeout: Duration = .seconds(300)
    /// How long a starting micro may take to listen on `$PORT`.
    public var startTimeout: Duration = .seconds(30)
    /// How long a micro may take to answer one request (Deta's limit, spec §5.10).
    public var requestTimeout: Duration = .seconds(20)
    /// The largest request body a micro is sent (Deta's limit was 5.5 MB); larger ones get 413.
    public var maxRequestBytes = 64 * 1024 * 1024
    /// What each instance may use unless its owner set otherwise.
    public var limits = InstanceLimits()
    /// How strictly micros are sandboxed.
    public var sandbox = SandboxMode.auto
    /// How long a stopping micro gets between SIGTERM and SIGKILL.
    public var stopGrace: Duration = .seconds(5)
    /// `host:port` endpoints on this machine or its network that sandboxed micros may reach
    /// through the outbound proxy (everything local is refused otherwise).
    public var outboundAllow: [String] = []
    /// How often each instance's meters are sampled into the registry.
    public var meterInterval: Duration = .seconds(60)

    public init() {}
}

/// The limits of Deta Drive's API (spec §2.5) and of a collection's Drive storage.
public struct DriveLimits: Sendable {
    /// Bytes of a single-request upload (`POST /files`).
    public var maxFileRequestBytes: Int64 = 10 * 1024 * 1024
    /// Bytes of one part of a chunked upload.
    public var maxPartBytes: Int64 = 10 * 1024 * 1024
    /// Parts of one chunked upload (at 10 MiB each, about 100 GB).
    public var maxParts = 10_000
    /// UTF-8 bytes of a file name.
    public var maxNameBytes = 1024
    /// Names per `DELETE /files`, and per list page.
    public var maxNamesPerRequest = 1000
    /// Seconds after its last part until an unfinished chunked upload is deleted.
    public var uploadExpiry: Double = 24 * 3600
    /// Bytes a collection's Drives may hold in total; `nil` for no limit but the disk's.
    public var quotaBytes: Int64?

    public init() {}
}

/// The limits of Deta Base's API (spec §1.8), in one place.
public struct BaseLimits: Sendable {
    /// Items per `PUT /items`.
    public var maxItemsPerPut = 25
    /// Bytes of one request body.
    public var maxRequestBytes = 16 * 1024 * 1024
    /// Bytes of one stored item.
    public var maxItemBytes = 400 * 1024
    /// UTF-8 bytes of a key.
    public var maxKeyBytes = 1024
    /// Items of a query page when the client gives no limit.
    public var defaultQueryLimit = 1000
    /// Bytes of items in one query page; a longer page stops early with `paging.last` set, as
    /// Deta's scan window did, so one request cannot hold gigabytes in memory.
    public var maxQueryPageBytes = 8 * 1024 * 1024
    /// Nesting depth of items and request bodies.
    public var maxDepth = 64

    public init() {}
}

/// How strictly a node sandboxes micros.
public enum SandboxMode: String, Sendable, CaseIterable {
    /// Sandboxed where the host allows; what is missing is reported and instances are marked.
    case auto
    /// Never sandboxed (development, benchmarks): every instance is marked unisolated.
    case off
    /// Refuse to start unless every part of the sandbox works.
    case required
}
