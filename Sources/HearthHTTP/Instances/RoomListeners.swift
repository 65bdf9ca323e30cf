import HearthRuntime
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Serves what the node offers inside each sandboxed instance's network: the room router (the
/// Base and Drive APIs for the instance's own collection, calls between its micros) on the
/// API socket, and the outbound proxy on the other. Requests arriving here carry the instance
/// in their context, so the router can confine them to it.
public final class RoomListeners: RoomServices {
    /// Serves the outbound proxy of an instance on a listening socket (`OutboundProxy.serve`).
    public typealias Outbound =
        @Sendable (
            _ instanceID: String, _ listening: Int32, _ allowed: @escaping @Sendable () -> Bool
        ) async throws -> any Channel

    private let responder: any HTTPResponder<NodeRequestContext>
    private let outbound: Outbound
    private let tls: NodeTLS?
    private let logger: Logger
    private let channels = Mutex<[String: [any Channel]]>([:])

    /// With `tls`, the API socket also accepts HTTPS (Deta's SDKs only speak it): each
    /// connection is TLS or plain HTTP by its first byte, so `HEARTH_API_URL` stays plain.
    public init(responder: some HTTPResponder<NodeRequestContext>, outbound: @escaping Outbound, tls: NodeTLS? = nil, logger: Logger) {
        self.responder = responder
        self.outbound = outbound
        self.tls = tls
        self.logger = logger
    }

    public func open(
        instanceID: String, api: Int32, proxy: Int32, outbound allowed: @escaping @Sendable () -> Bool
    ) async throws(RuntimeError) {
        do {
            let apiChannel = try await serveAPI(on: api, instanceID: instanceID)
            let proxyChannel = try await outbound(instanceID, proxy, allowed)
            let stale = channels.withLock { $0.updateValue([apiChannel, proxyChannel], forKey: instanceID) } ?? []
            for channel in stale { try? await channel.close() }
        } catch {
            throw RuntimeError(RuntimeError.launchFailed, "Cannot serve the node's API inside the sandbox", cause: error)
        }
    }

    public func close(instanceID: String) async {
        for channel in channels.withLock({ $0.removeValue(forKey: instanceID) }) ?? [] { try? await channel.close() }
    }

    private func serveAPI(on descriptor: Int32, instanceID: String) async throws -> any Channel {
        let responder = self.responder
        let logger = self.logger
        let tls = self.tls?.roomContext
        let http = HTTP1Channel { request, writer, channel in
            var context = NodeRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            context.roomInstance = instanceID
            if tls != nil {
                let secure = (try? await channel.pipeline.containsHandler(type: NIOSSLServerHandler.self).get()) != nil
                context.connectionScheme = secure ? "https" : "http"
            }
            let response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                response = Response(status: (error as? any HTTPResponseError)?.status ?? .internalServerError)
            }
            try await writer.write(response: response.head, body: response.body)
        }
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                if let tls {
                    do {
                        try channel.pipeline.syncOperations.addHandler(TLSSniffer(context: tls))
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                return http.setup(channel: channel, logger: logger).map { value in
                    Task { await http.handle(value: value, logger: logger) }
                }
            }
            .withBoundSocket(descriptor)
            .get()
    }
}
