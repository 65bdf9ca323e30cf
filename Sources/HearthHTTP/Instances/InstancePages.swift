import Foundation
import Hummingbird

/// The node's own HTML pages on instance hosts: no app here, installing, a micro that
/// cannot start. Plain, readable, and honest about what happened.
enum InstancePages {
    static func page(_ status: HTTPResponse.Status, title: String, message: String, details: [String] = []) -> Response {
        let log =
            details.isEmpty
            ? "" : "<h2>Last lines of its log</h2><pre>\(details.map(escape).joined(separator: "\n"))</pre>"
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f5f3;color:#222}
            main{max-width:46rem;margin:8vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}
            h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1rem;margin:1.5rem 0 .5rem;color:#555}
            pre{background:#1e1e1e;color:#ddd;padding:1rem;border-radius:8px;overflow:auto;font-size:13px}
            footer{margin-top:1.5rem;color:#888;font-size:.85rem}
            </style></head>
            <body><main><h1>\(escape(title))</h1><p>\(escape(message))</p>\(log)
            <footer>\(status.code) · Hearth</footer></main></body></html>
            """
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
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

    static func loopbackOnly() -> Response {
        page(
            .forbidden, title: "Not reachable from here",
            message: "Apps on this node answer on this machine only until owner login is set up.")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
