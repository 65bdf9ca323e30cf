import NIOCore
import NIOHTTP1

/// Runs one exchange at a time on an upstream connection, on its event loop: writes the
/// request, hands the caller the head with the body bytes that came with it, and streams the
/// rest with backpressure (reads stop while the body's reader is behind). When a response has
/// been read to its end the connection goes back to the pool, or closes if it may not be reused.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart
    typealias Waiter = UnsafeContinuation<UpstreamResponse, any Error>

    private enum State {
        /// Between exchanges; anything the micro sends now is a protocol error.
        case idle
        /// The request is sent; the caller waits for the head.
        case waiting(Waiter)
        /// The head is here; its body is gathered until the read ends (or, for a small body of
        /// known length, until it is complete, so it goes out in one write).
        case gathering(Waiter, HTTPResponseHead)
        /// The caller has the head; the rest of the body goes through `source`.
        case streaming(UpstreamBody.Source, keepAlive: Bool)
        case closed
    }

    /// Bodies of at most this many bytes, with a `Content-Length`, are passed on whole.
    static let wholeBodyLimit = 64 * 1024

    /// Receives the connection when it is free again, and learns when an idle one closes;
    /// without one, the connection closes after its exchange.
    let pool: UpstreamPool?
    /// Set once the channel is up; dropped on close.
    var connection: UpstreamConnection?
    private var state = State.idle
    private var gathered: ByteBuffer?
    private var exchange = 0
    private var context: ChannelHandlerContext?
    /// The body's reader is behind: reads wait until it asks for more.
    private var paused = false
    private var readHeld = false
    private var failure: (any Error)?
    /// The exchange must progress by then (`nil`: no limit, between exchanges or while paused).
    private var deadline: NIODeadline?
    private var timeout = TimeAmount.zero
    /// Fires at or before `deadline`; re-armed lazily, so exchanges rarely schedule a timer.
    private var timer: Scheduled<Void>?

    init(pool: UpstreamPool?) {
        self.pool = pool
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends `request`; `waiter` gets the response head, or an error.
    func start(_ request: UpstreamRequest, timeout: TimeAmount, _ waiter: Waiter) {
        guard case .idle = state, let context, context.channel.isActive else {
            waiter.resume(throwing: UpstreamError(UpstreamError.closed, "The connection closed before the request was sent"))
            return
        }
        exchange += 1
        state = .waiting(waiter)
        self.timeout = timeout
        extendDeadline(context)
        let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target, headers: request.headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = request.body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .waiting(let waiter)):
            state = .gathering(waiter, head)
        case (.body(let part), .gathering):
            if gathered == nil {
                gathered = part
            } else {
                gathered!.writeImmutableBuffer(part)
            }
        case (.body(let part), .streaming(let source, _)):
            extendDeadline(context)
            if source.yield(part) == .stopProducing {
                paused = true
                deadline = nil
            }
        case (.end, .gathering(let waiter, let head)):
            let body = gathered
            gathered = nil
            finishExchange(context, keepAlive: head.isKeepAlive)
            waiter.resume(returning: UpstreamResponse(head: head, body: .complete(body)))
        case (.end, .streaming(let source, let keepAlive)):
            source.finish()
            finishExchange(context, keepAlive: keepAlive)
        default:
            // A response nobody asked for, or a head in the middle of a body.
            failure = UpstreamError(UpstreamError.badResponse, "The micro sent a response out of turn")
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .gathering(let waiter, let head) = state, !Self.comesWhole(head) { startStreaming(waiter, head, failing: nil) }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if paused {
            readHeld = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let wasIdle = if case .idle = state { true } else { false }
        fail(closing: false)
        if wasIdle, let connection { pool?.closed(connection) }
        connection = nil
        timer?.cancel()
        context.fireChannelInactive()
    }

    /// The body's reader wants more: reads resume.
    func resumeReading(exchange: Int) {
        guard exchange == self.exchange, paused, let context else { return }
        paused = false
        extendDeadline(context)
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    /// The body's reader stopped before the end (the client went away): the rest of the body
    /// would have to be read and dropped, so the connection closes instead.
    func readerIsGone(exchange: Int) {
        guard exchange == self.exchange, case .streaming = state else { return }
        context?.close(promise: nil)
    }

    /// Whether the caller waits for the whole body: no body (HEAD, 1xx, 204, 304 are decoded as
    /// ending right after the head), or a small one of known length.
    private static func comesWhole(_ head: HTTPResponseHead) -> Bool {
        guard let length = head.headers.first(name: "content-length").flatMap({ Int($0) }) else { return false }
        return length <= wholeBodyLimit
    }

    /// Gives the caller the head and the body so far; the rest streams (or, with `failing`, the
    /// body ends there with that error: the client gets what was sent, then the connection closes).
    private func startStreaming(_ waiter: Waiter, _ head: HTTPResponseHead, failing error: (any Error)?) {
        let body = UpstreamBody.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: true,
            delegate: UpstreamBodyDemand(handler: NIOLoopBound(self, eventLoop: context!.eventLoop), exchange: exchange))
        if let error {
            body.source.finish(error)
            state = .closed
        } else {
            state = .streaming(body.source, keepAlive: head.isKeepAlive)
        }
        let first = gathered
        gathered = nil
        waiter.resume(returning: UpstreamResponse(head: head, body: .streaming(first, body.sequence)))
    }

    private func finishExchange(_ context: ChannelHandlerContext, keepAlive: Bool) {
        deadline = nil
        paused = false
        if readHeld {
            readHeld = false
            context.read()
        }
        if keepAlive, let connection, let pool {
            state = .idle
            pool.release(connection)
        } else {
            state = .closed
            context.close(promise: nil)
        }
    }

    /// Ends the current exchange with an error (the connection closed, broke, or timed out).
    private func fail(closing: Bool) {
        let state = self.state
        self.state = .closed
        deadline = nil
        switch state {
        case .waiting(let waiter):
            waiter.resume(throwing: error(headSeen: false))
        case .gathering(let waiter, let head):
            startStreaming(waiter, head, failing: error(headSeen: true))
        case .streaming(let source, _):
            source.finish(error(headSeen: true))
        case .idle, .closed:
            break
        }
        if closing { context?.close(promise: nil) }
    }

    private func error(headSeen: Bool) -> UpstreamError {
        switch failure {
        case let error as UpstreamError:
            return error
        case let error as HTTPParserError:
            return UpstreamError(UpstreamError.badResponse, "The micro's response is not valid HTTP", cause: error)
        case let error:
            let message = headSeen ? "The micro closed the connection before the end of its response" : "The micro closed the connection"
            return UpstreamError(UpstreamError.closed, message, cause: error)
        }
    }

    /// The exchange must progress within the timeout from now.
    private func extendDeadline(_ context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + timeout
        self.deadline = deadline
        if timer == nil { arm(context, at: deadline) }
    }

    private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { self.timerFired() }
    }

    private func timerFired() {
        timer = nil
        guard let deadline, let context else { return }
        if deadline > .now() { return arm(context, at: deadline) }
        let what = if case .streaming = state { "sent nothing more of its response" } else { "did not answer" }
        failure = UpstreamError(UpstreamError.timedOut, "The micro \(what) within the request timeout")
        fail(closing: true)
    }
}
