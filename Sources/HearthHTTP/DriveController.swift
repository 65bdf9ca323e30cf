import Foundation
import HTTPTypes
import HearthCore
import HearthDrive
import HearthRegistry
import Hummingbird
import Logging
import NIOCore

/// Serves Deta Drive HTTP API v1 (spec §2) for every collection of the node. Uploads stream
/// into encrypted blobs and downloads stream out of them; no file is ever held in memory whole.
struct DriveController: Sendable {
    let access: APIAccess
    let limits: DriveLimits

    /// Answers `request`; `collection` is given when the caller has already authenticated it
    /// (the browser proxy on an instance host), else the data key must open the route's project.
    func respond(to request: Request, route: DriveRoute, collection authenticated: CollectionInfo? = nil, logger: Logger) async -> Response
    {
        if route.action == .preflight { return JSONResponse.preflight }
        do {
            guard let collection = try await access.collection(for: request, projectID: route.projectID, given: authenticated) else {
                return APIAccess.unauthorized
            }
            try DriveName.validateDrive(route.drive)
            guard let query = FormQuery(request.uri.query) else {
                throw DriveError(DriveError.badRequest, "The query string is not valid UTF-8")
            }
            let call = DriveCall(
                store: try access.collections.drive(collection), drive: route.drive, query: query, request: request,
                echo: ["project_id": .string(collection.id), "drive_name": .string(route.drive)], logger: logger)
            return try await perform(route.action, call)
        } catch let error as DriveError where error.code == DriveError.tooLarge {
            return Self.tooLarge
        } catch {
            return APIAccess.response(for: error, logger: logger)
        }
    }

    private func perform(_ action: DriveRoute.Action, _ call: DriveCall) async throws -> Response {
        switch action {
        case .upload:
            let name = try call.name(limits)
            let writer = try await call.store.newWriter(maxBytes: limits.maxFileRequestBytes)
            try await call.stream(into: writer)
            try await call.store.commitFile(drive: call.drive, name: name, contentType: call.contentType, writer: writer)
            return call.reply(.created, ["name": .string(name)])
        case .startUpload:
            let name = try call.name(limits)
            let id = try await call.store.createUpload(drive: call.drive, name: name, contentType: call.contentType)
            return call.reply(.accepted, ["name": .string(name), "upload_id": .string(id)])
        case .uploadPart(let id):
            let name = try call.name(limits)
            guard let part = call.query["part"].flatMap({ Int($0) }) else {
                throw DriveError(DriveError.badRequest, "part must be a number")
            }
            let writer = try await call.store.newPartWriter(drive: call.drive, uploadID: id, name: name, part: part)
            try await call.stream(into: writer)
            try await call.store.commitPart(
                drive: call.drive, uploadID: id, name: name, part: part, contentType: call.contentType, writer: writer)
            return call.reply(.ok, ["name": .string(name), "upload_id": .string(id), "part": .number(JSONNumber(part))])
        case .completeUpload(let id):
            let name = try call.name(limits)
            try await call.store.completeUpload(drive: call.drive, uploadID: id, name: name)
            return call.reply(.ok, ["name": .string(name), "upload_id": .string(id)])
        case .abortUpload(let id):
            let name = try call.name(limits)
            try await call.store.abortUpload(drive: call.drive, uploadID: id, name: name)
            return call.reply(.ok, ["name": .string(name), "upload_id": .string(id)])
        case .list:
            return try await list(call)
        case .deleteMany:
            return try await deleteMany(call)
        case .download:
            return try await DriveDownload.respond(call, name: try call.name(limits))
        case .preflight:
            return JSONResponse.preflight
        }
    }

    private func list(_ call: DriveCall) async throws -> Response {
        var request = ListRequest(prefix: call.query.nonEmpty("prefix") ?? "", last: call.query.nonEmpty("last"))
        if let text = call.query.nonEmpty("limit") {
            guard let limit = Int(text), limit > 0 else { throw DriveError(DriveError.badRequest, "limit must be a positive number") }
            request.limit = min(limit, limits.maxNamesPerRequest)
        }
        request.recursive = call.query["recursive"]?.lowercased() != "false"
        let page = try await call.store.list(drive: call.drive, request)
        var body = JSONObject()
        if let last = page.last { body["paging"] = ["size": .number(JSONNumber(page.names.count)), "last": .string(last)] }
        body["names"] = .array(page.names.map(JSONValue.string))
        return JSONResponse.value(.ok, .object(body))
    }

    private func deleteMany(_ call: DriveCall) async throws -> Response {
        var request = call.request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 4 << 20)
        } catch is NIOTooManyBytesError {
            throw DriveError(DriveError.badRequest, "The body is too large")
        }
        guard case .array(let values)? = try JSONParser.parse(Array(buffer.readableBytesView)).objectValue?["names"],
            let names = Optional(values.compactMap(\.stringValue)), names.count == values.count
        else { throw DriveError(DriveError.badRequest, "Body must be an object with a \"names\" list of strings") }
        guard names.count <= limits.maxNamesPerRequest else {
            throw DriveError(DriveError.badRequest, "Too many names: at most \(limits.maxNamesPerRequest) per request")
        }
        let result = try await call.store.delete(drive: call.drive, names: names)
        let failed = JSONObject(result.failed.map { (key: $0.name, value: JSONValue.string($0.reason)) })
        return JSONResponse.value(.ok, ["deleted": .array(result.deleted.map(JSONValue.string)), "failed": .object(failed)])
    }

    /// Deta's 413 for an over-long body is an HTML page.
    static var tooLarge: Response {
        Response(
            status: .contentTooLarge, headers: [.contentType: "text/html", .accessControlAllowOrigin: "*"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "<h1> 413 - Request Entity Too Large </h1>")))
    }
}

/// One Drive request with what its handlers need.
struct DriveCall {
    let store: DriveStore
    let drive: String
    let query: FormQuery
    let request: Request
    /// The members every success body repeats.
    let echo: KeyValuePairs<String, JSONValue>
    let logger: Logger

    /// The `name` query parameter, checked.
    func name(_ limits: DriveLimits) throws -> String {
        guard let name = query["name"] else { throw DriveError(DriveError.badRequest, "The name parameter is missing") }
        try DriveName.validate(name, maxBytes: limits.maxNameBytes)
        return name
    }

    var contentType: String? { request.headers[.contentType] }

    /// Streams the request body into `writer`, refusing a declared length over its limit first.
    func stream(into writer: BlobWriter) async throws {
        if let declared = request.headers[.contentLength].flatMap({ Int64($0) }), declared > writer.limitBytes {
            throw writer.limitError
        }
        for try await buffer in request.body {
            try buffer.withUnsafeReadableBytes { try writer.append($0) }
        }
    }

    func reply(_ status: HTTPResponse.Status, _ members: KeyValuePairs<String, JSONValue>) -> Response {
        JSONResponse.value(status, .object(JSONObject((Array(members) + Array(echo)).map { (key: $0.key, value: $0.value) })))
    }
}
