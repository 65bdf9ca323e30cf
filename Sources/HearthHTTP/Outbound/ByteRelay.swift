import NIOCore

/// One end of a pipe between two channels on the same event loop: what its channel reads is
/// written to the partner's channel, and it stops reading while the partner cannot take more
/// (so nothing is buffered beyond one read). The end of one side's input half-closes or closes
/// the other side once its writes are out; either side closing closes the other the same way.
///
/// Messages pass through unchanged, so the partner's pipeline decides what they are (bytes, or
/// HTTP request parts for an encoder in front of it).
final class ByteRelay: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    /// What this side does when its partner's input ends.
    enum OnPartnerEOF {
        /// Shuts down its own output (a CONNECT tunnel passes half-closes through).
        case halfClose
        /// Closes its channel (the response to a forwarded request is complete).
        case close
    }

    private let onPartnerEOF: OnPartnerEOF
    private var partner: ByteRelay?
    private var context: ChannelHandlerContext?
    private var readPending = false
    private var lastWrite: EventLoopFuture<Void>?

    init(onPartnerEOF: OnPartnerEOF) {
        self.onPartnerEOF = onPartnerEOF
    }

    /// Joins two relays (both in pipelines, on the same event loop) and lets reads flow.
    static func join(_ a: ByteRelay, _ b: ByteRelay) {
        a.partner = b
        b.partner = a
        a.resumeIfPossible()
        b.resumeIfPossible()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.send(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        partner?.resumeIfPossible()
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            partner?.finish(onPartnerEOF: true)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let partner = self.partner
        self.partner = nil
        partner?.partner = nil
        partner?.finish(onPartnerEOF: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.context?.channel.isWritable == true {
            context.read()
        } else {
            readPending = true
        }
    }

    /// Writes what the partner read to this side's channel.
    private func send(_ data: NIOAny) {
        guard let context else { return }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.write(data, promise: promise)
        lastWrite = promise.futureResult
    }

    private func resumeIfPossible() {
        guard readPending, let context, partner?.context?.channel.isWritable == true else { return }
        readPending = false
        context.read()
    }

    /// The partner's input ended (or it closed): once this side's writes are out, shut its output
    /// (tunnels, on EOF) or close it. Closing right away would drop writes still buffered.
    private func finish(onPartnerEOF isEOF: Bool) {
        guard let context else { return }
        context.flush()
        let halfClose = isEOF && onPartnerEOF == .halfClose
        let close = {
            context.close(mode: halfClose ? .output : .all, promise: nil)
        }
        if let lastWrite { lastWrite.assumeIsolated().whenComplete { _ in close() } } else { close() }
    }
}
