import Logging
import NIOCore
import NIOHTTP1

/// Acts on the one proxy request of a connection from a sandboxed app: `CONNECT host:port`
/// becomes a tunnel, an absolute-form `http://` request is forwarded in origin form, anything else
/// gets 400. Refusals and failures are answered here, then the connection closes.
///
/// While the upstream connection is being opened, reads stop; request parts that were already
/// decoded wait (at most one read's worth). Once connected, a ``ByteRelay`` after this handler
/// carries the rest: for a tunnel this handler and the HTTP decoder leave the pipeline.
final class ProxyRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPClientRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let decoderName = "outbound-http-decoder"

    private enum State {
        case waiting
        case connecting(ProxyTarget, upstreamHead: HTTPRequestHead?, buffered: [HTTPServerRequestPart])
        case forwarding
        /// Answered, tunnelled, or the request is complete: what the client sends is dropped while
        /// `reading` (the decoder is still parsing), else not read at all (it would pile up in the
        /// decoder, which stops parsing after CONNECT or an upgrade).
        case done(reading: Bool)
    }

    private let app: String
    private let connector: OutboundConnector
    private let allowed: @Sendable () -> Bool
    private let logger: Logger
    private let gate: InputEndGate
    private var state = State.waiting
    private var readPending = false
    /// The decoder stops parsing after this request (it is CONNECT or asks for an upgrade).
    private var decoderStops = false

    init(app: String, connector: OutboundConnector, allowed: @escaping @Sendable () -> Bool, logger: Logger, gate: InputEndGate) {
        self.gate = gate
        self.app = app
        self.connector = connector
        self.allowed = allowed
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch state {
        case .waiting:
            if case .head(let head) = part { start(head, context: context) }
        case .connecting(let target, let head, var buffered):
            guard head != nil else { return }  // a tunnel's request has no body
            buffered.append(part)
            state = .connecting(target, upstreamHead: head, buffered: buffered)
        case .forwarding:
            forward(part, context: context)
        case .done:
            break
        }
    }

    func read(context: ChannelHandlerContext) {
        switch state {
        case .connecting, .done(reading: false): readPending = true
        case .waiting, .forwarding, .done(reading: true): context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .waiting = state, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch (state, error) {
        case (.waiting, is HTTPParserError):
            refuse(OutboundRefusal(status: .badRequest, reason: "malformed request (\(error))"), drain: true, context: context)
        case (.done, is ByteToMessageDecoderError):
            break  // the decoder drops what follows its error
        default:
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .done(reading: false)
        context.fireChannelInactive()
    }

    private func start(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        decoderStops = head.method == .CONNECT || head.headers.contains(name: "upgrade")
        guard allowed() else { return refuse(ProxyReply.outboundOff(app: app), context: context) }
        let target: ProxyTarget?
        var upstreamHead: HTTPRequestHead?
        if head.method == .CONNECT {
            target = ProxyTarget(authority: Substring(head.uri))
        } else if let (absolute, path) = ProxyTarget.absolute(head.uri) {
            target = absolute
            upstreamHead = head.forwarded(to: absolute, path: path)
        } else {
            target = nil
        }
        guard let target else {
            let reason = "not a proxy request: send CONNECT host:port, or an absolute http:// URL"
            return refuse(OutboundRefusal(status: .badRequest, reason: reason), context: context)
        }
        state = .connecting(target, upstreamHead: upstreamHead, buffered: [])
        gate.hold()
        connector.open(target, forwarding: upstreamHead != nil, on: context.eventLoop).assumeIsolated().whenComplete { result in
            self.connected(result, context: context)
        }
    }

    private func connected(_ result: Result<any Channel, any Error>, context: ChannelHandlerContext) {
        guard case .connecting(let target, let upstreamHead, let buffered) = state else {
            if case .success(let upstream) = result { upstream.close(promise: nil) }  // the app went away
            return
        }
        let upstream: any Channel
        let upstreamRelay: ByteRelay
        do {
            upstream = try result.get()
            guard upstream.isActive else { throw OutboundRefusal(status: .badGateway, reason: "\(target) closed the connection") }
            upstreamRelay = try upstream.pipeline.syncOperations.handler(type: ByteRelay.self)
        } catch {
            let refusal = error as? OutboundRefusal ?? OutboundRefusal(status: .badGateway, reason: "\(error)")
            return refuse(refusal, target: target, context: context)
        }
        logger.debug(
            "Outbound connection", metadata: ["target": "\(target)", "address": "\(upstream.remoteAddress.map { "\($0)" } ?? "?")"])
        let pipeline = context.pipeline.syncOperations
        let relay = ByteRelay(onPartnerEOF: upstreamHead == nil ? .halfClose : .close)
        do {
            try pipeline.addHandler(relay, position: .after(self))
        } catch {
            upstream.close(promise: nil)
            return context.close(promise: nil)
        }
        ByteRelay.join(relay, upstreamRelay)
        if let upstreamHead {
            state = .forwarding
            context.fireChannelRead(wrapInboundOut(.head(upstreamHead)))
            for part in buffered { forward(part, context: context) }
            context.fireChannelReadComplete()
        } else {
            state = .done(reading: false)
            context.writeAndFlush(wrapOutboundOut(ProxyReply.established), promise: nil)
        }
        let channel = context.channel
        if upstreamHead == nil {
            // Bytes the client sent after CONNECT, still in the decoder, go to the relay.
            pipeline.removeHandler(context: context, promise: nil)
            let removed = channel.eventLoop.makePromise(of: Void.self)
            pipeline.removeHandler(name: Self.decoderName, promise: removed)
            removed.futureResult.assumeIsolated().whenComplete { [gate] _ in
                pipeline.fireChannelReadComplete()
                gate.release()
            }
        } else {
            gate.release()
        }
        if readPending { channel.read() }
    }

    /// Passes a part of the request on to the relay, as sent upstream; what follows it is dropped.
    private func forward(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        guard case .forwarding = state else { return }
        switch part {
        case .head: break
        case .body(let bytes): context.fireChannelRead(wrapInboundOut(.body(.byteBuffer(bytes))))
        case .end(let trailers):
            context.fireChannelRead(wrapInboundOut(.end(trailers)))
            state = .done(reading: !decoderStops)
        }
    }

    /// Answers with `refusal` and closes once the answer is out. When the decoder can `drain` the
    /// rest of the request, it is read and dropped and only output is shut (the client closes), so
    /// a client still sending sees the answer rather than a reset.
    private func refuse(_ refusal: OutboundRefusal, target: ProxyTarget? = nil, drain: Bool? = nil, context: ChannelHandlerContext) {
        logger.notice(
            "Outbound request refused",
            metadata: ["status": "\(refusal.status.code)", "reason": "\(refusal.reason)", "target": "\(target.map { "\($0)" } ?? "-")"])
        let drain = drain ?? !decoderStops
        state = .done(reading: drain)
        gate.release()
        if drain && readPending { context.read() }
        context.writeAndFlush(wrapOutboundOut(ProxyReply.error(refusal.status, refusal.reason))).assumeIsolated().whenComplete { _ in
            context.close(mode: drain ? .output : .all, promise: nil)
        }
    }
}
