import Foundation
import HTTPTypes
import HearthCore
import HearthExport
import HearthRegistry
import HearthRuntime
import Hummingbird
import Synchronization

/// `POST /api/v1/push[?instance=<id>][&name=<label>]` with a `SourceArchive` body: checks the
/// archive and its Spacefile (refusals are plain 4xx answers), then builds it into the given
/// instance (an update: the running version serves until the new one is built) or a new one,
/// streaming the build as `JSONLines`, last `{"result": <instance>}` or `{"error": …}`. The
/// build goes on if the client leaves.
struct PushRoute {
    static let maxUploadBytes: Int64 = 1 << 30
    let registry: Registry
    let layout: DataLayout
    let apps: AppServices

    func push(_ request: Request, space: String) async throws -> Response {
        let query = request.uri.queryParameters
        var target: InstanceInfo?
        if let id = query["instance"].map(String.init) {
            guard let found = try? await registry.instance(id), found.space == space else {
                throw APIError(.notFound, "No instance '\(id)' in space '\(space)'")
            }
            target = found
        }
        let work = layout.root.appendingPathComponent("tmp/push-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let archive = work.appendingPathComponent("source.zip")
            try await Self.save(request, to: archive)
            try SourceArchive.unpack(archive, into: work.appendingPathComponent("app"))
            _ = try Spacefile.load(directory: work.appendingPathComponent("app"))
        } catch {
            try? FileManager.default.removeItem(at: work)
            throw error
        }
        let source = work.appendingPathComponent("app")
        let name = query["name"].map(String.init)
        return JSONLines.build(cleanup: { try? FileManager.default.removeItem(at: work) }) { [target, registry, layout, apps] progress in
            let installer = Installer(registry: registry, layout: layout, builder: apps.catalog.builder)
            let pushed: InstanceInfo
            if let target {
                pushed = try await installer.update(target, source: source, progress: progress)
                await apps.restart(instance: pushed.id)
            } else {
                pushed = try await installer.install(source: source, name: name, space: space, progress: progress)
            }
            return InstanceAnswer(pushed, url: apps.catalog.address.origin(slug: pushed.slug))
        }
    }

    /// Streams the body to `file`, refusing more than `maxUploadBytes`.
    static func save(_ request: Request, to file: URL, what: String = "The app archive") async throws {
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > Self.maxUploadBytes {
            throw APIError(.contentTooLarge, "\(what) is larger than the limit of \(Self.maxUploadBytes) bytes")
        }
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw APIError(.internalServerError, "Cannot store the upload")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written: Int64 = 0
        for try await buffer in request.body {
            written += Int64(buffer.readableBytes)
            guard written <= Self.maxUploadBytes else {
                throw APIError(.contentTooLarge, "\(what) is larger than the limit of \(Self.maxUploadBytes) bytes")
            }
            try handle.write(contentsOf: buffer.readableBytesView)
        }
    }
}
