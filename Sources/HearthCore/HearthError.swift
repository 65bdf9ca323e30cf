/// A stable, machine-matchable error code such as `base.not_found`.
///
/// Codes are opaque: callers compare them, the HTTP layer maps them to statuses in one table.
public struct ErrorCode: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// The shape every Hearth module error shares: a stable code, a message that is safe to show
/// to the caller, and an internal cause that is logged but never sent.
public protocol HearthError: Error, CustomStringConvertible {
    var code: ErrorCode { get }
    /// Text safe to show to a client. Never contains secrets, item bodies or file names.
    var message: String { get }
    /// The underlying error, for logs only.
    var cause: (any Error)? { get }
}

extension HearthError {
    public var description: String {
        if let cause { return "\(code): \(message) (cause: \(cause))" }
        return "\(code): \(message)"
    }
}

/// The error of one module: each module names its own (`BaseError`, `RegistryError`, …) as
/// `ModuleError<ItsDomain>` and declares its codes in an extension on that domain.
public struct ModuleError<Domain>: HearthError {
    public var code: ErrorCode
    public var message: String
    public var cause: (any Error)?

    public init(_ code: ErrorCode, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }
}

/// Errors of HearthCore itself (JSON decoding, the space identity key).
public typealias CoreError = ModuleError<CoreDomain>
public enum CoreDomain {}

extension ModuleError where Domain == CoreDomain {
    public static var badJSON: ErrorCode { "core.bad_json" }
    /// A file of the data directory cannot be read or written.
    public static var storage: ErrorCode { "core.storage" }
}
