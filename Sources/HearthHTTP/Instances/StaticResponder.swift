import Foundation
import HearthRuntime
import Hummingbird
import NIOCore

/// Serves a static micro's files from the node itself: no process, validators for caching,
/// small files answered from one read, large ones streamed.
struct StaticResponder: Sendable {
    let files = FileIO(threadPool: .singleton)
    /// Files up to this size are read whole; larger ones stream.
    static let wholeFileLimit = 256 * 1024

    func respond(_ site: StaticSite, path: String, query: String?, request: Request, context: some RequestContext) async -> Response {
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
        }
        switch site.resolve(path) {
        case .redirect(let location):
            let target = query.map { "\(location)?\($0)" } ?? location
            return Response(status: .movedPermanently, headers: [.location: target])
        case .file(let url, let contentType):
            return await serve(url, status: .ok, contentType: contentType, request: request, context: context)
        case .notFound(let page):
            guard let page else {
                return InstancePages.page(.notFound, title: "Not found", message: "There is no \(path) here.")
            }
            return await serve(page, status: .notFound, contentType: "text/html; charset=utf-8", request: request, context: context)
        }
    }

    private func serve(
        _ url: URL, status: HTTPResponse.Status, contentType: String, request: Request, context: some RequestContext
    )
        async -> Response
    {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            return InstancePages.page(.notFound, title: "Not found", message: "That file is gone.")
        }
        let size = Int(info.st_size)
        let tag = "\"\(String(size, radix: 16))-\(String(info.st_mtim.tv_sec, radix: 16))\(String(info.st_mtim.tv_nsec, radix: 16))\""
        var headers: HTTPFields = [
            .contentType: contentType, .eTag: tag, .cacheControl: "no-cache", .contentLength: String(size),
            .lastModified: HTTPDate.format(info.st_mtim.tv_sec),
        ]
        if status == .ok, Self.noneMatch(request.headers[values: .ifNoneMatch], names: tag) {
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        if request.method == .head || size == 0 {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        if size <= Self.wholeFileLimit, let data = FileManager.default.contents(atPath: url.path) {
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        do {
            let body = try await files.loadFile(path: url.path, context: context)
            return Response(status: status, headers: headers, body: body)
        } catch {
            return InstancePages.page(.notFound, title: "Not found", message: "That file is gone.")
        }
    }
}

extension StaticResponder {
    /// Whether `If-None-Match` values name `tag`: `*`, or a comma-separated list compared
    /// weakly, so `W/"x"` matches `"x"` (RFC 9110 §13.1.2).
    static func noneMatch(_ values: [String], names tag: String) -> Bool {
        for candidate in values.flatMap({ $0.split(separator: ",") }) {
            var value = candidate.trimmingCharacters(in: .whitespaces)[...]
            if value == "*" { return true }
            if value.hasPrefix("W/") { value = value.dropFirst(2) }
            if value == tag { return true }
        }
        return false
    }
}

enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The IMF-fixdate form HTTP uses: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
