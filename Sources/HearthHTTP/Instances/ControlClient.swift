import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The local CLI's side of the control API (`ControlRoutes`): one request on a connection of
/// its own, over the HTTP/1.1 code the proxy uses.
public enum ControlClient {
    /// Sends `method` `path` with `token` to the node at `url` (`http://host:port` or
    /// `https://host:port`, as written to `run/node.json`), with a JSON `body` if given; returns
    /// the status code and the body (up to 1 MiB). Over HTTPS the node's certificate must be
    /// issued by `trustAnchor` (a PEM file) for the URL's host.
    public static func call(
        _ method: HTTPMethod, _ path: String, url: String, token: String, trustAnchor: String? = nil, body: Data? = nil,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> (status: Int, body: String) {
        let secure = url.hasPrefix("https://")
        let authority = String(url.drop { $0 != "/" }.dropFirst(2))
        guard url.hasPrefix("http://") || secure, let colon = authority.lastIndex(of: ":"),
            let port = Int(authority[authority.index(after: colon)...])
        else {
            throw UpstreamError(UpstreamError.connectFailed, "Not an http(s)://host:port URL: \(url)")
        }
        var host = authority[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        var headers: HTTPHeaders = ["Host": authority, "Authorization": "Bearer \(token)"]
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let content = body.map { ByteBuffer(bytes: $0) } ?? (method == .GET ? nil : ByteBuffer())
        let request = UpstreamRequest(method: method, target: path, headers: headers, body: content)
        let tls = try secure ? clientContext(trusting: trustAnchor) : nil
        let connection = try await UpstreamConnection.connect(host: String(host), port: port, tls: tls)
        let response = try await connection.execute(request, timeout: timeout)
        let body = try await response.collect(upTo: 1 << 20)
        return (Int(response.head.status.code), String(buffer: body))
    }

    /// A client context trusting only `anchor`, else the system's authorities.
    static func clientContext(trusting anchor: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let anchor { configuration.trustRoots = .file(anchor) }
        return try NIOSSLContext(configuration: configuration)
    }
}
