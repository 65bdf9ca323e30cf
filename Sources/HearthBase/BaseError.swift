import HearthCore

/// Errors of the document store. Messages are safe to send; they never echo item bodies.
public struct BaseError: HearthError {
    public var code: ErrorCode
    public var message: String
    public var cause: (any Error)?

    public init(_ code: ErrorCode, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The request is malformed or breaks a rule of the API (400).
    public static let badRequest: ErrorCode = "base.bad_request"
    /// A query is not valid in the query language (400, message exactly "Bad query").
    public static let badQuery: ErrorCode = "base.bad_query"
    /// The item to update does not exist (404).
    public static let notFound: ErrorCode = "base.not_found"
    /// An insert met an existing key (409).
    public static let conflict: ErrorCode = "base.conflict"
    /// The storage failed; the message is generic, the cause is logged (500).
    public static let storage: ErrorCode = "base.storage"

    static func bad(_ message: String) -> BaseError { BaseError(badRequest, message) }
    /// The one error every invalid query gets, with the exact message clients compare.
    public static let invalidQuery = BaseError(badQuery, "Bad query")
}
