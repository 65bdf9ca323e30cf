/// What the node offers inside an instance's network, served by its HTTP layer: the node's API
/// (Base, Drive, calls between the instance's micros) and a proxy to the internet.
public protocol RoomServices: Sendable {
    /// Serves `api` and `proxy`, sockets listening inside the instance's network, until `close`.
    /// `outbound` tells at each connection whether the instance may reach the internet.
    func open(instanceID: String, api: Int32, proxy: Int32, outbound: @escaping @Sendable () -> Bool) async throws(RuntimeError)
    func close(instanceID: String) async
}

/// Something the limits did to an instance, for its logs.
public struct LimitEvent: Sendable, Equatable {
    public var instanceID: String
    /// The micro it concerns, when known.
    public var micro: String?
    public var message: String
}
