import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Which destinations sandboxed apps may reach through the outbound proxy.
///
/// Any host and port on the internet may be reached; addresses that lead back to this machine or
/// its link (see ``AddressClass``) are refused, unless the operator's allow-list names the
/// endpoint: an exact IP literal or host name with its port, for reaching a service on this machine
/// or its network on purpose. The proxy connects to the address vetted here, never re-resolving.
public struct OutboundPolicy: Sendable, Equatable {
    /// Endpoints that may be reached even when they are local.
    let allowList: Set<ProxyTarget>

    /// A policy with an allow-list of `host:port` entries (`db.lan:5432`, `127.0.0.1:8080`,
    /// `[::1]:8080`). Throws ``InvalidEntry`` for a malformed entry.
    public init(allowList entries: [String] = []) throws {
        var allowList = Set<ProxyTarget>()
        for entry in entries {
            guard let target = ProxyTarget(authority: Substring(entry)) else { throw InvalidEntry(entry: entry) }
            allowList.insert(target)
        }
        self.allowList = allowList
    }

    /// An allow-list entry that is not `host:port`.
    public struct InvalidEntry: Error, CustomStringConvertible {
        public let entry: String
        public var description: String { "'\(entry)' is not host:port (an IPv6 address in brackets)" }
    }

    /// Resolves `target` (blocking: call it off the event loop) and returns the addresses to try in
    /// order, or why it may not be reached.
    func vet(_ target: ProxyTarget) -> Result<[SocketAddress], OutboundRefusal> {
        let resolved: [SocketAddress]
        do {
            resolved = try Self.resolve(target)
        } catch {
            return .failure(OutboundRefusal(status: .badGateway, reason: "cannot resolve \(target.host): \(error)"))
        }
        guard let local = try? System.enumerateDevices().compactMap(\.address) else {
            return .failure(OutboundRefusal(status: .badGateway, reason: "cannot list this machine's addresses"))
        }
        return decide(target, resolved: resolved, local: local)
    }

    /// The decision for `target` resolved to `resolved`, given this machine's `local` addresses.
    func decide(_ target: ProxyTarget, resolved: [SocketAddress], local: [SocketAddress]) -> Result<[SocketAddress], OutboundRefusal> {
        if allowList.contains(target) { return resolved.isEmpty ? .failure(Self.noAddress(target)) : .success(resolved) }
        var firstRefusal: OutboundRefusal?
        let usable = resolved.filter { address in
            guard let ip = address.ipAddress else { return false }
            if allowList.contains(ProxyTarget(host: ip, port: target.port)) { return true }
            guard let kind = AddressClass.refused(address, local: local) else { return true }
            let shown = ip == target.host ? ip : "\(target.host) (\(ip))"
            firstRefusal = firstRefusal ?? OutboundRefusal(status: .forbidden, reason: "\(shown) is \(kind.description)")
            return false
        }
        if !usable.isEmpty { return .success(usable) }
        return .failure(firstRefusal ?? Self.noAddress(target))
    }

    private static func noAddress(_ target: ProxyTarget) -> OutboundRefusal {
        OutboundRefusal(status: .badGateway, reason: "\(target.host) has no address")
    }

    /// All TCP addresses of `target` from getaddrinfo, in its order of preference.
    static func resolve(_ target: ProxyTarget) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard rc == 0 else { throw ResolutionError(message: String(cString: gai_strerror(rc))) }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let info = next?.pointee {
            next = info.ai_next
            switch info.ai_family {
            case AF_INET:
                let address = info.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                addresses.append(SocketAddress(address, host: target.host))
            case AF_INET6:
                let address = info.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                addresses.append(SocketAddress(address, host: target.host))
            default:
                continue
            }
        }
        var seen = Set<SocketAddress>()
        return addresses.filter { seen.insert($0).inserted }
    }

    struct ResolutionError: Error, CustomStringConvertible {
        let message: String
        var description: String { message.lowercased() }
    }
}

/// Why the proxy does not connect: the status it answers with, and a reason for the app's log.
struct OutboundRefusal: Error, Equatable {
    let status: HTTPResponseStatus
    let reason: String
}
