import HearthCore
import Hummingbird

/// Builders for the API's JSON responses, always with `Content-Type: application/json`.
enum JSONResponse {
    /// A response whose body is already-encoded JSON text.
    static func raw(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .accessControlAllowOrigin: "*"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    static func value(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        raw(status, JSONWriter.string(value))
    }

    /// Deta's error body: `{"errors": [message]}`.
    static func errors(_ status: HTTPResponse.Status, _ message: String) -> Response {
        value(status, ["errors": [.string(message)]])
    }

    /// Joins stored item documents into a JSON array without re-encoding them.
    static func array(_ documents: [String]) -> String {
        "[" + documents.joined(separator: ",") + "]"
    }

    static func quoted(_ string: String) -> String {
        var bytes: [UInt8] = []
        JSONWriter.writeString(string, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The answer to a CORS preflight of either API.
    static let preflight = Response(
        status: .noContent,
        headers: [
            .accessControlAllowOrigin: "*",
            .accessControlAllowMethods: "GET, PUT, POST, PATCH, DELETE",
            .accessControlAllowHeaders: "X-API-Key, Content-Type, Authorization, Range",
            .accessControlMaxAge: "86400",
        ])
}
