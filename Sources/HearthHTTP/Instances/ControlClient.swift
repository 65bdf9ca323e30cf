import Foundation
import NIOCore
import NIOHTTP1

/// The local CLI's side of the control API (`ControlRoutes`): one request on a connection of
/// its own, over the HTTP/1.1 code the proxy uses.
public enum ControlClient {
    /// Sends `method` `path` with `token` to the node at `url` (`http://host:port`, as written to
    /// `run/node.json`), with a JSON `body` if given; returns the status code and the body (up to 1 MiB).
    public static func call(
        _ method: HTTPMethod, _ path: String, url: String, token: String, body: Data? = nil, timeout: TimeAmount = .seconds(30)
    ) async throws -> (status: Int, body: String) {
        let authority = url.hasPrefix("http://") ? String(url.dropFirst("http://".count)) : url
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else {
            throw UpstreamError(UpstreamError.connectFailed, "Not an http://host:port URL: \(url)")
        }
        var host = authority[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        var headers: HTTPHeaders = ["Host": authority, "Authorization": "Bearer \(token)"]
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let content = body.map { ByteBuffer(bytes: $0) } ?? (method == .GET ? nil : ByteBuffer())
        let request = UpstreamRequest(method: method, target: path, headers: headers, body: content)
        let response = try await UpstreamConnection.connect(host: String(host), port: port).execute(request, timeout: timeout)
        let body = try await response.collect(upTo: 1 << 20)
        return (Int(response.head.status.code), String(buffer: body))
    }
}
