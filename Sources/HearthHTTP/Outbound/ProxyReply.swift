import Foundation
import NIOCore
import NIOHTTP1

/// The proxy's own short answers: a status line, a plain-text reason, and the connection closed.
enum ProxyReply {
    static let established = ByteBuffer(string: "HTTP/1.1 200 Connection Established\r\n\r\n")

    /// A complete response with `message` as its body.
    static func error(_ status: HTTPResponseStatus, _ message: String) -> ByteBuffer {
        let body = message + "\n"
        return ByteBuffer(
            string: "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nProxy-Connection: close\r\n\r\n\(body)")
    }

    /// The answer when the instance may not reach the internet.
    static func outboundOff(app: String) -> OutboundRefusal {
        OutboundRefusal(
            status: .forbidden,
            reason: "Outbound connections are turned off for this app. Its owner can turn them on with: "
                + "hearth app limits \(app) --outbound on")
    }

    /// The answer for a failed connection to a vetted address: 504 for a timeout, else 502.
    static func connectFailed(_ target: ProxyTarget, _ error: any Error) -> OutboundRefusal {
        if case ChannelError.connectTimeout = error {
            return OutboundRefusal(status: .gatewayTimeout, reason: "connecting to \(target) timed out")
        }
        let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)).lowercased() } ?? "\(error)"
        return OutboundRefusal(status: .badGateway, reason: "cannot connect to \(target): \(reason)")
    }
}
