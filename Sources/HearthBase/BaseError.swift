import HearthCore

/// Errors of the document store. Messages are safe to send; they never echo item bodies.
public typealias BaseError = ModuleError<BaseDomain>
public enum BaseDomain {}

extension ModuleError where Domain == BaseDomain {
    /// The request is malformed or breaks a rule of the API (400).
    public static var badRequest: ErrorCode { "base.bad_request" }
    /// A query is not valid in the query language (400, message exactly "Bad query").
    public static var badQuery: ErrorCode { "base.bad_query" }
    /// The item to update does not exist (404).
    public static var notFound: ErrorCode { "base.not_found" }
    /// An insert met an existing key (409).
    public static var conflict: ErrorCode { "base.conflict" }
    /// The write would take the collection over its storage quota (507).
    public static var noSpace: ErrorCode { "base.no_space" }
    /// The storage failed; the message is generic, the cause is logged (500).
    public static var storage: ErrorCode { "base.storage" }

    /// The one error every invalid query gets, with the exact message clients compare.
    public static var invalidQuery: BaseError { BaseError(badQuery, "Bad query") }

    static func bad(_ message: String) -> BaseError { BaseError(badRequest, message) }
}
