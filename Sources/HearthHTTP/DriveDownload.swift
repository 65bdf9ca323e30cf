import Foundation
import HTTPTypes
import HearthDrive
import Hummingbird
import Logging
import NIOCore

/// `GET /files/download` (spec §2.3.6): the file's content, whole or one byte range, streamed
/// a batch at a time while the next batch is decrypted.
enum DriveDownload {
    /// Bytes decrypted and sent per write.
    static let batch = 1 << 20

    static func respond(_ call: DriveCall, name: String) async throws -> Response {
        guard let file = try await call.store.open(drive: call.drive, name: name) else {
            throw DriveError(DriveError.fileNotFound, "File not found")
        }
        let info = file.info
        var headers: HTTPFields = [
            .contentType: info.contentType, .acceptRanges: "bytes", .eTag: "\"\(info.sha256)\"",
            .lastModified: httpDate(info.modified), .accessControlAllowOrigin: "*",
            .accessControlExposeHeaders: "Content-Length, Content-Range, Accept-Ranges, ETag",
        ]
        let status: HTTPResponse.Status, lower: Int64, upper: Int64
        switch ByteRange(header: call.request.headers[.range], size: info.size) {
        case .whole:
            (status, lower, upper) = (.ok, 0, info.size - 1)
        case .part(let first, let last):
            (status, lower, upper) = (.partialContent, first, last)
            headers[.contentRange] = "bytes \(first)-\(last)/\(info.size)"
        case .unsatisfiable:
            var response = JSONResponse.errors(.rangeNotSatisfiable, "Range not satisfiable")
            response.headers[.contentRange] = "bytes */\(info.size)"
            return response
        }
        let length = upper - lower + 1
        headers[.contentLength] = String(length)
        if call.request.method == .head { return Response(status: status, headers: headers) }
        // The first batch is read before answering, so damage there is a clean error response.
        let first = try file.read(offset: lower, count: Int(min(length, Int64(batch))))
        let logger = call.logger, drive = call.drive
        let body = ResponseBody(contentLength: Int(length)) { writer in
            var offset = lower + Int64(first.count)
            var pending = ByteBuffer(bytes: first)
            do {
                while offset <= upper {
                    let start = offset, count = Int(min(upper + 1 - offset, Int64(batch)))
                    let next = Task { try file.read(offset: start, count: count) }
                    try await writer.write(pending)
                    pending = ByteBuffer(bytes: try await next.value)
                    offset += Int64(count)
                }
                try await writer.write(pending)
            } catch let error as DriveError {
                logger.error("Download stopped", metadata: ["code": "\(error.code)", "drive": "\(drive)"])
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// An IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = [CChar](repeating: 0, count: 40)
        let count = strftime(&text, text.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: text.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
