import NIOCore

/// Where a proxy request goes: a host (a name, lowercased, or a canonical IP literal) and a port.
struct ProxyTarget: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (IPv6 literals in brackets), as in a CONNECT request or an allow-list
    /// entry. Without a port, `defaultPort` applies; nil for anything malformed.
    init?(authority: Substring, defaultPort: Int? = nil) {
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            portPart = rest.isEmpty ? nil : rest.dropFirst()
            guard hostPart.contains(":") else { return nil }  // brackets are for IPv6 only
        } else {
            let pieces = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            hostPart = pieces[0]
            portPart = pieces.count == 2 ? pieces[1] : nil
        }
        guard let host = Self.normalizedHost(hostPart) else { return nil }
        let port: Int?
        if let portPart, !portPart.isEmpty {
            port = portPart.count <= 5 && portPart.allSatisfy(\.isASCIIDigit) ? Int(portPart) : nil
        } else {
            port = defaultPort
        }
        guard let port, (1...65535).contains(port) else { return nil }
        self.init(host: host, port: port)
    }

    /// Splits an absolute-form request target (`http://host[:port]/path?query`) into its target and
    /// the origin-form path to send upstream. Only `http`: clients reach `https` with CONNECT.
    static func absolute(_ uri: String) -> (target: ProxyTarget, path: String)? {
        let scheme = "http://"
        guard uri.count > scheme.count, uri.prefix(scheme.count).lowercased() == scheme else { return nil }
        let rest = uri.dropFirst(scheme.count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        guard !authority.contains("@"), let target = ProxyTarget(authority: authority, defaultPort: 80) else { return nil }
        let tail = rest[end...].prefix { $0 != "#" }
        return (target, tail.hasPrefix("/") ? String(tail) : "/" + tail)
    }

    /// The `Host` header value for this target: the port only when it is not 80.
    var hostHeader: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return port == 80 ? host : "\(host):\(port)"
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// An IP literal in canonical form, or a DNS name lowercased without a trailing dot; nil when
    /// `raw` is neither (empty, too long, or characters a host name cannot have).
    static func normalizedHost(_ raw: Substring) -> String? {
        if let ip = try? SocketAddress(ipAddress: String(raw), port: 0) { return ip.ipAddress }
        var name = raw.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let allowed = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 || $0 == 95 }
        guard allowed, (1...253).contains(name.utf8.count), !name.hasPrefix("."), !name.contains("..") else { return nil }
        return name
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
