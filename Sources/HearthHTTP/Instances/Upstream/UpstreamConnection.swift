import HearthRuntime
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 connection to a micro; its requests go one after another.
final class UpstreamConnection: Sendable {
    let channel: any Channel
    /// The pool's key for it; `nil` outside a pool.
    let key: UpstreamPool.Key?
    private let handler: NIOLoopBound<UpstreamHandler>

    private init(channel: any Channel, key: UpstreamPool.Key?, handler: NIOLoopBound<UpstreamHandler>) {
        self.channel = channel
        self.key = key
        self.handler = handler
    }

    /// Sends `request` and waits for the head of the response (at most `timeout`, which then
    /// also bounds each pause of a streamed body); cancelling the task closes the connection.
    func execute(_ request: UpstreamRequest, timeout: TimeAmount) async throws -> UpstreamResponse {
        let (handler, channel) = (handler, channel)
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { waiter in
                handler.eventLoop.execute { handler.value.start(request, timeout: timeout, waiter) }
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// A new connection to `endpoint` on `eventLoop`: the socket comes from the micro's network
    /// (connecting is a blocking call, made on NIO's thread pool), then joins the event loop.
    static func connect(
        to endpoint: MicroEndpoint, key: UpstreamPool.Key, pool: UpstreamPool, on eventLoop: any EventLoop
    ) async throws(UpstreamError) -> UpstreamConnection {
        do {
            let socket = try await NIOThreadPool.singleton.runIfActive { try endpoint.network.connect(port: endpoint.port) }
            // The client's loop is NIOPosix's on Linux; any other kind gets one of the pool's.
            let bootstrap = ClientBootstrap(validatingGroup: eventLoop) ?? ClientBootstrap(group: pool.group)
            return try await bootstrap.withConnectedSocket(socket) { channel in
                channel.eventLoop.makeCompletedFuture { try Self.setUp(channel, key: key, pool: pool) }
            }
        } catch {
            throw UpstreamError(UpstreamError.connectFailed, "Cannot connect to the micro on port \(endpoint.port)", cause: error)
        }
    }

    /// A connection to `host`:`port` outside any pool (closed after its one exchange), over TLS
    /// with `tls` (the certificate must be for `host`, as a name or an IP address).
    static func connect(host: String, port: Int, tls: NIOSSLContext? = nil) async throws(UpstreamError) -> UpstreamConnection {
        do {
            let serverName = ServerNames.addressBytes(host) == nil ? host : nil
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    return try Self.setUp(channel, key: nil, pool: nil)
                }
            }
        } catch {
            throw UpstreamError(UpstreamError.connectFailed, "Cannot connect to \(host):\(port)", cause: error)
        }
    }

    /// Adds the HTTP/1.1 codec and the exchange handler to a new channel (on its event loop).
    private static func setUp(_ channel: any Channel, key: UpstreamPool.Key?, pool: UpstreamPool?) throws -> UpstreamConnection {
        var framing = HTTPRequestEncoder.Configuration()
        framing.automaticallySetFramingHeaders = false  // UpstreamRequest sets Content-Length
        // The decoder is never removed (no upgrades), so left-over bytes can only be dropped.
        try channel.pipeline.syncOperations.addHTTPClientHandlers(
            leftOverBytesStrategy: .dropBytes, enableOutboundHeaderValidation: false, encoderConfiguration: framing)
        let handler = UpstreamHandler(pool: pool)
        try channel.pipeline.syncOperations.addHandler(handler)
        let connection = UpstreamConnection(channel: channel, key: key, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        handler.connection = connection
        return connection
    }
}
