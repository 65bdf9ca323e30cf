import NIOCore
import NIOHTTP1
import NIOPosix

/// Opens the upstream connection of a proxy request: vets the target with the policy off the
/// event loop, then connects to the vetted addresses in turn (never resolving again) within the
/// connect timeout. The upstream channel ends in a ``ByteRelay`` that holds its reads until joined.
struct OutboundConnector: Sendable {
    let policy: OutboundPolicy
    let limits: OutboundProxy.Limits

    /// Name resolution blocks a thread for as long as DNS takes; it gets threads of its own so
    /// that slow names never hold up the node's file I/O on the shared pool.
    static let resolverPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// A channel connected to `target` on `eventLoop` (the client connection's, so the two relay
    /// without hops), with an HTTP request encoder in front of its relay when `forwarding`. Fails
    /// with an ``OutboundRefusal``. Futures all the way: nothing waits for Swift's shared executor.
    func open(_ target: ProxyTarget, forwarding: Bool, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        let policy = self.policy
        return Self.resolverPool.runIfActive(eventLoop: eventLoop) { try policy.vet(target).get() }
            .flatMapErrorThrowing { error in
                throw error as? OutboundRefusal ?? OutboundRefusal(status: .badGateway, reason: "cannot resolve \(target.host): \(error)")
            }
            .flatMap { addresses in
                let deadline = NIODeadline.now() + limits.connectTimeout
                return connect(to: addresses[...], of: target, forwarding: forwarding, by: deadline, on: eventLoop, lastError: nil)
            }
    }

    /// Tries `addresses` in turn until one accepts or the deadline passes. With more to try, an
    /// attempt gets its share of the time left (at least 3 s), so a silent first address (say IPv6
    /// without a route out) leaves time for the others.
    private func connect(
        to addresses: ArraySlice<SocketAddress>, of target: ProxyTarget, forwarding: Bool, by deadline: NIODeadline,
        on eventLoop: any EventLoop, lastError: (any Error)?
    ) -> EventLoopFuture<any Channel> {
        let left = deadline - .now()
        guard let address = addresses.first, left > .zero else {
            let error = lastError ?? ChannelError.connectTimeout(limits.connectTimeout)
            return eventLoop.makeFailedFuture(ProxyReply.connectFailed(target, error))
        }
        let share = TimeAmount.nanoseconds(left.nanoseconds / Int64(addresses.count))
        let attempt = min(left, max(share, .seconds(3)))
        return bootstrap(on: eventLoop, forwarding: forwarding).connectTimeout(attempt).connect(to: address).flatMapError { error in
            connect(to: addresses.dropFirst(), of: target, forwarding: forwarding, by: deadline, on: eventLoop, lastError: error)
        }
    }

    private func bootstrap(on eventLoop: any EventLoop, forwarding: Bool) -> ClientBootstrap {
        let idle = limits.idleTimeout
        return ClientBootstrap(group: eventLoop)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try OutboundProxy.addIdleClose(to: pipeline, after: idle)
                    if forwarding { try pipeline.addHandler(HTTPRequestEncoder()) }
                    try pipeline.addHandler(ByteRelay(onPartnerEOF: .halfClose))
                }
            }
    }
}
