import Foundation

/// What a launcher needs to start one micro process.
public struct LaunchRequest: Sendable {
    /// `arguments[0]` is the executable: an absolute path, or a name looked up in `PATH`.
    public var arguments: [String]
    /// The complete environment of the process (nothing is inherited).
    public var environment: [String: String]
    public var workingDirectory: URL
    /// The instance directory, so a sandboxing launcher knows what to expose.
    public var instanceDirectory: URL
    /// The descriptor that receives the process's stdout and stderr.
    public var output: Int32

    public init(arguments: [String], environment: [String: String], workingDirectory: URL, instanceDirectory: URL, output: Int32) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.instanceDirectory = instanceDirectory
        self.output = output
    }
}

/// Starts micro processes. The plain launcher runs them as children of the node; a
/// sandboxing launcher wraps the same request in namespaces and limits.
public protocol Launcher: Sendable {
    /// The network the micros of `spec`'s instance listen in, prepared on first use.
    func network(for spec: MicroSpec) throws(RuntimeError) -> any MicroNetwork
    /// Starts the process in its own process group and returns its pid (also the group id).
    func launch(_ request: LaunchRequest) throws(RuntimeError) -> Int32
    /// Whether processes it starts are isolated from each other and the node; shown to the owner.
    var isolates: Bool { get }
    /// What an instance's processes use now; `nil` where the launcher cannot tell.
    func usage(instanceID: String) -> ResourceUsage?
}

extension Launcher {
    /// What an instance's processes use now; `nil` where the launcher cannot tell (unisolated).
    public func usage(instanceID: String) -> ResourceUsage? { nil }
}
