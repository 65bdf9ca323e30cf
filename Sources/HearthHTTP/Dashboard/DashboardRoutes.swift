import HearthRegistry
import Hummingbird

/// The dashboard on the node's own host: its page for `/` and the paths its script routes
/// (`/apps/…`, `/install`, `/space`), for a signed-in owner, and its files under `/assets/`.
/// Everything it shows and does goes through the owner API (`/api/v1`).
struct DashboardRoutes<Context: RequestContext> {
    let auth: OwnerAuth
    let registry: Registry
    let assets: DashboardAssets

    func add(to router: Router<Context>) {
        for path in ["/", "/apps", "/apps/**", "/install", "/space"] {
            router.get(RouterPath(path)) { request, context in try await page(request, context) }
        }
        router.get("/favicon.ico") { request, _ in
            assets.response("hearth.svg", request: request) ?? AuthPages.message(.notFound, title: "Not found", "No icon.")
        }
        router.get("/assets/**") { request, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return assets.response(path, request: request)
                ?? AuthPages.message(.notFound, title: "Not found", "There is nothing at this address.")
        }
    }

    private func page(_ request: Request, _ context: Context) async throws -> Response {
        guard try await registry.hasOwner() else { return Redirects.seeOther("/setup") }
        guard let session = await auth.session(of: request, instance: nil, logger: context.logger) else {
            let next = request.uri.path == "/" ? "" : "?next=" + Redirects.encode(request.uri.path)
            return Redirects.seeOther("/login" + next)
        }
        guard !assets.files.isEmpty else {
            return AuthPages.message(
                .serviceUnavailable, title: "Dashboard unavailable",
                "The dashboard's files (\(DashboardAssets.bundleName)) are missing next to the hearth executable. Your apps still work.")
        }
        let owner = await registry.ownerName(of: session.space) ?? session.space
        return auth.withCSRF(request) { DashboardShell.response(owner: owner, csrf: $0) }
    }
}
