import HearthCore

/// Errors of the file store. Messages are safe to send; they never echo file names or contents.
public typealias DriveError = ModuleError<DriveDomain>
public enum DriveDomain {}

extension ModuleError where Domain == DriveDomain {
    /// The request breaks a rule of the API (400).
    public static var badRequest: ErrorCode { "drive.bad_request" }
    /// No such file (404).
    public static var fileNotFound: ErrorCode { "drive.file_not_found" }
    /// No such chunked upload in this drive (404).
    public static var uploadNotFound: ErrorCode { "drive.upload_not_found" }
    /// A body is over its size limit (413).
    public static var tooLarge: ErrorCode { "drive.too_large" }
    /// The collection's quota or the disk is full (507).
    public static var noSpace: ErrorCode { "drive.no_space" }
    /// The upload changed while it was being completed (409).
    public static var conflict: ErrorCode { "drive.conflict" }
    /// Stored bytes failed authentication: tampering or disk corruption (500).
    public static var integrity: ErrorCode { "drive.integrity" }
    /// A blob file the database names is missing (500).
    public static var blobMissing: ErrorCode { "drive.blob_missing" }
    /// The storage or the node's keys failed; the cause is logged (500).
    public static var storage: ErrorCode { "drive.storage" }

    static func bad(_ message: String) -> DriveError { DriveError(badRequest, message) }

    static var corrupted: DriveError { DriveError(integrity, "The file failed its integrity check") }

    static func storage(_ message: String, _ cause: (any Error)? = nil) -> DriveError {
        DriveError(storage, message, cause: cause)
    }
}
