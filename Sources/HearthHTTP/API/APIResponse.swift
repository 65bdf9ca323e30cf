import Foundation
import HTTPTypes
import Hummingbird

/// A failure of an owner API call, answered as `{"errors": [message]}` with its status.
struct APIError: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        (self.status, self.message) = (status, message)
    }

    static let unauthorized = APIError(.unauthorized, "An owner token is required: Authorization: Bearer <token>")
}

/// JSON in and out for the owner API: snake_case keys, no CORS header (tokens are not cookies,
/// and no other site has a reason to call it).
enum APIResponse {
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func errors(_ status: HTTPResponse.Status, _ message: String) -> Response {
        (try? json(status, ["errors": [message]])) ?? Response(status: status)
    }

    /// The request body as `T`, refusing bodies over `limit` bytes.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(limit) bytes")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(buffer: body))
        } catch {
            throw APIError(.badRequest, "The request body is not the JSON this call takes")
        }
    }
}
