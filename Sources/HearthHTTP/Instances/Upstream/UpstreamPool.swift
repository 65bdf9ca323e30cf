import HearthRuntime
import NIOCore
import NIOPosix
import Synchronization

/// Keep-alive HTTP/1.1 connections to micros, kept per micro endpoint (a port in a network).
/// Sockets come from the endpoint's network (`MicroNetwork.connect(port:)`), so a micro in its
/// own network namespace is reached the same way as one on the host. A connection goes back to
/// the pool once its response has been read to the end and both sides allow keep-alive;
/// idle ones close after `idleTimeout`, and at most `maxIdle` are kept per endpoint.
final class UpstreamPool: Sendable {
    /// An endpoint: the network's identity and the port in it.
    struct Key: Hashable, Sendable {
        let network: ObjectIdentifier
        let port: Int

        init(_ endpoint: MicroEndpoint) {
            network = ObjectIdentifier(endpoint.network)
            port = endpoint.port
        }
    }

    private struct Idle {
        let connection: UpstreamConnection
        let since: NIODeadline
    }

    private struct State {
        /// Most recently used last.
        var idle: [Key: [Idle]] = [:]
        var sweep: RepeatedTask?
        var isShutDown = false
    }

    let group: any EventLoopGroup
    let idleTimeout: TimeAmount
    let maxIdle: Int
    private let state = Mutex(State())

    init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, idleTimeout: TimeAmount = .seconds(60), maxIdle: Int = 64) {
        self.group = group
        self.idleTimeout = idleTimeout
        self.maxIdle = maxIdle
    }

    /// Sends `request` to the micro at `endpoint` over an idle connection (one on `eventLoop` if
    /// there is one: the client's, so that both sides of the request share a thread), else a new
    /// one. Errors are `UpstreamError`s: `connectFailed` means nothing was sent.
    func execute(
        _ request: UpstreamRequest, to endpoint: MicroEndpoint, timeout: TimeAmount, near eventLoop: (any EventLoop)? = nil
    ) async throws -> UpstreamResponse {
        let key = Key(endpoint)
        let connection =
            if let idle = checkOut(key, near: eventLoop) {
                idle
            } else {
                try await UpstreamConnection.connect(to: endpoint, key: key, pool: self, on: eventLoop ?? group.next())
            }
        return try await connection.execute(request, timeout: timeout)
    }

    /// Closes the idle connections to `endpoint` (its micro stopped); busy ones close when the
    /// micro's end closes them.
    func drop(_ endpoint: MicroEndpoint) {
        let dropped = state.withLock { $0.idle.removeValue(forKey: Key(endpoint)) ?? [] }
        for idle in dropped { idle.connection.channel.close(promise: nil) }
    }

    /// Closes every idle connection, and each busy one when its exchange ends.
    func shutdown() async {
        let (dropped, sweep) = state.withLock { state in
            state.isShutDown = true
            defer { (state.idle, state.sweep) = ([:], nil) }
            return (state.idle.values.joined().map(\.connection), state.sweep)
        }
        sweep?.cancel()
        for connection in dropped { try? await connection.channel.close() }
    }

    /// The most recently used open idle connection to `key`, on `eventLoop` if one is.
    private func checkOut(_ key: Key, near eventLoop: (any EventLoop)?) -> UpstreamConnection? {
        state.withLock { state in
            if let eventLoop, let index = state.idle[key]?.lastIndex(where: { $0.connection.channel.eventLoop === eventLoop }) {
                let idle = state.idle[key]!.remove(at: index)
                if idle.connection.channel.isActive { return idle.connection }
            }
            while let idle = state.idle[key]?.popLast() {
                if idle.connection.channel.isActive { return idle.connection }
            }
            return nil
        }
    }

    /// A connection whose response was read to its end (called on its event loop).
    func release(_ connection: UpstreamConnection) {
        let kept = state.withLock { state in
            guard let key = connection.key, !state.isShutDown, state.idle[key, default: []].count < maxIdle else { return false }
            state.idle[key, default: []].append(Idle(connection: connection, since: .now()))
            if state.sweep == nil {
                let every = TimeAmount.nanoseconds(idleTimeout.nanoseconds / 4)
                state.sweep = group.next().scheduleRepeatedTask(initialDelay: every, delay: every) { _ in
                    self.closeExpired()
                }
            }
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }

    /// How many idle connections to `endpoint` the pool holds (a connection is back once its
    /// response was read to its end, a moment after its last bytes reached the reader).
    func idleConnections(to endpoint: MicroEndpoint) -> Int {
        state.withLock { $0.idle[Key(endpoint)]?.count ?? 0 }
    }

    /// An idle connection the micro closed.
    func closed(_ connection: UpstreamConnection) {
        guard let key = connection.key else { return }
        state.withLock { $0.idle[key]?.removeAll { $0.connection === connection } }
    }

    /// Closes connections idle for longer than `idleTimeout`.
    private func closeExpired() {
        let limit = NIODeadline.now() - idleTimeout
        let expired = state.withLock { state in
            var expired: [UpstreamConnection] = []
            for key in state.idle.keys {
                let old = state.idle[key]!.prefix { $0.since < limit }
                guard !old.isEmpty else { continue }
                expired += old.map(\.connection)
                state.idle[key]!.removeFirst(old.count)
                if state.idle[key]!.isEmpty { state.idle[key] = nil }
            }
            return expired
        }
        for connection in expired { connection.channel.close(promise: nil) }
    }
}
