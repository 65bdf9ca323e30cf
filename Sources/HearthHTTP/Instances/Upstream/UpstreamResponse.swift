import NIOCore
import NIOHTTP1

/// A micro's answer: its head, and its body whole or streaming.
struct UpstreamResponse: Sendable {
    let head: HTTPResponseHead
    let body: Body

    enum Body: Sendable {
        /// The whole body came with the head (`nil`: empty); the connection is free again.
        case complete(ByteBuffer?)
        /// The bytes that came with the head, then the rest as the micro sends it. The sequence
        /// throws if the micro stops short; dropping it closes the connection.
        case streaming(ByteBuffer?, UpstreamBody)
    }

    /// The body up to `limit` bytes (the rest is not read; the connection is then closed).
    func collect(upTo limit: Int) async throws -> ByteBuffer {
        switch body {
        case .complete(let buffer):
            return buffer ?? ByteBuffer()
        case .streaming(let first, let rest):
            var collected = first ?? ByteBuffer()
            for try await chunk in rest {
                collected.writeImmutableBuffer(chunk)
                if collected.readableBytes >= limit { break }
            }
            return collected
        }
    }
}

/// The rest of a streamed body; reading from the micro pauses while more than a few chunks
/// wait here (the client reads slower than the micro writes).
typealias UpstreamBody = NIOThrowingAsyncSequenceProducer<
    ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, UpstreamBodyDemand
>

/// Tells the connection's handler, on its event loop, that the body's reader wants more or is gone.
struct UpstreamBodyDemand: NIOAsyncSequenceProducerDelegate {
    let handler: NIOLoopBound<UpstreamHandler>
    /// Which exchange of the connection the body belongs to (a late signal must not touch the next one).
    let exchange: Int

    func produceMore() {
        let (handler, exchange) = (handler, exchange)
        handler.eventLoop.execute { handler.value.resumeReading(exchange: exchange) }
    }

    func didTerminate() {
        let (handler, exchange) = (handler, exchange)
        handler.eventLoop.execute { handler.value.readerIsGone(exchange: exchange) }
    }
}
