import HTTPTypes
import HearthBase
import HearthCore
import HearthDrive
import HearthExport
import HearthRegistry

/// The one table that maps error codes to HTTP statuses. Unknown codes are internal errors.
enum ErrorStatus {
    static let table: [ErrorCode: HTTPResponse.Status] = [
        CoreError.badJSON: .badRequest,
        CoreError.badLimit: .badRequest,
        BaseError.badRequest: .badRequest,
        BaseError.badQuery: .badRequest,
        BaseError.notFound: .notFound,
        BaseError.conflict: .conflict,
        BaseError.noSpace: insufficientStorage,
        BaseError.storage: .internalServerError,
        DriveError.badRequest: .badRequest,
        DriveError.fileNotFound: .notFound,
        DriveError.uploadNotFound: .notFound,
        DriveError.tooLarge: .contentTooLarge,
        DriveError.noSpace: insufficientStorage,
        DriveError.conflict: .conflict,
        DriveError.integrity: .internalServerError,
        DriveError.blobMissing: .internalServerError,
        DriveError.storage: .internalServerError,
        RegistryError.notFound: .notFound,
        RegistryError.conflict: .conflict,
        RegistryError.badName: .badRequest,
        RegistryError.storage: .internalServerError,
        ExportError.badArchive: .badRequest,
        ExportError.conflict: .conflict,
        ExportError.noSpace: insufficientStorage,
        ExportError.storage: .internalServerError,
        SpacefileError.notFound: .badRequest,
        SpacefileError.unreadable: .badRequest,
        SpacefileError.invalid: .badRequest,
    ]

    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")

    static func status(for code: ErrorCode) -> HTTPResponse.Status {
        table[code] ?? .internalServerError
    }

    /// Internal errors whose message is still worth showing: it names what failed, not why.
    static func showsMessage(_ code: ErrorCode) -> Bool {
        code == DriveError.integrity || code == DriveError.blobMissing
    }
}
