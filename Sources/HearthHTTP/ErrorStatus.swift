import HTTPTypes
import HearthBase
import HearthCore
import HearthRegistry

/// The one table that maps error codes to HTTP statuses. Unknown codes are internal errors.
enum ErrorStatus {
    static let table: [ErrorCode: HTTPResponse.Status] = [
        CoreError.badJSON: .badRequest,
        BaseError.badRequest: .badRequest,
        BaseError.badQuery: .badRequest,
        BaseError.notFound: .notFound,
        BaseError.conflict: .conflict,
        BaseError.storage: .internalServerError,
        RegistryError.notFound: .notFound,
        RegistryError.conflict: .conflict,
        RegistryError.badName: .badRequest,
        RegistryError.storage: .internalServerError,
    ]

    static func status(for code: ErrorCode) -> HTTPResponse.Status {
        table[code] ?? .internalServerError
    }
}
