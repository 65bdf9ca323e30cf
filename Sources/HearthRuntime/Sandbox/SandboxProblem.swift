/// Something the host lacks for one part of the sandbox; the node runs without that part and
/// says so at start.
public struct SandboxProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Part: String, Sendable {
        /// Namespaces, bubblewrap, the unprivileged user: without them micros run unisolated.
        case isolation
        /// Control groups: without them memory, processes and CPU are not limited or metered.
        case limits
        /// The size-capped `tmp/` volume: without it `tmp/` is a plain directory.
        case tmpQuota = "tmp quota"
    }

    public let part: Part
    public let reason: String

    public init(part: Part, reason: String) {
        self.part = part
        self.reason = reason
    }

    public var description: String { "\(part.rawValue): \(reason)" }
}
