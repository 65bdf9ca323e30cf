import CHearthSandbox
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An instance's own network: a Linux network namespace with nothing but loopback. Its micros
/// share it and listen on its 127.0.0.1; the node reaches them, and offers them its API, only
/// through sockets it opens from inside (on the sandbox thread), so no routes, bridges or
/// addresses need to be set up. The namespace lives as long as this object holds it.
public final class NetworkNamespace: MicroNetwork {
    /// A descriptor of the namespace, for the sandbox thread to enter.
    let descriptor: Int32

    /// Creates a namespace (a few hundred microseconds; needs `CAP_SYS_ADMIN`).
    public init() throws(RuntimeError) {
        descriptor = try SandboxThread.shared.run { () throws(RuntimeError) -> Int32 in
            let result = hearth_netns_create()
            guard result >= 0 else {
                throw RuntimeError(RuntimeError.launchFailed, "Cannot create a network namespace: \(errorText(result))")
            }
            return result
        }
    }

    deinit {
        close(descriptor)
    }

    public func connect(port: Int) throws(RuntimeError) -> Int32 {
        try LoopbackSocket.connect(openSocket(), port: port)
    }

    public func isListening(port: Int) -> Bool {
        guard let socket = try? openSocket() else { return false }
        return LoopbackSocket.probe(socket, port: port)
    }

    public func freePort() throws(RuntimeError) -> Int {
        try LoopbackSocket.freePort(using: openSocket())
    }

    /// A socket listening on 127.0.0.1:`port` inside the namespace; the caller owns it.
    public func listen(port: Int) throws(RuntimeError) -> Int32 {
        try LoopbackSocket.listen(openSocket(), port: port)
    }

    /// A new socket of this namespace. Only opening it needs the sandbox thread: a socket keeps
    /// the namespace it was made in, so connecting (which may wait) happens on the caller's thread.
    private func openSocket() throws(RuntimeError) -> Int32 {
        try SandboxThread.shared.run(in: descriptor) { () throws(RuntimeError) in try LoopbackSocket.open() }
    }
}
