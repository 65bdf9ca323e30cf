import Hummingbird
import NIOCore

/// The node's request context: Hummingbird's basics plus the client's address, which instance
/// hosts check (they answer on loopback only until login arrives), the event loop of the
/// client's connection, and the sandboxed instance a request comes from when it arrived inside
/// that instance's network.
public struct NodeRequestContext: RequestContext, RemoteAddressRequestContext, EventLoopRequestContext, RoomRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public let eventLoop: any EventLoop
    public var roomInstance: String?
    public var connectionScheme: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        eventLoop = source.channel.eventLoop
    }
}

/// A context that knows the event loop of the client's connection: the proxy prefers upstream
/// connections on the same loop.
public protocol EventLoopRequestContext {
    var eventLoop: any EventLoop { get }
}

/// A context that knows whether its request came from inside a sandboxed instance.
public protocol RoomRequestContext {
    /// The instance whose network the request came from; `nil` for the node's own listener.
    var roomInstance: String? { get }
    /// `https` or `http`, where the listener serves both (inside sandboxes); `nil` on the
    /// node's own listener, whose scheme is the node's.
    var connectionScheme: String? { get }
}

extension RequestContext {
    /// The sandboxed instance the request came from, if it came from one.
    var roomInstance: String? { (self as? any RoomRequestContext)?.roomInstance ?? nil }

    /// The scheme the client used: its connection's where known, else the node's `scheme`.
    func scheme(node scheme: String) -> String {
        (self as? any RoomRequestContext)?.connectionScheme ?? scheme
    }

    /// Whether the request comes from this machine outside any sandbox; contexts that don't
    /// know (in-process tests) count as local.
    var isFromLoopback: Bool {
        guard roomInstance == nil else { return false }
        guard let address = (self as? any RemoteAddressRequestContext)?.remoteAddress else { return true }
        switch address {
        case .v4(let v4): return v4.address.sin_addr.s_addr.bigEndian >> 24 == 127
        case .v6: return address.ipAddress == "::1" || address.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket: return true
        }
    }
}
