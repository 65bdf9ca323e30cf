import HTTPTypes
import HearthCore
import HearthRegistry
import Hummingbird
import Logging

/// What the Deta-compatible controllers share: finding the collection a data key opens, and
/// turning errors into Deta's error responses.
struct APIAccess: Sendable {
    let registry: Registry
    let collections: OpenCollections

    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    /// The collection the request's data key opens, or `nil` when the key is missing, unknown,
    /// revoked or for another project id.
    func collection(for request: Request, projectID: String) async throws -> CollectionInfo? {
        guard let header = request.headers[Self.apiKeyHeader], let key = DataKey(parsing: header), key.projectID == projectID
        else { return nil }
        return try await registry.authenticate(key)
    }

    /// `given` when the caller already authenticated the request (the browser proxy on an
    /// instance host), else the collection its data key opens.
    func collection(for request: Request, projectID: String, given: CollectionInfo?) async throws -> CollectionInfo? {
        if let given { return given }
        return try await collection(for: request, projectID: projectID)
    }

    static let unauthorized = JSONResponse.errors(.unauthorized, "Unauthorized")

    /// Deta's response for an error: its status and message, or a generic 500 with the cause
    /// logged. Integrity failures keep their message, which says what happened and no more.
    static func response(for error: any Error, logger: Logger) -> Response {
        guard let error = error as? any HearthError else {
            logger.error("Request failed", metadata: ["error": "\(error)"])
            return JSONResponse.errors(.internalServerError, "Internal error")
        }
        let status = ErrorStatus.status(for: error.code)
        guard status == .internalServerError else { return JSONResponse.errors(status, error.message) }
        logger.error("Request failed", metadata: ["code": "\(error.code)", "cause": "\(error.cause.map { "\($0)" } ?? "-")"])
        return JSONResponse.errors(status, ErrorStatus.showsMessage(error.code) ? error.message : "Internal error")
    }
}
