import HearthCore

/// Errors of export archives. Unlike the HTTP-facing errors, messages name archive entries,
/// Bases and keys: they are shown only to the owner running the CLI on their own archive.
public typealias ExportError = ModuleError<ExportDomain>
public enum ExportDomain {}

extension ModuleError where Domain == ExportDomain {
    /// The archive is unreadable, unsafe or inconsistent; nothing was written.
    public static var badArchive: ErrorCode { "export.bad_archive" }
    /// A Base or Drive of that name already holds data (and `replace` was not asked for).
    public static var conflict: ErrorCode { "export.conflict" }
    /// The disk (or the collection's quota) has too little room.
    public static var noSpace: ErrorCode { "export.no_space" }
    /// Reading or writing storage failed; the cause says how.
    public static var storage: ErrorCode { "export.storage" }

    static func bad(_ message: String) -> ExportError { ExportError(badArchive, message) }

    static func storage(_ message: String, _ cause: (any Error)? = nil) -> ExportError {
        ExportError(storage, message, cause: cause)
    }
}
