import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP proxy through which a sandboxed instance reaches the internet (RFC 9110 §9.3.6).
///
/// It accepts on a socket listening inside the instance's network namespace, and connects out from
/// the node's own network. One request per connection: `CONNECT host:port` opens a tunnel (what
/// clients use for `https://`), an absolute-form `http://` request is forwarded and its response
/// relayed until the server closes. Destinations are vetted by an ``OutboundPolicy``.
public enum OutboundProxy {
    /// How long connecting may take, how long a connection may stay silent both ways, and how
    /// many client connections may be open at once (each open tunnel holds two of the node's
    /// file descriptors; further clients get 503).
    public struct Limits: Sendable, Equatable {
        public var connectTimeout: TimeAmount
        public var idleTimeout: TimeAmount
        public var connections: Int

        public init(connectTimeout: TimeAmount = .seconds(10), idleTimeout: TimeAmount = .minutes(5), connections: Int = 256) {
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.connections = connections
        }
    }

    /// Serves the proxy on `descriptor`, a socket already bound and listening (it now belongs to
    /// the returned channel; closing that channel stops the proxy, open connections run on).
    ///
    /// - Parameters:
    ///   - app: the instance's name, for the answer when outbound connections are turned off.
    ///   - allowed: asked at each request whether the instance may reach the internet now.
    public static func serve(
        listening descriptor: Int32, app: String, policy: OutboundPolicy, limits: Limits = Limits(),
        allowed: @escaping @Sendable () -> Bool, logger: Logger
    ) async throws -> any Channel {
        let connector = OutboundConnector(policy: policy, limits: limits)
        let slots = ConnectionSlots(limit: limits.connections)
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = 16 * 1024
        decoderLimits.maxHeaderListSize = 64 * 1024
        decoderLimits.maxHeaderFieldCount = 256
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try addIdleClose(to: pipeline, after: limits.idleTimeout)
                    guard slots.take() else {
                        logger.notice("Outbound connection turned away", metadata: ["open": "\(limits.connections)"])
                        return try pipeline.addHandler(TurnAway(open: limits.connections))
                    }
                    channel.closeFuture.whenComplete { _ in slots.give() }
                    let gate = InputEndGate()
                    try pipeline.addHandler(gate)
                    let decoder = HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes, limitConfiguration: decoderLimits)
                    try pipeline.addHandler(ByteToMessageHandler(decoder), name: ProxyRequestHandler.decoderName)
                    try pipeline.addHandler(
                        ProxyRequestHandler(app: app, connector: connector, allowed: allowed, logger: logger, gate: gate))
                }
            }
            .withBoundSocket(descriptor)
            .get()
    }

    /// Closes a channel after `timeout` without reads or writes.
    static func addIdleClose(to pipeline: ChannelPipeline.SynchronousOperations, after timeout: TimeAmount) throws {
        try pipeline.addHandler(IdleStateHandler(allTimeout: timeout))
        try pipeline.addHandler(CloseOnIdle())
    }

    private final class CloseOnIdle: ChannelInboundHandler {
        typealias InboundIn = NIOAny

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is IdleStateHandler.IdleStateEvent {
                context.close(promise: nil)
            } else {
                context.fireUserInboundEventTriggered(event)
            }
        }
    }

    /// Answers a connection over the limit with 503, drops what it sends, and closes.
    private final class TurnAway: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let open: Int

        init(open: Int) {
            self.open = open
        }

        func channelActive(context: ChannelHandlerContext) {
            let reply = ProxyReply.error(.serviceUnavailable, "too many open outbound connections (\(open)); try again later")
            context.writeAndFlush(wrapOutboundOut(reply)).assumeIsolated().whenComplete { _ in context.close(mode: .output, promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    }
}
