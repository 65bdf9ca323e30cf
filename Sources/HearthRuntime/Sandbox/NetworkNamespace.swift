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
        try SandboxThread.shared.run(in: descriptor) { () throws(RuntimeError) in try LoopbackSocket.connect(port: port) }
    }

    public func isListening(port: Int) -> Bool {
        guard let socket = try? connect(port: port) else { return false }
        close(socket)
        return true
    }

    public func freePort() throws(RuntimeError) -> Int {
        try SandboxThread.shared.run(in: descriptor) { () throws(RuntimeError) in try LoopbackSocket.freePort() }
    }

    /// A socket listening on 127.0.0.1:`port` inside the namespace; the caller owns it.
    public func listen(port: Int) throws(RuntimeError) -> Int32 {
        try SandboxThread.shared.run(in: descriptor) { () throws(RuntimeError) in try LoopbackSocket.listen(port: port) }
    }
}
