import Foundation
import HTTPTypes
import HearthCore
import HearthExport
import HearthRegistry
import HearthRuntime
import Hummingbird

/// Installing, updating, rolling back, exporting and uninstalling apps (docs/api.md,
/// "Install and lifecycle"). A release comes as JSON `{"url": "http(s)://…/releases/<id>.zip"}`
/// or as the release file itself in the body; it is verified on every call that uses it.
extension OwnerAPI {
    /// How long the node waits for another node's answer when it looks for updates.
    static var updateCheckSeconds: Int64 { 5 }
    /// The largest `/discover.json` read while looking for updates.
    static var maxListingBytes: Int64 { 4 << 20 }

    func addInstall(to api: RouterGroup<Context>) {
        api.post("releases/inspect") { request, context in try await respond { try await inspect(request, caller(request, context)) } }
        api.post("install") { request, context in try await respond { try await install(request, caller(request, context)) } }
        api.get("instances/:id/update") { request, context in
            try await respond { try await updateCheck(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/update") { request, context in
            try await respond { try await update(request, caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/rollback") { request, context in
            try await respond { try await rollback(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.get("instances/:id/export") { request, context in
            try await respond { try await export(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/uninstall") { request, context in
            try await respond { try await uninstall(request, caller(request, context), id: context.parameters.get("id") ?? "") }
        }
    }

    // MARK: Install

    private func inspect(_ request: Request, _ caller: APICaller) async throws -> Response {
        let work = try WorkDirectory(in: layout, purpose: "inspect")
        defer { work.remove() }
        let (opened, _) = try await openRelease(request, work: work)
        let installed = try await registry.instances(space: caller.space).filter { $0.appName == opened.manifest.app }
        return try APIResponse.json(
            .ok,
            InstallInspection(
                release: opened.summary, origin: opened.origin,
                installed: installed.map { InstallInspection.Installed(id: $0.id, slug: $0.slug, version: $0.version) }))
    }

    private func install(_ request: Request, _ caller: APICaller) async throws -> Response {
        let work = try WorkDirectory(in: layout, purpose: "install")
        let app: URL
        let opened: OpenedRelease
        let asked: InstallRequest
        do {
            (opened, asked) = try await openRelease(request, work: work)
            app = try opened.unpack(into: work.url.appendingPathComponent("app"))
        } catch {
            work.remove()
            throw error
        }
        let name = asked.name ?? request.uri.queryParameters["name"].map(String.init)
        let manifest = opened.manifest
        let space = caller.space
        return JSONLines.build(cleanup: { work.remove() }) { [registry, layout, apps] progress in
            let installer = Installer(registry: registry, layout: layout, builder: apps.catalog.builder)
            let info = try await installer.install(
                source: app, name: name, space: space, appName: manifest.app, version: manifest.version,
                origin: "release:" + opened.origin, publisher: manifest.publisher.fingerprint, progress: progress)
            apps.catalog.invalidate()
            return await InstanceAnswer.live(info, apps: apps)
        }
    }

    // MARK: Update and rollback

    private func updateCheck(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        var answer = UpdateAnswer(available: false, current: info.version)
        guard info.source.hasPrefix("release:"), let origin = Self.origin(of: String(info.source.dropFirst(8))) else {
            answer.reason = "It was not installed from a release link, so there is nowhere to look for updates."
            return try APIResponse.json(.ok, answer)
        }
        answer.checked = origin
        let work = try WorkDirectory(in: layout, purpose: "update-check")
        defer { work.remove() }
        let file = work.url.appendingPathComponent("discover.json")
        let listing: DiscoverAnswer
        do {
            try await ReleaseDownload.fetch(
                origin + "/discover.json", to: file, maxBytes: Self.maxListingBytes, timeoutSeconds: Self.updateCheckSeconds)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            listing = try decoder.decode(DiscoverAnswer.self, from: Data(contentsOf: file))
        } catch let error as ReleaseDownload.Failure {
            answer.reason = "Could not look for updates: \(error.message)"
            return try APIResponse.json(.ok, answer)
        } catch {
            answer.reason = "Could not look for updates: \(origin)/discover.json is not a release listing"
            return try APIResponse.json(.ok, answer)
        }
        let newer = listing.releases.filter { release in
            release.app == info.appName && (info.publisher == nil || release.fingerprint == info.publisher)
                && ReleaseVersion.precedes(info.version, release.version) == true && Self.origin(of: release.url) != nil
        }
        let newest = newer.max { ReleaseVersion.precedes($0.version, $1.version) == true }
        if let newest {
            answer.available = true
            (answer.version, answer.notes, answer.url) = (newest.version, newest.notes, newest.url)
        }
        return try APIResponse.json(.ok, answer)
    }

    private func update(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let work = try WorkDirectory(in: layout, purpose: "update")
        let app: URL
        let opened: OpenedRelease
        do {
            let asked: InstallRequest
            (opened, asked) = try await openRelease(request, work: work)
            let problems = ReleaseUpdateCheck.problems(
                opened.manifest, app: info.appName, slug: info.slug, publisher: info.publisher, version: info.version)
            if !problems.isEmpty, asked.force != true {
                throw APIError(
                    .conflict, "Nothing was changed: " + problems.joined(separator: "; ") + ". Send \"force\": true to update anyway.")
            }
            app = try opened.unpack(into: work.url.appendingPathComponent("app"))
        } catch {
            work.remove()
            throw error
        }
        let manifest = opened.manifest
        return JSONLines.build(cleanup: { work.remove() }) { [registry, layout, apps] progress in
            let installer = Installer(registry: registry, layout: layout, builder: apps.catalog.builder)
            let updated = try await installer.update(
                info, source: app, version: manifest.version, origin: "release:" + opened.origin,
                publisher: manifest.publisher.fingerprint, progress: progress)
            await apps.restart(instance: updated.id)
            return await InstanceAnswer.live(updated, apps: apps)
        }
    }

    private func rollback(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let installer = Installer(registry: registry, layout: layout, builder: apps.catalog.builder)
        let rolled: InstanceInfo
        do {
            rolled = try await installer.rollback(info)
        } catch let error as RuntimeError {
            throw APIError(.conflict, error.message)
        }
        await apps.restart(instance: rolled.id)
        return try APIResponse.json(.ok, await InstanceAnswer.live(rolled, apps: apps))
    }

    // MARK: Export and uninstall

    private func export(_ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let (collection, source) = try await ExportManifest.Source.resolve(info.id, registry: registry)
        let work = try WorkDirectory(in: layout, purpose: "export")
        let file = work.url.appendingPathComponent("export.zip")
        do {
            let exporter = CollectionExporter(
                base: try collections.base(collection), drive: try collections.drive(collection), source: source)
            _ = try await exporter.write(to: file)
        } catch {
            work.remove()
            throw error
        }
        return try Self.download(file, name: "\(info.slug)-\(Self.stamp()).zip", work: work)
    }

    private func uninstall(_ request: Request, _ caller: APICaller, id: String) async throws -> Response {
        let info = try await ownInstance(id, of: caller)
        let asked = try await APIResponse.decode(UninstallRequest.self, from: request, limit: 4 << 10)
        guard asked.confirm == info.slug else {
            throw APIError(.badRequest, "Nothing was removed: confirm by sending {\"confirm\": \"\(info.slug)\"}, the app's name")
        }
        await apps.retire(instance: info.id, collections: collections)
        try await Installer(registry: registry, layout: layout, builder: apps.catalog.builder).remove(info)
        apps.catalog.invalidate()
        return try APIResponse.json(.ok, ["removed": info.slug])
    }

    // MARK: Helpers

    /// The release a request names: JSON `{"url": …}`, or the release file as the body (its
    /// name in `?file=`). Refusals are 4xx answers, a failed download 502.
    private func openRelease(_ request: Request, work: WorkDirectory) async throws -> (OpenedRelease, InstallRequest) {
        do {
            if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
                let asked = try await APIResponse.decode(InstallRequest.self, from: request, limit: 16 << 10)
                guard let url = asked.url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
                    throw APIError(.badRequest, "Send the release's link as {\"url\": \"https://…/releases/<id>.zip\"}, or the file itself")
                }
                guard Self.origin(of: url) != nil else {
                    throw APIError(.badRequest, "'\(url.prefix(200))' is not an http(s) link to a release")
                }
                return (try await OpenedRelease.open(url, work: work.url, timeoutSeconds: 30), asked)
            }
            let file = work.url.appendingPathComponent("release.zip")
            try await PushRoute.save(request, to: file, what: "The release file")
            let given = request.uri.queryParameters["file"].map(String.init) ?? ""
            let name = given.hasSuffix(".zip") ? String(given.dropLast(4)) : given
            let origin = name.isEmpty || name.count > 100 || name.contains("/") ? "upload" : name
            return (try OpenedRelease.open(file: file, origin: origin), InstallRequest(url: nil, name: nil, force: nil))
        } catch let error as ReleaseDownload.Failure {
            let status: HTTPResponse.Status =
                error.code == "release.too_large" ? .contentTooLarge : error.code == "release.bad_url" ? .badRequest : .badGateway
            throw APIError(status, error.message)
        } catch let error as OpenedRelease.Failure {
            throw APIError(.unprocessableContent, error.message)
        }
    }

    /// `scheme://host[:port]` of an http(s) URL; nil for anything else.
    static func origin(of url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parsed.host, !host.isEmpty, parsed.user == nil
        else { return nil }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }

    /// Answers with `file` as a zip download, removing `work` once sent.
    static func download(_ file: URL, name: String, work: WorkDirectory) throws -> Response {
        let handle: FileHandle
        let size: Int
        do {
            handle = try FileHandle(forReadingFrom: file)
            size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            work.remove()
            throw APIError(.internalServerError, "The archive was written but cannot be read")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentLength: String(size), .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(name)\"", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody { writer in
                defer {
                    try? handle.close()
                    work.remove()
                }
                while let chunk = try handle.read(upToCount: 256 << 10), !chunk.isEmpty {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
    }

    /// `20250101-120000` in UTC, for file names.
    static func stamp() -> String {
        let format = DateFormatter()
        format.dateFormat = "yyyyMMdd-HHmmss"
        format.timeZone = TimeZone(identifier: "UTC")
        return format.string(from: Date())
    }

    struct InstallRequest: Decodable {
        let url: String?
        /// The new instance's host label (install only).
        let name: String?
        /// Update even to another app, publisher or an older version (update only).
        let force: Bool?
    }

    struct UninstallRequest: Decodable {
        let confirm: String?
    }

    struct InstallInspection: Encodable {
        let release: ReleaseSummary
        let origin: String
        /// Instances of the same app already in the space.
        let installed: [Installed]

        struct Installed: Encodable {
            let id, slug, version: String
        }
    }

    struct UpdateAnswer: Encodable {
        var available: Bool
        var current: String
        var version: String?
        var notes: String?
        var url: String?
        /// The node asked, `scheme://host[:port]`.
        var checked: String?
        /// Why no update could be looked for, when none could.
        var reason: String?
    }

    /// The part of another node's `/discover.json` an update check reads.
    struct DiscoverAnswer: Decodable {
        let releases: [Listed]

        struct Listed: Decodable {
            let app, version, notes, url, fingerprint: String
        }
    }
}
