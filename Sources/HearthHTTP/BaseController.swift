import Foundation
import HTTPTypes
import HearthBase
import HearthCore
import HearthRegistry
import Hummingbird
import Logging
import NIOCore

/// Serves Deta Base HTTP API v1 (spec §1) for every collection of the node.
struct BaseController: Sendable {
    let access: APIAccess
    let limits: BaseLimits

    /// Answers `request`; `collection` is given when the caller has already authenticated it
    /// (the browser proxy on an instance host), else the data key must open the route's project.
    func respond(to request: Request, route: BaseRoute, collection authenticated: CollectionInfo? = nil, logger: Logger) async -> Response {
        if route.action == .preflight { return JSONResponse.preflight }
        do {
            guard let collection = try await access.collection(for: request, projectID: route.projectID, given: authenticated) else {
                return APIAccess.unauthorized
            }
            try BaseStore.validateName(route.base)
            return try await perform(route, on: try access.collections.base(collection), request: request)
        } catch {
            return APIAccess.response(for: error, logger: logger)
        }
    }

    private func perform(_ route: BaseRoute, on store: BaseStore, request: Request) async throws -> Response {
        let base = route.base
        switch route.action {
        case .get(let key):
            guard let document = try await store.get(base: base, key: key) else {
                return JSONResponse.raw(.notFound, "{\"key\":\(JSONResponse.quoted(key))}")
            }
            return JSONResponse.raw(.ok, document)
        case .delete(let key):
            try await store.delete(base: base, key: key)
            return JSONResponse.raw(.ok, "{\"key\":\(JSONResponse.quoted(key))}")
        case .put:
            guard case .array(let values)? = try await body(of: request).objectValue?["items"] else {
                throw BaseError(BaseError.badRequest, "Body must be an object with an \"items\" list")
            }
            let items = try await store.put(base: base, values: values)
            let processed = JSONResponse.array(items.map(\.json))
            return JSONResponse.raw(Self.multiStatus, "{\"processed\":{\"items\":\(processed)},\"failed\":{\"items\":[]}}")
        case .insert:
            guard let value = try await body(of: request).objectValue?["item"] else {
                throw BaseError(BaseError.badRequest, "Body must be an object with an \"item\"")
            }
            let item = try await store.insert(base: base, value: value)
            return JSONResponse.raw(.created, item.json)
        case .update(let key):
            let update = try UpdateRequest(parsing: try await body(of: request))
            let echo = try await store.update(base: base, key: key, update)
            return JSONResponse.value(.ok, .object(echo))
        case .query:
            let page = try await store.query(base: base, QueryParser.parseRequest(try await body(of: request)))
            let last = page.last.map { ",\"last\":\(JSONResponse.quoted($0))" } ?? ""
            return JSONResponse.raw(.ok, "{\"paging\":{\"size\":\(page.items.count)\(last)},\"items\":\(JSONResponse.array(page.items))}")
        case .preflight:
            return JSONResponse.preflight
        }
    }

    /// The request body as JSON, refusing bodies over the size limit without reading them whole.
    func body(of request: Request) async throws -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limits.maxRequestBytes)
        } catch is NIOTooManyBytesError {
            throw BaseError(BaseError.badRequest, "Request body is larger than \(limits.maxRequestBytes / (1024 * 1024)) MB")
        }
        guard buffer.readableBytes > 0 else { throw BaseError(BaseError.badRequest, "Request body is empty") }
        return try JSONParser.parse(Array(buffer.readableBytesView), maxDepth: limits.maxDepth + 3)
    }

    static let multiStatus = HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status")
}
