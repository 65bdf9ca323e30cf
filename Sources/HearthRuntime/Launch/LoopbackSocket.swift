import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// TCP sockets on 127.0.0.1. A socket belongs to the network namespace of the thread that opened
/// it; everything after `open` works from any thread.
enum LoopbackSocket {
    /// A new TCP socket in the calling thread's network namespace.
    static func open() throws(RuntimeError) -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else {
            throw RuntimeError(RuntimeError.launchFailed, "Cannot open a socket: \(String(cString: strerror(errno)))")
        }
        return socket
    }

    /// A port the kernel reports free on 127.0.0.1 right now; closes `socket`.
    static func freePort(using socket: Int32) throws(RuntimeError) -> Int {
        defer { close(socket) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw RuntimeError(RuntimeError.launchFailed, "Cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Connects `socket` to 127.0.0.1:`port` (blocking; refusal is immediate on loopback) and
    /// returns it; closes it on failure.
    static func connect(_ socket: Int32, port: Int) throws(RuntimeError) -> Int32 {
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw RuntimeError(RuntimeError.startFailed, "Cannot connect to port \(port): \(reason)")
        }
        return socket
    }

    /// Whether something listens on 127.0.0.1:`port`, waiting at most `timeout` for an answer (a
    /// refusal is immediate; a full accept queue means a listener, busy); closes `socket`.
    static func probe(_ socket: Int32, port: Int, timeout milliseconds: Int32 = 100) -> Bool {
        defer { close(socket) }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
        guard poll(&descriptor, 1, milliseconds) == 1 else { return true }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }

    /// Makes `socket` listen on 127.0.0.1:`port` with `SO_REUSEADDR` and returns it; closes it on failure.
    static func listen(_ socket: Int32, port: Int) throws(RuntimeError) -> Int32 {
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound, Glibc.listen(socket, 1024) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw RuntimeError(RuntimeError.launchFailed, "Cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        return socket
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
