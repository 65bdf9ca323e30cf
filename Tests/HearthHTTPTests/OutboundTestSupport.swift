import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

@testable import HearthHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Real sockets around the outbound proxy: the proxy on a listening socket made here, servers
/// for it to reach, and a raw client.
enum OutboundTest {
    static let group = MultiThreadedEventLoopGroup.singleton

    /// Runs `body` with a proxy on a fresh socket listening on 127.0.0.1, given its port.
    static func withProxy<T>(
        allowList: [String] = [], allowed: @escaping @Sendable () -> Bool = { true },
        limits: OutboundProxy.Limits = .init(), _ body: (Int) async throws -> T
    ) async throws -> T {
        let (descriptor, port) = try listeningSocket()
        let proxy = try await OutboundProxy.serve(
            listening: descriptor, app: "notes", policy: try OutboundPolicy(allowList: allowList), limits: limits,
            allowed: allowed, logger: Logger(label: "outbound-test"))
        do {
            let result = try await body(port)
            try await proxy.close()
            return result
        } catch {
            try? await proxy.close()
            throw error
        }
    }

    /// A blocking TCP socket bound to 127.0.0.1 on a free port and listening, as the node hands over.
    static func listeningSocket(backlog: Int32 = 128) throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, backlog) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, ok else { throw IOError(errnoCode: errno, reason: "listening socket") }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A server on 127.0.0.1 answering each connection with `handler`; returns its channel.
    static func server(_ handler: @escaping @Sendable () -> any ChannelHandler, http: Bool = false) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if http { try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false) }
                    try channel.pipeline.syncOperations.addHandler(handler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Connects to the proxy, sends `request`, and returns everything it answers until it closes.
    static func exchange(port: Int, _ request: String) async throws -> String {
        try await connect(port: port).executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var answer = ByteBuffer()
            for try await var chunk in inbound { answer.writeBuffer(&chunk) }
            return String(buffer: answer)
        }
    }

    static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: group)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
    }
}

/// Writes back what it reads; when its input ends, shuts its output once all of it is written.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return }
        context.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

/// Answers each HTTP request with what it received: the request line, the headers, and the body's
/// length and byte sum, then closes as its client asked.
final class DescribingHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var length = 0
    private var sum = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body(let bytes):
            length += bytes.readableBytes
            bytes.withUnsafeReadableBytes { for byte in $0 { sum &+= Int(byte) } }
        case .end:
            guard let head else { return }
            var text = "\(head.method) \(head.uri) \(head.version)\n"
            for (name, value) in head.headers { text += "\(name.lowercased()): \(value)\n" }
            text += "body: \(length) \(sum)\n"
            let headers = HTTPHeaders([("Content-Length", "\(text.utf8.count)"), ("Connection", "close")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// Writes "tick" every 20 ms until a write fails, then closes and succeeds a promise.
final class Ticker: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let closed: EventLoopPromise<Void>

    init(_ closed: EventLoopPromise<Void>) {
        self.closed = closed
    }

    func channelActive(context: ChannelHandlerContext) {
        tick(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed.succeed(())
    }

    private func tick(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: "tick"))).assumeIsolated().whenComplete { result in
            guard case .success = result else { return context.close(promise: nil) }
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(20)) { self.tick(context: context) }
        }
    }
}

extension Channel {
    var port: Int { localAddress?.port ?? 0 }
}
