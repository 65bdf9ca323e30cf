import Hummingbird

/// Names the node in the `Server` header of responses that don't name a server already: a
/// micro's own header passes through, and the sign-in 401 keeps the `Deta…` name that Deta's
/// client runtime looks for.
struct ServerHeader<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.server] == nil { response.headers[.server] = "Hearth" }
        return response
    }
}
