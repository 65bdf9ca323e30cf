import Hummingbird
import Logging

/// Sends every `/v1/...` request to the Deta-compatible controllers, answering unknown paths
/// and wrong methods there with Deta-style JSON errors.
struct DetaAPIMiddleware<Context: RequestContext>: RouterMiddleware {
    let base: BaseController
    let drive: DriveController

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let parsed = DetaRoute.parse(method: request.method.rawValue, rawPath: request.uri.path) else {
            return try await next(request, context)
        }
        switch parsed {
        case .success(.base(let route)):
            return await base.respond(to: request, route: route, logger: context.logger)
        case .success(.drive(let route)):
            return await drive.respond(to: request, route: route, logger: context.logger)
        case .failure(.notFound):
            return JSONResponse.errors(.notFound, "Not found")
        case .failure(.badKey):
            return JSONResponse.errors(.badRequest, "Invalid key encoding")
        case .failure(.methodNotAllowed(let allowed)):
            var response = JSONResponse.errors(.methodNotAllowed, "Method not allowed")
            response.headers[.allow] = allowed
            return response
        }
    }
}
