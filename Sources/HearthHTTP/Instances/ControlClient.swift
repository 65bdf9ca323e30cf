import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The local CLI's side of the control API (`ControlRoutes`): one request on a connection of
/// its own, over the HTTP/1.1 code the proxy uses.
public enum ControlClient {
    /// Sends `method` `path` with `token` to the node at `url` (`http(s)://host[:port]`, as
    /// written to `run/node.json` or given to `hearth login`), with a `body` of `contentType`
    /// (JSON by default) if given; returns the status code and the body (up to 1 MiB). Over
    /// HTTPS the node's certificate must be issued by `trustAnchor` (a PEM file) if given, else
    /// by an authority the system trusts.
    public static func call(
        _ method: HTTPMethod, _ path: String, url: String, token: String, trustAnchor: String? = nil, body: Data? = nil,
        contentType: String = "application/json", timeout: TimeAmount = .seconds(30)
    ) async throws -> (status: Int, body: String) {
        let response = try await send(
            method, path, url: url, token: token, trustAnchor: trustAnchor, body: body, contentType: contentType, timeout: timeout)
        let answer = try await response.collect(upTo: 1 << 20)
        return (Int(response.head.status.code), String(buffer: answer))
    }

    /// Like `call`, but hands a 200 answer's body to `line` one line at a time as it arrives
    /// (a streamed build log); other answers come back whole. `timeout` is the longest silence.
    public static func stream(
        _ method: HTTPMethod, _ path: String, url: String, token: String, trustAnchor: String? = nil, body: Data? = nil,
        contentType: String = "application/json", timeout: TimeAmount = .seconds(120), line: (String) throws -> Void
    ) async throws -> (status: Int, body: String) {
        let response = try await send(
            method, path, url: url, token: token, trustAnchor: trustAnchor, body: body, contentType: contentType, timeout: timeout)
        guard response.head.status.code == 200, case .streaming(let first, let rest) = response.body else {
            return (Int(response.head.status.code), String(buffer: try await response.collect(upTo: 1 << 20)))
        }
        var pending = ByteBuffer()
        func consume(_ chunk: ByteBuffer?) throws {
            guard var chunk else { return }
            pending.writeBuffer(&chunk)
            while let newline = pending.readableBytesView.firstIndex(of: 10) {
                let length = newline - pending.readerIndex
                try line(pending.readString(length: length) ?? "")
                pending.moveReaderIndex(forwardBy: 1)
            }
        }
        try consume(first)
        for try await chunk in rest { try consume(chunk) }
        if pending.readableBytes > 0 { try line(String(buffer: pending)) }
        return (200, "")
    }

    private static func send(
        _ method: HTTPMethod, _ path: String, url: String, token: String, trustAnchor: String?, body: Data?, contentType: String,
        timeout: TimeAmount
    ) async throws -> UpstreamResponse {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = target.host, !host.isEmpty
        else {
            throw UpstreamError(UpstreamError.connectFailed, "Not an http(s)://host[:port] URL: \(url)")
        }
        let secure = scheme == "https"
        let port = target.port ?? (secure ? 443 : 80)
        var headers: HTTPHeaders = [
            "Host": target.port.map { "\(host):\($0)" } ?? host, "Authorization": "Bearer \(token)",
        ]
        if body != nil { headers.add(name: "Content-Type", value: contentType) }
        let content = body.map { ByteBuffer(bytes: $0) } ?? (method == .GET ? nil : ByteBuffer())
        let request = UpstreamRequest(method: method, target: path, headers: headers, body: content)
        let tls = try secure ? clientContext(trusting: trustAnchor) : nil
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let connection = try await UpstreamConnection.connect(host: bare, port: port, tls: tls)
        return try await connection.execute(request, timeout: timeout)
    }

    /// A client context trusting only `anchor`, else the system's authorities.
    static func clientContext(trusting anchor: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let anchor { configuration.trustRoots = .file(anchor) }
        return try NIOSSLContext(configuration: configuration)
    }
}
