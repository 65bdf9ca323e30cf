import Hummingbird

/// Lets a sandboxed instance's requests reach the Deta APIs of its own collection only (whose
/// project id is the instance id); every other path of the node answers 404.
struct RoomAPIGuard<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", maxSplits: 2)
        guard segments.first == "v1" else { return JSONResponse.errors(.notFound, "Not found") }
        guard segments.count > 1, let room = context.roomInstance, segments[1] == room else { return APIAccess.unauthorized }
        return try await next(request, context)
    }
}
