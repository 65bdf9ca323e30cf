import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a launcher needs to start one micro process.
public struct LaunchRequest: Sendable {
    /// `arguments[0]` is the executable: an absolute path, or a name looked up in `PATH`.
    public var arguments: [String]
    /// The complete environment of the process (nothing is inherited).
    public var environment: [String: String]
    public var workingDirectory: URL
    /// The instance directory, so a sandboxing launcher knows what to expose.
    public var instanceDirectory: URL
    /// Where the deployment's `app/` and `build/` are (`InstanceLayout.code`).
    public var codeDirectory: URL
    /// The descriptor that receives the process's stdout and stderr.
    public var output: Int32
    public var instanceID: String
    public var micro: String
    /// Host directories outside the instance the command needs (see `MicroSpec.hostPaths`).
    public var hostPaths: [String]

    public init(
        arguments: [String], environment: [String: String], workingDirectory: URL, instanceDirectory: URL, output: Int32,
        instanceID: String = "", micro: String = "", hostPaths: [String] = [], codeDirectory: URL? = nil
    ) {
        self.codeDirectory = codeDirectory ?? instanceDirectory
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.instanceDirectory = instanceDirectory
        self.output = output
        self.instanceID = instanceID
        self.micro = micro
        self.hostPaths = hostPaths
    }
}

/// Starts micro processes. The plain launcher runs them as children of the node; a
/// sandboxing launcher wraps the same request in namespaces and limits.
public protocol Launcher: Sendable {
    /// The network the micros of `spec`'s instance listen in, prepared on first use.
    func network(for spec: MicroSpec) async throws(RuntimeError) -> any MicroNetwork
    /// Starts the process in its own process group.
    func launch(_ request: LaunchRequest) throws(RuntimeError) -> LaunchedProcess
    /// Sends `signal` to every process of the micro `request` started as `pid`.
    func signal(_ signal: Int32, pid: Int32, of request: LaunchRequest)
    /// Gives up what an instance's sandbox holds (the instance is being removed).
    func discard(instanceID: String) async
    /// Gives up every instance's sandbox (the node is stopping).
    func close() async
    /// What the limits did since the last check, for the micros' logs.
    func checkLimits() -> [LimitEvent]
    /// Whether processes it starts are isolated from each other and the node; shown to the owner.
    var isolates: Bool { get }
    /// What an instance's processes use now; `nil` where the launcher cannot tell.
    func usage(instanceID: String) -> ResourceUsage?
}

extension Launcher {
    /// What an instance's processes use now; `nil` where the launcher cannot tell (unisolated).
    public func usage(instanceID: String) -> ResourceUsage? { nil }

    /// Signals the process group `pid` leads, so a shell's children get it too.
    public func signal(_ signal: Int32, pid: Int32, of request: LaunchRequest) {
        kill(-pid, signal)
    }

    public func discard(instanceID: String) async {}
    public func close() async {}
    public func checkLimits() -> [LimitEvent] { [] }
}

/// A started process: its pid (also its process group), and where its output comes from when
/// the launcher made that pipe itself (a process prepared before it was asked for) rather than
/// writing to the request's `output`.
public struct LaunchedProcess: Sendable {
    public var pid: Int32
    /// The read end of the process's stdout and stderr, owned by the caller from now on.
    public var output: Int32?

    public init(pid: Int32, output: Int32? = nil) {
        self.pid = pid
        self.output = output
    }
}
