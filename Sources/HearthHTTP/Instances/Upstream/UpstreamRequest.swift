import NIOCore
import NIOHTTP1

/// One request to a micro, body included (the proxy reads the client's body whole first, so a
/// request can be sent again).
struct UpstreamRequest: Sendable {
    var method: HTTPMethod
    /// The path and query.
    var target: String
    var headers: HTTPHeaders
    /// `nil`: no body and no `Content-Length`.
    var body: ByteBuffer?

    /// Sets `Content-Length` for `body`: the only framing header the pool's encoder sends.
    init(method: HTTPMethod, target: String, headers: HTTPHeaders, body: ByteBuffer?) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        if let body { self.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
    }

    /// Whether sending it twice means the same as once (RFC 9110 §9.2.2; POST and PATCH are not).
    var isIdempotent: Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .PUT, .DELETE: true
        default: false
        }
    }
}
