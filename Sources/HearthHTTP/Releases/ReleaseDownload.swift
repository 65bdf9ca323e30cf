import Foundation
import HearthCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// Downloads a release archive from another node (`http(s)://host[:port]/releases/<id>.zip`)
/// to a file, over the HTTP/1.1 client the proxy uses: at most `maxRedirects` redirects, and
/// never more than `maxBytes`. Over HTTPS the system's authorities (or `trustAnchor`) are trusted.
public enum ReleaseDownload {
    public typealias Failure = ModuleError<ReleaseDownload>

    public static let maxRedirects = 3

    /// Writes the body of a `200` answer to `file`; any other status, or a body over `maxBytes`, fails.
    /// `timeoutSeconds` bounds each request until its answer's head.
    public static func fetch(
        _ url: String, to file: URL, maxBytes: Int64, trustAnchor: String? = nil, timeoutSeconds: Int64 = 60
    ) async throws(Failure) {
        var current = url
        for _ in 0...maxRedirects {
            guard let target = URL(string: current), let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = target.host, !host.isEmpty
            else { throw Failure("release.bad_url", "Not an http(s) URL: \(current)") }
            let port = target.port ?? (scheme == "https" ? 443 : 80)
            let response: UpstreamResponse
            do {
                let tls = scheme == "https" ? try ControlClient.clientContext(trusting: trustAnchor) : nil
                let connection = try await UpstreamConnection.connect(
                    host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: port, tls: tls)
                let path = target.path.isEmpty ? "/" : target.path
                let request = UpstreamRequest(
                    method: .GET, target: path + (target.query.map { "?" + $0 } ?? ""),
                    headers: ["Host": target.port.map { "\(host):\($0)" } ?? host, "Connection": "close"], body: nil)
                response = try await connection.execute(request, timeout: .seconds(timeoutSeconds))
            } catch {
                throw Failure(
                    "release.download_failed", "Cannot download \(current): \((error as? any HearthError)?.message ?? "\(error)")")
            }
            let status = Int(response.head.status.code)
            if [301, 302, 303, 307, 308].contains(status), let location = response.head.headers.first(name: "Location") {
                guard let next = URL(string: location, relativeTo: target)?.absoluteString else {
                    throw Failure("release.download_failed", "\(current) redirects to an invalid location")
                }
                current = next
                continue
            }
            guard status == 200 else { throw Failure("release.download_failed", "\(current) answered with status \(status)") }
            if let length = response.head.headers.first(name: "Content-Length").flatMap(Int64.init), length > maxBytes {
                throw Failure("release.too_large", "The release is larger than the limit of \(maxBytes) bytes")
            }
            try await save(response, to: file, maxBytes: maxBytes)
            return
        }
        throw Failure("release.download_failed", "\(url) redirects more than \(maxRedirects) times")
    }

    private static func save(_ response: UpstreamResponse, to file: URL, maxBytes: Int64) async throws(Failure) {
        do {
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw Failure("release.download_failed", "Cannot write \(file.path)")
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            var written: Int64 = 0
            func write(_ buffer: ByteBuffer?) throws {
                guard let buffer else { return }
                written += Int64(buffer.readableBytes)
                guard written <= maxBytes else {
                    throw Failure("release.too_large", "The release is larger than the limit of \(maxBytes) bytes")
                }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
            switch response.body {
            case .complete(let buffer):
                try write(buffer)
            case .streaming(let first, let rest):
                try write(first)
                for try await chunk in rest { try write(chunk) }
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            if let error = error as? Failure { throw error }
            throw Failure("release.download_failed", "The download broke off: \((error as? any HearthError)?.message ?? "\(error)")")
        }
    }
}
