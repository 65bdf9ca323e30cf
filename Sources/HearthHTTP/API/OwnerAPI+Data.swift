import Foundation
import HTTPTypes
import HearthBase
import HearthCore
import HearthDrive
import HearthRegistry
import Hummingbird
import Logging

/// The data browser's calls (docs/api.md, "Data"): an owner's instance's Bases and Drives,
/// read and changed with the same rules as Deta's Base and Drive APIs, whose controllers and
/// stores do the work here too. Every call is scoped to the caller's own instances.
extension OwnerAPI {
    func addData(to api: RouterGroup<Context>) {
        api.get("instances/:id/data") { request, context in
            try await respond { try await data(caller(request, context), id: context.parameters.get("id") ?? "") }
        }
        api.post("instances/:id/bases/:base/query") { request, context in
            try await respond { try await onBase(request, context) { base, call in try await call.query(base) } }
        }
        api.post("instances/:id/bases/:base/items") { request, context in
            try await respond { try await onBase(request, context) { base, call in try await call.insert(base) } }
        }
        api.get("instances/:id/bases/:base/items/:key") { request, context in
            try await respond { try await onBase(request, context) { base, call in try await call.get(base, key: key(context)) } }
        }
        api.put("instances/:id/bases/:base/items/:key") { request, context in
            try await respond { try await onBase(request, context) { base, call in try await call.put(base, key: key(context)) } }
        }
        api.delete("instances/:id/bases/:base/items/:key") { request, context in
            try await respond { try await onBase(request, context) { base, call in try await call.delete(base, key: key(context)) } }
        }
        api.get("instances/:id/drives/:drive/files") { request, context in
            try await respond { try await onDrive(request, context) { call in try await call.list() } }
        }
        api.post("instances/:id/drives/:drive/files") { request, context in
            try await respond { try await onDrive(request, context) { call in try await call.upload() } }
        }
        api.delete("instances/:id/drives/:drive/files") { request, context in
            try await respond { try await onDrive(request, context) { call in try await call.delete() } }
        }
        api.get("instances/:id/drives/:drive/files/download") { request, context in
            try await respond { try await onDrive(request, context) { call in try await call.download() } }
        }
    }

    /// The instance's Bases and Drives, with their sizes.
    private func data(_ caller: APICaller, id: String) async throws -> Response {
        let instance = try await ownInstance(id, of: caller)
        let bases = try await collections.base(instance.collection).summaries()
        let drives = try await collections.drive(instance.collection).summaries()
        return try APIResponse.json(
            .ok,
            DataSummary(
                bases: bases.map { .init(name: $0.name, items: $0.items) },
                drives: drives.map { .init(name: $0.name, files: $0.files, bytes: $0.bytes) }))
    }

    private func onBase(
        _ request: Request, _ context: Context, _ work: (String, DataBaseCall) async throws -> Response
    ) async throws -> Response {
        let instance = try await ownInstance(context.parameters.get("id") ?? "", of: try await caller(request, context))
        let base = try Self.name(context, "base")
        try BaseStore.validateName(base)
        let controller = BaseController(access: APIAccess(registry: registry, collections: collections), limits: collections.baseLimits)
        let call = DataBaseCall(
            instance: instance, request: request, store: try collections.base(instance.collection), controller: controller,
            logger: context.logger)
        return Self.ownerHeaders(try await work(base, call))
    }

    private func onDrive(
        _ request: Request, _ context: Context, _ work: (DataDriveCall) async throws -> Response
    ) async throws
        -> Response
    {
        let instance = try await ownInstance(context.parameters.get("id") ?? "", of: try await caller(request, context))
        let drive = try Self.name(context, "drive")
        try DriveName.validateDrive(drive)
        guard let query = FormQuery(request.uri.query) else { throw APIError(.badRequest, "The query string is not valid UTF-8") }
        let call = DataDriveCall(
            instance: instance, drive: drive, query: query, request: request, store: try collections.drive(instance.collection),
            access: APIAccess(registry: registry, collections: collections), limits: collections.driveLimits, logger: context.logger)
        return Self.ownerHeaders(try await work(call))
    }

    /// The item key of the path, percent-decoded (a `/` in a key travels as `%2F`).
    private func key(_ context: Context) throws -> String { try Self.name(context, "key") }

    private static func name(_ context: Context, _ parameter: String) throws -> String {
        guard let raw = context.parameters.get(parameter), let name = Substring(raw).percentDecoded else {
            throw APIError(.badRequest, "The \(parameter) in the path is not valid percent-encoded UTF-8")
        }
        return name
    }

    /// The owner API grants no cross-origin reads: the Deta answers' CORS headers go.
    private static func ownerHeaders(_ response: Response) -> Response {
        var response = response
        for name in [HTTPField.Name.accessControlAllowOrigin, .accessControlExposeHeaders] { response.headers[name] = nil }
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }
}

/// `GET /instances/{id}/data`.
struct DataSummary: Encodable {
    struct Base: Encodable {
        let name: String
        let items: Int
    }
    struct Drive: Encodable {
        let name: String
        let files: Int
        let bytes: Int64
    }
    let bases: [Base]
    let drives: [Drive]
}

/// One data browser call on a Base: the body rules, item rules and query language of Deta's
/// Base API (`BaseController`, `BaseStore`).
struct DataBaseCall {
    let instance: InstanceInfo
    let request: Request
    let store: BaseStore
    let controller: BaseController
    let logger: Logger

    /// Deta's `POST /query`, body and answer alike.
    func query(_ base: String) async throws -> Response {
        let route = BaseRoute(projectID: instance.id, base: base, action: .query)
        return await controller.respond(to: request, route: route, collection: instance.collection, logger: logger)
    }

    /// Adds the item in the body; a key already in use is a 409, a missing key is generated.
    func insert(_ base: String) async throws -> Response {
        let item = try await store.insert(base: base, value: try await controller.body(of: request))
        return JSONResponse.raw(.created, item.json)
    }

    func get(_ base: String, key: String) async throws -> Response {
        guard let document = try await store.get(base: base, key: key) else { throw Self.missing(key, base) }
        return JSONResponse.raw(.ok, document)
    }

    /// Stores the item in the body under `key`, replacing any item there.
    func put(_ base: String, key: String) async throws -> Response {
        guard case .object(var object) = try await controller.body(of: request) else {
            throw APIError(.badRequest, "The item must be a JSON object, like {\"title\": \"hello\"}")
        }
        switch object["key"] {
        case nil, .null?: object["key"] = .string(key)
        case .string(let given)? where given == key: break
        case .string?: throw APIError(.badRequest, "The item's key differs from the key in the path ('\(key)')")
        default: throw APIError(.badRequest, "Key must be a string")
        }
        guard let item = try await store.put(base: base, values: [.object(object)]).first else {
            throw APIError(.internalServerError, "The item was not stored")
        }
        return JSONResponse.raw(.ok, item.json)
    }

    func delete(_ base: String, key: String) async throws -> Response {
        guard try await store.get(base: base, key: key) != nil else { throw Self.missing(key, base) }
        try await store.delete(base: base, key: key)
        return JSONResponse.raw(.ok, "{\"key\":\(JSONResponse.quoted(key))}")
    }

    static func missing(_ key: String, _ base: String) -> APIError {
        APIError(.notFound, "No item with key '\(key)' in Base '\(base)'")
    }
}

/// One data browser call on a Drive: Deta's name rules, streaming uploads and ranged downloads
/// (`DriveController`, `DriveStore`).
struct DataDriveCall {
    let instance: InstanceInfo
    let drive: String
    let query: FormQuery
    let request: Request
    let store: DriveStore
    let access: APIAccess
    let limits: DriveLimits
    let logger: Logger

    /// Bytes of one upload from the dashboard: streamed to disk, so larger than Deta's
    /// single-request limit; the collection's quota still applies.
    static let maxUploadBytes: Int64 = 1 << 30
    static let defaultPage = 500

    /// One folder level under `prefix` (which ends in `/` or is empty): its folders (names
    /// ending in `/`) and its files with their facts, a page at a time.
    func list() async throws -> Response {
        let prefix = query["prefix"] ?? ""
        var limit = Self.defaultPage
        if let text = query.nonEmpty("limit") {
            guard let number = Int(text), number > 0 else { throw APIError(.badRequest, "limit must be a positive number") }
            limit = min(number, limits.maxNamesPerRequest)
        }
        let page = try await store.list(
            drive: drive, ListRequest(prefix: prefix, last: query.nonEmpty("last"), limit: limit, recursive: false))
        var folders: [String] = [], files: [DataFile] = []
        for name in page.names {
            if name.hasSuffix("/") {
                folders.append(name)
            } else if let info = try await store.info(drive: drive, name: name) {
                files.append(DataFile(info))
            }
        }
        return try APIResponse.json(.ok, DataListing(prefix: prefix, folders: folders, files: files, last: page.last))
    }

    /// Deta's `POST /files?name=`, with a larger limit.
    func upload() async throws -> Response {
        var limits = limits
        limits.maxFileRequestBytes = Self.maxUploadBytes
        let answer = await DriveController(access: access, limits: limits).respond(
            to: request, route: DriveRoute(projectID: instance.id, drive: drive, action: .upload), collection: instance.collection,
            logger: logger)
        guard answer.status != .contentTooLarge else {
            throw APIError(.contentTooLarge, "The file is larger than \(Self.maxUploadBytes >> 20) MB, the most one upload takes")
        }
        return answer
    }

    func delete() async throws -> Response {
        let name = try name()
        guard try await store.info(drive: drive, name: name) != nil else { throw Self.missing(name, drive) }
        let result = try await store.delete(drive: drive, names: [name])
        if let failure = result.failed.first { throw APIError(.internalServerError, failure.reason) }
        return try APIResponse.json(.ok, ["name": name])
    }

    /// Deta's `GET /files/download?name=` (with `Range`), as an attachment that never renders
    /// on the dashboard's origin.
    func download() async throws -> Response {
        let name = try name()
        guard try await store.info(drive: drive, name: name) != nil else { throw Self.missing(name, drive) }
        var answer = await DriveController(access: access, limits: limits).respond(
            to: request, route: DriveRoute(projectID: instance.id, drive: drive, action: .download), collection: instance.collection,
            logger: logger)
        answer.headers[.contentDisposition] = Self.attachment(name)
        answer.headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        answer.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        answer.headers[.cacheControl] = "private, no-cache"
        return answer
    }

    private func name() throws -> String {
        guard let name = query["name"] else { throw APIError(.badRequest, "The name parameter is missing") }
        try DriveName.validate(name, maxBytes: limits.maxNameBytes)
        return name
    }

    static func missing(_ name: String, _ drive: String) -> APIError {
        APIError(.notFound, "No file '\(name)' in Drive '\(drive)'")
    }

    /// `attachment` with the last path segment of `name`: an ASCII fallback and the UTF-8 name.
    static func attachment(_ name: String) -> String {
        let file = name.split(separator: "/").last.map(String.init) ?? name
        let ascii = String(file.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = file.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

/// A file of a listing.
struct DataFile: Encodable {
    let name: String
    let size: Int64
    let contentType: String
    let sha256: String
    let modified: Date

    init(_ info: DriveFileInfo) {
        (name, size, contentType, sha256, modified) = (info.name, info.size, info.contentType, info.sha256, info.modified)
    }
}

/// `GET /instances/{id}/drives/{drive}/files`.
struct DataListing: Encodable {
    let prefix: String
    let folders: [String]
    let files: [DataFile]
    /// Set when more entries follow: pass it back as `last`.
    let last: String?
}
