import Foundation
import HTTPTypes
import HearthCore
import HearthRegistry
import Hummingbird

/// The node's public release routes, on the dashboard host and without a session:
/// `/releases/<id>.zip` (release ids are random, 24 characters: the URL is the capability) and
/// `/releases/<id>/icon`, and `/discover` (`/discover.json` for other nodes), the releases
/// their spaces chose to list.
struct ReleaseRoutes<Context: RequestContext> {
    let registry: Registry
    let layout: DataLayout
    let owners: OwnerAuth
    let files = FileIO(threadPool: .singleton)

    func add(to router: Router<Context>) {
        router.get("/releases/:file") { request, context in try await download(request, context) }
        router.get("/releases/:file/icon") { _, context in try await icon(context) }
        router.get("/discover") { request, _ in
            DiscoverPage(
                releases: try await registry.releases(listedOnly: true), origin: owners.dashboardOrigin(seenFrom: request), layout: layout
            )
            .response
        }
        router.get("/discover.json") { request, _ in
            let releases = try await registry.releases(listedOnly: true)
            return try DiscoverListing.response(releases, origin: owners.dashboardOrigin(seenFrom: request), layout: layout)
        }
    }

    private func download(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("file") ?? ""
        guard name.hasSuffix(".zip"), case let id = String(name.dropLast(4)), ReleaseInfo.isValidID(id),
            let release = try await registry.release(id)
        else { return AuthPages.message(.notFound, title: "Not found", "There is no release at this address.") }
        let path = layout.resolve(release.path).path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { return AuthPages.message(.notFound, title: "Not found", "There is no release at this address.") }
        let body = try await files.loadFile(path: path, context: context)
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/zip"
        headers[.contentLength] = String(size)
        headers[.contentDisposition] = "attachment; filename=\"\(release.appName)-\(release.version).zip\""
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The icon copied from the release's archive, if it is a PNG, WebP or JPEG image.
    private func icon(_ context: Context) async throws -> Response {
        let id = context.parameters.get("file") ?? ""
        guard ReleaseInfo.isValidID(id), let release = try await registry.release(id), release.listed,
            let data = FileManager.default.contents(atPath: layout.resolve(release.iconPath).path),
            let type = ImageType.sniff(data)
        else { return AuthPages.message(.notFound, title: "Not found", "This release has no icon.") }
        var headers: HTTPFields = [:]
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
