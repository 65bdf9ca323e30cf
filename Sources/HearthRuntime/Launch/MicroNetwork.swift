import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The network a micro listens in: the node's own (unisolated micros), or an instance's
/// network namespace, where only sockets the node opens from inside reach it.
public protocol MicroNetwork: AnyObject, Sendable {
    /// A blocking TCP socket connected to 127.0.0.1:`port` in this network; the caller owns it.
    /// A refused connection throws at once (nothing listens there).
    func connect(port: Int) throws(RuntimeError) -> Int32
    /// Whether something listens on 127.0.0.1:`port` in this network (waits at most 100 ms).
    func isListening(port: Int) -> Bool
    /// A port free on 127.0.0.1 in this network right now.
    func freePort() throws(RuntimeError) -> Int
}

/// The node's own network: micros listen on the host's loopback.
public final class HostNetwork: MicroNetwork {
    public static let shared = HostNetwork()

    private init() {}

    public func connect(port: Int) throws(RuntimeError) -> Int32 {
        try LoopbackSocket.connect(LoopbackSocket.open(), port: port)
    }

    public func isListening(port: Int) -> Bool {
        guard let socket = try? LoopbackSocket.open() else { return false }
        return LoopbackSocket.probe(socket, port: port)
    }

    public func freePort() throws(RuntimeError) -> Int {
        try LoopbackSocket.freePort(using: LoopbackSocket.open())
    }
}

/// Where a running micro answers: a port in a network.
public struct MicroEndpoint: Sendable {
    public let port: Int
    public let network: any MicroNetwork

    public init(port: Int, network: any MicroNetwork) {
        self.port = port
        self.network = network
    }
}
