import Foundation

/// Everything needed to start one micro process, derived from its instance and Spacefile.
public struct MicroSpec: Sendable, Equatable {
    public var instanceID: String
    public var micro: String
    public var arguments: [String]
    /// The environment without the port, which each start chooses.
    public var environment: [String: String]
    /// The variables set to the chosen port (`PORT`, and `UVICORN_PORT` for Python).
    public var portVariables: [String]
    public var workingDirectory: URL
    public var instanceDirectory: URL
    /// Where the deployment's `app/` and `build/` are (`InstanceLayout.code`).
    public var codeDirectory: URL
    public var log: URL
    /// Host directories outside the instance its command needs (its interpreter), which a
    /// sandbox mounts read-only.
    public var hostPaths: [String]

    public init(
        instanceID: String, micro: String, arguments: [String], environment: [String: String], portVariables: [String] = ["PORT"],
        workingDirectory: URL, instanceDirectory: URL, log: URL, hostPaths: [String] = [], codeDirectory: URL? = nil
    ) {
        self.codeDirectory = codeDirectory ?? instanceDirectory
        self.instanceID = instanceID
        self.micro = micro
        self.arguments = arguments
        self.environment = environment
        self.portVariables = portVariables
        self.workingDirectory = workingDirectory
        self.instanceDirectory = instanceDirectory
        self.log = log
        self.hostPaths = hostPaths
    }

    /// `<instance>/<micro>`, unique on the node.
    public var key: String { "\(instanceID)/\(micro)" }
}

/// How the supervisor treats micros.
public struct SupervisorSettings: Sendable {
    /// A micro with no request for this long is stopped (scale to zero).
    public var idleTimeout: Duration = .seconds(300)
    /// How long a starting micro may take to listen on `$PORT`.
    public var startTimeout: Duration = .seconds(30)
    /// How long a stopping micro gets between SIGTERM and SIGKILL.
    public var stopGrace: Duration = .seconds(5)
    /// The longest wait between restarts after repeated crashes.
    public var maxBackoff: Duration = .seconds(30)

    public init() {}
}
