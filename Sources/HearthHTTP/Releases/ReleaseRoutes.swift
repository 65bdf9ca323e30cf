import Foundation
import HTTPTypes
import HearthCore
import HearthRegistry
import Hummingbird

/// The node's public release routes, on the dashboard host and without a session:
/// `/releases/<id>.zip` (release ids are random, 24 characters: the URL is the capability) and
/// `/discover`, a page of the releases their spaces chose to list.
struct ReleaseRoutes<Context: RequestContext> {
    let registry: Registry
    let layout: DataLayout
    let files = FileIO(threadPool: .singleton)

    func add(to router: Router<Context>) {
        router.get("/releases/:file") { request, context in try await download(request, context) }
        router.get("/discover") { _, _ in try await discover() }
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

    private func discover() async throws -> Response {
        let releases = try await registry.releases(listedOnly: true)
        let items = releases.map { release in
            let link = "/" + release.path
            return """
                <li><strong>\(HTMLPage.escape(release.appName))</strong> \(HTMLPage.escape(release.version))\
                \(release.notes.isEmpty ? "" : "<br>" + HTMLPage.escape(release.notes))
                <br><small>publisher <code>\(HTMLPage.escape(release.fingerprint))</code></small>
                <br><a href="\(HTMLPage.escape(link))">\(HTMLPage.escape(link))</a></li>
                """
        }
        let list = items.isEmpty ? "<p>No releases are listed on this node.</p>" : "<ul class=\"apps\">\(items.joined())</ul>"
        let body = """
            <main><h1>Apps on this node</h1>
            <p>Install one on your own node with <code>hearth install &lt;URL&gt;</code>; the signature and every file \
            are verified first.</p>\(list)</main>
            """
        return HTMLPage.response(.ok, title: "Discover apps", body: body)
    }
}
