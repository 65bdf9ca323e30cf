import HearthCore

/// Errors of the node registry.
public struct RegistryError: HearthError {
    public var code: ErrorCode
    public var message: String
    public var cause: (any Error)?

    public init(_ code: ErrorCode, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public static let notFound: ErrorCode = "registry.not_found"
    public static let conflict: ErrorCode = "registry.conflict"
    public static let badName: ErrorCode = "registry.bad_name"
    public static let storage: ErrorCode = "registry.storage"
}
