import Foundation
import Hummingbird

/// The node's own pages on instance hosts: no app here, installing, a micro that cannot
/// start. Honest about what happened.
enum InstancePages {
    static func page(_ status: HTTPResponse.Status, title: String, message: String, details: [String] = []) -> Response {
        let log =
            details.isEmpty
            ? "" : "<h2>Last lines of its log</h2><pre>\(details.map(escape).joined(separator: "\n"))</pre>"
        return HTMLPage.response(
            status, title: title,
            body: "<main><h1>\(escape(title))</h1><p>\(escape(message))</p>\(log)<footer>\(status.code) · Hearth</footer></main>")
    }

    static func noInstance(host: String) -> Response {
        page(.notFound, title: "No app here", message: "Nothing is installed at \(host).")
    }

    static func installing(_ name: String) -> Response {
        var response = page(.serviceUnavailable, title: "\(name) is being installed", message: "Try again in a moment.")
        response.headers[.retryAfter] = "5"
        return response
    }

    static func microFailed(instance: String, message: String, log: [String]) -> Response {
        page(.badGateway, title: "\(instance) could not answer", message: message, details: log)
    }

    static func escape(_ text: String) -> String { HTMLPage.escape(text) }
}
