import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// TCP sockets on 127.0.0.1 of the calling thread's network namespace.
enum LoopbackSocket {
    /// A port the kernel reports free on 127.0.0.1 right now.
    static func freePort() throws(RuntimeError) -> Int {
        let socket = try open()
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

    /// A blocking socket connected to 127.0.0.1:`port` (refusal is immediate on loopback).
    static func connect(port: Int) throws(RuntimeError) -> Int32 {
        let socket = try open()
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

    /// A socket listening on 127.0.0.1:`port`, with `SO_REUSEADDR`.
    static func listen(port: Int) throws(RuntimeError) -> Int32 {
        let socket = try open()
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

    private static func open() throws(RuntimeError) -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else {
            throw RuntimeError(RuntimeError.launchFailed, "Cannot open a socket: \(String(cString: strerror(errno)))")
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
