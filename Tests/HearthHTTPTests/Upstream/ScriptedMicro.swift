import NIOCore
import NIOPosix
import Synchronization

/// A micro for pool tests: a real HTTP/1.1 listener on 127.0.0.1 that answers each request
/// with scripted raw bytes, and counts what it saw.
final class ScriptedMicro: Sendable {
    /// What to do for one request, in order.
    enum Step: Sendable {
        /// Write these bytes.
        case send(String)
        /// Write this many bytes of body (`a`…`z` repeating, see `pattern`), as fast as the socket takes them.
        case body(Int)
        /// Close the connection.
        case close
    }

    struct Seen {
        var connections = 0
        var closedConnections = 0
        var requests: [String] = []
        var bodyBytesWritten = 0
    }

    /// `a`…`z` repeated over 128 KiB: byte `i` of a `.body` is `pattern[i % 26]`, so any run of
    /// up to 128 KiB of it starting at `i` equals the slice of `pattern` at `i % 26`.
    static let pattern = ByteBuffer(bytes: (0..<(26 * 5042)).map { UInt8(97 + $0 % 26) })

    let port: Int
    private let channel: any Channel
    private let seen: Mutex<Seen>

    private init(channel: any Channel) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.seen = Mutex(Seen())
    }

    var stats: Seen { seen.withLock { $0 } }

    /// Starts a micro that answers each request (its head and body, as text) with `respond`'s steps.
    static func start(_ respond: @escaping @Sendable (String) -> [Step]) async throws -> ScriptedMicro {
        let micro = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Connection(micro: micro.value!, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let started = ScriptedMicro(channel: channel)
        micro.value = started
        return started
    }

    /// Answers every request with `200 OK` and `body`, keeping the connection open.
    static func ok(_ body: String = "ok") async throws -> ScriptedMicro {
        try await start { _ in [.send("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")] }
    }

    func stop() async throws {
        try await channel.close()
    }

    private final class Box: @unchecked Sendable {
        var value: ScriptedMicro?
    }

    /// One accepted connection: reads a request (head, and a body of `Content-Length`), plays
    /// its steps, then reads the next.
    private final class Connection: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let micro: ScriptedMicro
        let respond: @Sendable (String) -> [Step]
        var received = ByteBuffer()
        var steps: ArraySlice<Step> = []
        var bodyLeft = 0

        init(micro: ScriptedMicro, respond: @escaping @Sendable (String) -> [Step]) {
            self.micro = micro
            self.respond = respond
        }

        func channelActive(context: ChannelHandlerContext) {
            micro.seen.withLock { $0.connections += 1 }
        }

        func channelInactive(context: ChannelHandlerContext) {
            micro.seen.withLock { $0.closedConnections += 1 }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            received.writeBuffer(&bytes)
            while steps.isEmpty, bodyLeft == 0, let request = nextRequest() {
                micro.seen.withLock { $0.requests.append(request) }
                steps = respond(request)[...]
                play(context)
            }
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if context.channel.isWritable { play(context) }
        }

        private func nextRequest() -> String? {
            let text = String(buffer: received)
            guard let end = text.range(of: "\r\n\r\n") else { return nil }
            let head = text[..<end.upperBound]
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let total = head.utf8.count + length
            guard received.readableBytes >= total else { return nil }
            return received.readString(length: total)
        }

        private func play(_ context: ChannelHandlerContext) {
            while context.channel.isWritable || bodyLeft == 0, let step = steps.first {
                switch step {
                case .send(let text):
                    steps.removeFirst()
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
                case .body(let count):
                    if bodyLeft == 0 { bodyLeft = count }
                    let chunk = min(bodyLeft, 26 * 2520)  // whole rounds of the pattern
                    let buffer = ScriptedMicro.pattern.getSlice(at: 0, length: chunk)!
                    bodyLeft -= chunk
                    micro.seen.withLock { $0.bodyBytesWritten += chunk }
                    if bodyLeft == 0 { steps.removeFirst() }
                    context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
                case .close:
                    steps.removeFirst()
                    context.close(promise: nil)
                    return
                }
            }
        }
    }
}
