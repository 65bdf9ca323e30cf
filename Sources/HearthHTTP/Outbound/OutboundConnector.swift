import NIOCore
import NIOHTTP1
import NIOPosix

/// Opens the upstream connection of a proxy request: vets the target with the policy off the
/// event loop, then connects to the vetted addresses in turn (never resolving again) within the
/// connect timeout. The upstream channel ends in a ``ByteRelay`` that holds its reads until joined.
struct OutboundConnector: Sendable {
    let policy: OutboundPolicy
    let timeouts: OutboundProxy.Timeouts

    /// Name resolution blocks a thread for as long as DNS takes; it gets threads of its own so
    /// that slow names never hold up the node's file I/O on the shared pool.
    static let resolverPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// A channel connected to `target` on `eventLoop` (the client connection's, so the two relay
    /// without hops), with an HTTP request encoder in front of its relay when `forwarding`.
    /// Throws an ``OutboundRefusal``.
    func open(_ target: ProxyTarget, forwarding: Bool, on eventLoop: any EventLoop) async throws -> any Channel {
        let addresses: [SocketAddress]
        do {
            addresses = try await Self.resolverPool.runIfActive { [policy] in policy.vet(target) }.get()
        } catch let refusal as OutboundRefusal {
            throw refusal
        } catch {
            throw OutboundRefusal(status: .badGateway, reason: "cannot resolve \(target.host): \(error)")
        }
        let deadline = NIODeadline.now() + timeouts.connect
        var lastError: any Error = ChannelError.connectTimeout(timeouts.connect)
        for address in addresses {
            let left = deadline - .now()
            guard left > .zero else { break }
            do {
                return try await bootstrap(on: eventLoop, forwarding: forwarding).connectTimeout(left).connect(to: address).get()
            } catch {
                lastError = error
            }
        }
        throw ProxyReply.connectFailed(target, lastError)
    }

    private func bootstrap(on eventLoop: any EventLoop, forwarding: Bool) -> ClientBootstrap {
        let idle = timeouts.idle
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
