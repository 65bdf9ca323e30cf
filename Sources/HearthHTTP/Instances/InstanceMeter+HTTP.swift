import HearthRuntime
import Hummingbird

/// Counting an instance host's exchanges: the request, and the bytes of both bodies as they
/// pass, whoever serves them (static files, a micro, the browser's Base and Drive proxy).
extension InstanceMeter {
    /// `request`, counted, with its body's bytes counted as they are read.
    func counting(_ request: Request) -> Request {
        countRequest()
        guard request.headers[.contentLength].map({ $0 != "0" }) ?? (request.headers[.transferEncoding] != nil) else {
            return request
        }
        var request = request
        request.body = RequestBody(
            asyncSequence: request.body.map { buffer in
                self.countBytesIn(buffer.readableBytes)
                return buffer
            })
        return request
    }

    /// `response` with its body's bytes counted as they are written.
    func counting(_ response: Response) -> Response {
        guard response.body.contentLength != 0 else { return response }
        var response = response
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(
                writer.map { buffer in
                    self.countBytesOut(buffer.readableBytes)
                    return buffer
                })
        }
        return response
    }
}
