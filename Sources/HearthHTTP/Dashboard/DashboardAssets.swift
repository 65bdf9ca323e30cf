import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The dashboard's static files (`Dashboard/Assets`, shipped as this module's resources):
/// read once at start, served from memory with ETags so browsers revalidate cheaply.
struct DashboardAssets: Sendable {
    struct Asset: Sendable {
        let body: ByteBuffer
        let type: String
        let etag: String
    }

    let files: [String: Asset]

    /// The bundle directory SwiftPM puts next to the executable.
    static let bundleName = "hearth_HearthHTTP.resources"

    /// Loads every asset; none (with an error logged) when the resources cannot be found.
    static func load(logger: Logger) -> DashboardAssets {
        guard let root = directory() else {
            logger.error("The dashboard's files (\(bundleName)) are not next to the executable; the dashboard is unavailable")
            return DashboardAssets(files: [:])
        }
        var files: [String: Asset] = [:]
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let path = walker?.nextObject() as? String {
            guard let type = Self.types[(path as NSString).pathExtension],
                let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path)
            else { continue }
            let etag = "\"" + SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
            files[path] = Asset(body: ByteBuffer(bytes: data), type: type, etag: etag)
        }
        return DashboardAssets(files: files)
    }

    /// `Assets` in the resource bundle beside the running executable (or test binary).
    private static func directory() -> URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [Bundle.main.bundleURL, executable].map {
            $0.appendingPathComponent(bundleName).appendingPathComponent("Assets")
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("app.js").path) }
    }

    private static let types = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "svg": "image/svg+xml",
        "png": "image/png", "json": "application/json",
    ]

    /// The asset at `path`, or 304 when the browser's copy is current, or nil.
    func response(_ path: String, request: Request) -> Response? {
        guard let asset = files[path] else { return nil }
        var headers: HTTPFields = [
            .contentType: asset.type, .eTag: asset.etag, .cacheControl: "no-cache",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = String(asset.body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }
}
