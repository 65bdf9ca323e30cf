import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` at once, so clients that ask before sending a body (curl does
/// for bodies over 1 MB) start sending without waiting a second for a reply that never comes.
/// Limits are still enforced on the body as it arrives.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), head.headerFields[.expect]?.lowercased() == "100-continue" {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}

extension NodeRouter {
    /// The HTTP/1.1 server every node runs without TLS.
    public static var server: HTTPServerBuilder {
        .http1(additionalChannelHandlers: [ExpectContinueHandler()])
    }

    /// The node's server: with `tls`, HTTPS only, HTTP/2 or HTTP/1.1 as the client chooses
    /// (ALPN), each HTTP/1.1 connection and HTTP/2 stream answering `Expect: 100-continue`;
    /// without, plain HTTP/1.1.
    public static func server(tls: NodeTLS?) throws -> HTTPServerBuilder {
        guard let tls else { return server }
        return try .http2Upgrade(
            tlsConfiguration: tls.serverConfiguration,
            configuration: .init(streamConfiguration: .init(additionalChannelHandlers: [ExpectContinueHandler()])))
    }
}
