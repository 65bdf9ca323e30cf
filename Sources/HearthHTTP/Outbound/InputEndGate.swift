import NIOCore

/// Holds back the end of a client's input while its request is being connected, in front of the
/// HTTP decoder: a decoder that sees the end drops the bytes it holds after a CONNECT (a client may
/// send them, and its FIN, before the tunnel is up), and the relay that passes the end on is not
/// in place yet. ``ProxyRequestHandler`` holds and releases it.
final class InputEndGate: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private var context: ChannelHandlerContext?
    private var holding = false
    private var held = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if holding, case ChannelEvent.inputClosed = event {
            held = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// From now on, the end of input waits for ``release()``.
    func hold() {
        holding = true
    }

    /// Passes on the end of input if it came meanwhile, and lets it through from now on.
    func release() {
        holding = false
        if held {
            held = false
            context?.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
    }
}
